import { z } from 'zod';
import type { ServiceHealth } from '../../../application/health/check-health.js';

const upOrDown = z.enum(['UP', 'DOWN']);

/** `GET /health`: UP only when every component (database, publisher, Redis if used) is UP. */
export const healthResponse = z.object({
  status: upOrDown,
  components: z.record(
    z.string(),
    z.object({ status: upOrDown, details: z.record(z.string(), z.unknown()).optional() }),
  ),
}) satisfies z.ZodType<ServiceHealth>;
