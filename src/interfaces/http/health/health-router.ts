import { Router } from 'express';
import type { CheckHealth } from '../../../application/health/check-health.js';

export function healthRouter(checkHealth: CheckHealth): Router {
  const router = Router();
  router.get('/health', async (_request, response) => {
    const health = await checkHealth.execute();
    response.status(health.status === 'UP' ? 200 : 503).json(health);
  });
  return router;
}
