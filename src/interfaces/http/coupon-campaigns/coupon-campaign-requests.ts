import { z } from 'zod';

export const campaignIdParam = z
  .string()
  .regex(/^\d+$/, 'must be a campaign id (a positive whole number)')
  .transform(Number)
  .pipe(z.int().positive('must be a campaign id (a positive whole number)'));

export const issueRequestIdParam = z.uuid({ error: 'must be an issue request id (a UUID)' });

/** The body of `POST /coupon-campaigns/:id/issue-requests`. Unknown fields are rejected, as for orders. */
export const issueRequestBody = z.strictObject({ userId: z.int().positive() });
