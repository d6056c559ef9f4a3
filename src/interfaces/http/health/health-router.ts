import { Router } from 'express';
import { methodNotAllowed } from '../error-handler.js';
import type { CheckHealth } from '../../../application/health/check-health.js';

export function healthRouter(checkHealth: CheckHealth): Router {
  const router = Router();
  router
    .route('/health')
    .get(async (_request, response) => {
      const health = await checkHealth.execute();
      response.status(health.status === 'UP' ? 200 : 503).json(health);
    })
    .all(methodNotAllowed('GET'));
  return router;
}
