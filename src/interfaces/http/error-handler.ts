import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from '../../application/shared/logger.js';
import { CouponNotFound, CouponUnavailable } from '../../domain/coupon/coupon-errors.js';
import { InvalidOrder, OrderNotFound } from '../../domain/order/order-errors.js';
import { OutOfStock, ProductNotFound } from '../../domain/product/product-errors.js';
import { DomainError } from '../../domain/shared/domain-error.js';
import { InvalidValue } from '../../domain/shared/invalid-value.js';
import { InsufficientPoints, UserNotFound } from '../../domain/user/user-errors.js';
import { RequestValidationError } from './request-validation.js';

type DomainErrorClass = abstract new (...args: never[]) => DomainError;

/** Every domain error class and the HTTP status it means. The one place where the two meet. */
const statusByDomainError: ReadonlyArray<readonly [DomainErrorClass, number]> = [
  [UserNotFound, 404],
  [ProductNotFound, 404],
  [CouponNotFound, 404],
  [OrderNotFound, 404],
  [OutOfStock, 409],
  [InsufficientPoints, 409],
  [CouponUnavailable, 409],
  [InvalidOrder, 400],
  [InvalidValue, 400],
];

/** What express's JSON body parser reports, by its `type`. */
const bodyParserErrors: Readonly<Record<string, { status: number; code: string; message: string }>> = {
  'entity.parse.failed': {
    status: 400,
    code: 'MALFORMED_JSON',
    message: 'The request body is not valid JSON',
  },
  'entity.too.large': { status: 413, code: 'PAYLOAD_TOO_LARGE', message: 'The request body is too large' },
  'encoding.unsupported': {
    status: 415,
    code: 'UNSUPPORTED_ENCODING',
    message: 'Unsupported content encoding',
  },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_CHARSET', message: 'Unsupported charset' },
};

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

export function notFoundHandler(): RequestHandler {
  return (request, response) => {
    response.status(404).json(errorBody('ROUTE_NOT_FOUND', `No route for ${request.method} ${request.path}`));
  };
}

/** Turns any error into `{ error: { code, message } }` with the status it deserves; never a blanket 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _request, response, _next) => {
    const { status, body } = describe(error);
    if (status >= 500) {
      logger.error({ err: error, requestId: response.locals['requestId'] }, 'request failed unexpectedly');
    }
    response.status(status).json(body);
  };
}

function describe(error: unknown): { status: number; body: ErrorBody } {
  if (error instanceof RequestValidationError) {
    return { status: 400, body: errorBody('VALIDATION_FAILED', error.message, error.problems) };
  }
  if (error instanceof DomainError) {
    const status = statusByDomainError.find(([errorClass]) => error instanceof errorClass)?.[1] ?? 400;
    return { status, body: errorBody(error.code, error.message) };
  }
  const parserError = bodyParserErrors[bodyParserType(error)];
  if (parserError) {
    return { status: parserError.status, body: errorBody(parserError.code, parserError.message) };
  }
  return { status: 500, body: errorBody('INTERNAL_ERROR', 'Something went wrong on our side') };
}

function bodyParserType(error: unknown): string {
  const type = typeof error === 'object' && error !== null ? (error as { type?: unknown }).type : undefined;
  return typeof type === 'string' ? type : '';
}

function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
