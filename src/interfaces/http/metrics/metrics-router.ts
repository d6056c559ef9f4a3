import { Router } from 'express';
import { methodNotAllowed } from '../error-handler.js';

/** The metrics in Prometheus's text format, and the content type to send them with. */
export interface MetricsText {
  readonly contentType: string;
  readonly text: string;
}

/** `GET /metrics`, for Prometheus to scrape. It knows only this function, not the metrics library behind it. */
export function metricsRouter(readMetrics: () => Promise<MetricsText>): Router {
  const router = Router();
  router
    .route('/metrics')
    .get(async (_request, response) => {
      const { contentType, text } = await readMetrics();
      response.type(contentType).send(text);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
