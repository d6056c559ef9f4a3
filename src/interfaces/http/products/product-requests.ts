import { z } from 'zod';

/** The query of `GET /products/ranking`. */
export const rankingQuery = z.strictObject({
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(10)
    .meta({ description: 'how many of the best sellers to list' }),
});
