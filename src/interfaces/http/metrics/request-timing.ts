import type { Request, RequestHandler } from 'express';

/** One HTTP request: its method, route pattern, status and how long it took. */
export interface RequestTiming {
  readonly method: string;
  readonly route: string;
  readonly status: number;
  readonly durationSeconds: number;
}

export type ObserveRequest = (timing: RequestTiming) => void;

/** The label of a request that no route matched (a 404): raw URLs would give one series per typo. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Times each request from arrival to the response's last byte, labelled by the route that served it. */
export function timeRequests(observe: ObserveRequest): RequestHandler {
  return (request, response, next) => {
    const startedAt = process.hrtime.bigint();
    response.on('finish', () => {
      observe({
        method: request.method,
        route: routePatternOf(request),
        status: response.statusCode,
        durationSeconds: Number(process.hrtime.bigint() - startedAt) / 1e9,
      });
    });
    next();
  };
}

/**
 * The pattern of the route that matched (`/orders/:id`), never the URL (`/orders/0b5e…`): one series per
 * route, however many orders there are. Express sets `request.route` once a route matches.
 */
function routePatternOf(request: Request): string {
  // Every route here is declared with a string path (Express allows arrays too; we declare none).
  const route = request.route as { path?: string } | undefined;
  if (route?.path === undefined) return UNMATCHED_ROUTE;
  return `${request.baseUrl}${route.path}`;
}
