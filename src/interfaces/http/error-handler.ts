import { STATUS_CODES } from 'node:http';
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import { IssueRequestNotFound } from '../../application/coupon-campaign/issue-requests/issue-request-errors.js';
import type { Logger } from '../../application/shared/logger.js';
import {
  CampaignClosed,
  CampaignNotFound,
  CampaignSoldOut,
} from '../../domain/coupon-campaign/coupon-campaign-errors.js';
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
  [CampaignNotFound, 404],
  [IssueRequestNotFound, 404],
  [OutOfStock, 409],
  [InsufficientPoints, 409],
  [CouponUnavailable, 409],
  [CampaignClosed, 409],
  [CampaignSoldOut, 409],
  [InvalidOrder, 400],
  [InvalidValue, 400],
];

/** What express's JSON body parser reports, by the `type` it gives its errors. */
const bodyParserErrors: Readonly<Record<string, (error: HttpError) => Reply>> = {
  'entity.parse.failed': () => reply(400, 'MALFORMED_JSON', 'The request body is not valid JSON'),
  'entity.too.large': () => reply(413, 'PAYLOAD_TOO_LARGE', 'The request body is too large'),
  'encoding.unsupported': (error) =>
    reply(
      415,
      'UNSUPPORTED_ENCODING',
      `Unsupported Content-Encoding "${String(error.encoding)}": send the body plain, or as gzip, deflate or br`,
    ),
  'charset.unsupported': () => reply(415, 'UNSUPPORTED_CHARSET', 'Unsupported charset: send UTF-8'),
};

/**
 * An error that says which HTTP status it means, as express and its body parser raise them (the
 * http-errors convention): `status`, and `expose: true` when its message was written for the client.
 */
interface HttpError extends Error {
  readonly status: number;
  readonly expose?: boolean;
  readonly type?: string;
  readonly encoding?: string;
  readonly code?: string;
}

interface Reply {
  readonly status: number;
  readonly body: ErrorBody;
}

interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

export function notFoundHandler(): RequestHandler {
  return (request, response) => {
    response.status(404).json(errorBody('ROUTE_NOT_FOUND', `No route for ${request.method} ${request.path}`));
  };
}

/**
 * The last handler of a route: a method the route does not have gets 405 with the `Allow` header, where
 * falling through would answer 404 as if the path did not exist. GET routes answer HEAD too.
 */
export function methodNotAllowed(...methods: readonly string[]): RequestHandler {
  const allowed = (methods.includes('GET') ? [...methods, 'HEAD'] : methods).join(', ');
  return (request, response) => {
    response.set('allow', allowed);
    if (request.method === 'OPTIONS') {
      response.status(204).end();
      return;
    }
    response
      .status(405)
      .json(
        errorBody(
          'METHOD_NOT_ALLOWED',
          `${request.method} is not allowed on ${request.path}; use ${allowed}`,
        ),
      );
  };
}

/** Turns any error into `{ error: { code, message } }` with the status it deserves; never a blanket 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, request, response, _next) => {
    const requestId: unknown = response.locals['requestId'];
    const httpError = asHttpError(error);
    if (httpError && clientWentAway(httpError, request)) {
      // Nobody is left to answer: the client closed the connection (or timed out) before sending the body.
      logger.info(
        { requestId, method: request.method, path: request.originalUrl, reason: httpError.message },
        'client went away before sending the whole request',
      );
      return;
    }
    const { status, body } = httpError ? describeHttpError(httpError, request) : describe(error);
    if (status >= 500) {
      logger.error({ err: error, requestId }, 'request failed unexpectedly');
    } else if (httpError) {
      // The request line logged on completion shows the status; this line says what was wrong with it.
      logger.info({ requestId, status, reason: httpError.message }, `request refused: ${body.error.message}`);
    }
    response.status(status).json(body);
  };
}

function describe(error: unknown): Reply {
  if (error instanceof RequestValidationError) {
    return { status: 400, body: errorBody('VALIDATION_FAILED', error.message, error.problems) };
  }
  if (error instanceof DomainError) {
    const status = statusByDomainError.find(([errorClass]) => error instanceof errorClass)?.[1] ?? 400;
    return { status, body: errorBody(error.code, error.message) };
  }
  return internalError;
}

/** A 4xx from express or the body parser is the client's fault; its message is repeated only if `expose`d. */
function describeHttpError(error: HttpError, request: Request): Reply {
  if (error.status >= 500) return internalError;
  const parserError = bodyParserErrors[error.type ?? ''];
  if (parserError) return parserError(error);
  if (error instanceof URIError) {
    return reply(400, 'MALFORMED_URL', 'The URL is not valid: a % must start an escape such as %20');
  }
  const contentEncoding = request.get('content-encoding') ?? 'identity';
  if (error.type === undefined && contentEncoding !== 'identity') {
    // The body parser leaves the errors of gzip, deflate and brotli untyped.
    return reply(
      400,
      'MALFORMED_BODY',
      `The request body is not valid ${contentEncoding}, as its Content-Encoding says it is`,
    );
  }
  const statusText = STATUS_CODES[error.status] ?? 'Bad Request';
  const code = statusText.toUpperCase().replace(/\W+/g, '_');
  return reply(error.status, code, error.expose === true ? error.message : statusText);
}

function asHttpError(error: unknown): HttpError | undefined {
  if (!(error instanceof Error)) return undefined;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const httpStatus = status ?? statusCode;
  if (typeof httpStatus !== 'number' || httpStatus < 400 || httpStatus > 599) return undefined;
  return Object.assign(error, { status: httpStatus });
}

/** A 4xx raised because the client closed the connection or stopped sending; a 5xx is ours, whatever the socket. */
function clientWentAway(error: HttpError, request: Request): boolean {
  if (error.status >= 500) return false;
  return error.type === 'request.aborted' || error.code === 'ECONNRESET' || request.socket.destroyed;
}

const internalError: Reply = reply(500, 'INTERNAL_ERROR', 'Something went wrong on our side');

function reply(status: number, code: string, message: string): Reply {
  return { status, body: errorBody(code, message) };
}

function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}
