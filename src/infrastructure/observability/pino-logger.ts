import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { RequestContext } from '../../application/shared/request-context.js';
import { currentTraceId } from './tracing/spans.js';

export interface LoggingConfig {
  readonly level: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly format: 'pretty' | 'json';
}

/**
 * pino, with the current request id added to every line, so `grep <requestId>` tells the whole story of
 * one order: HTTP request → order → event → consumer. With tracing on, the trace id too: the way from a
 * log line to its trace in Zipkin.
 */
export function createLogger(
  config: LoggingConfig,
  requestContext: RequestContext,
  destination?: DestinationStream,
): PinoLogger {
  const options = {
    level: config.level,
    base: undefined,
    mixin: () => {
      const requestId = requestContext.currentRequestId();
      const traceId = currentTraceId();
      return {
        ...(requestId === undefined ? {} : { requestId }),
        ...(traceId === undefined ? {} : { traceId }),
      };
    },
  };
  if (config.format === 'json') {
    // Synchronous stdout: pino's default destination is asynchronous, and at process.exit its final
    // flush can overtake a write still in progress, so the last lines of a shutdown arrive out of order.
    return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
  }
  return pino(
    options,
    pretty({
      sync: true,
      translateTime: 'HH:MM:ss.l',
      ignore: 'pid,hostname',
      ...(destination ? { destination } : {}),
    }),
  );
}
