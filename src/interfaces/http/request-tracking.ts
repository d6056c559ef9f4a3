import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../../application/shared/logger.js';
import type { RequestContext } from '../../application/shared/request-context.js';

export const acceptableRequestId = /^[\w.-]{1,64}$/;

/** Takes the caller's `x-request-id` if it is sane, or makes one, and echoes it in the response. */
export function assignRequestId(): RequestHandler {
  return (request, response, next) => {
    const incoming = request.get('x-request-id');
    const requestId = incoming !== undefined && acceptableRequestId.test(incoming) ? incoming : randomUUID();
    response.locals['requestId'] = requestId;
    response.set('x-request-id', requestId);
    next();
  };
}

/**
 * Runs the rest of the request inside the request context. Mounted after the body parser: parsing
 * finishes in a stream callback, which would not carry the context along.
 */
export function bindRequestContext(requestContext: RequestContext): RequestHandler {
  return (_request, response, next) => {
    requestContext.run(String(response.locals['requestId']), next);
  };
}

/**
 * One line per request, once the response has been sent. Successful GETs of `probePaths` (`/health`,
 * `/metrics`) log at debug: a scraper or the lab asks every second, and at info they would bury the story
 * of the orders.
 */
export function logRequests(logger: Logger, probePaths: readonly string[] = []): RequestHandler {
  return (request, response, next) => {
    const startedAt = process.hrtime.bigint();
    response.on('finish', () => {
      const durationMs = Number(process.hrtime.bigint() - startedAt) / 1e6;
      const isProbe =
        request.method === 'GET' && probePaths.includes(request.path) && response.statusCode < 400;
      logger[isProbe ? 'debug' : 'info'](
        {
          requestId: response.locals['requestId'],
          method: request.method,
          path: request.originalUrl,
          status: response.statusCode,
          durationMs: Math.round(durationMs * 10) / 10,
        },
        'request completed',
      );
    });
    next();
  };
}
