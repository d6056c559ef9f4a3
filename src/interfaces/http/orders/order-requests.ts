import { z } from 'zod';

const id = z.int().positive();

/** The body of `POST /orders`. Unknown fields are rejected, so a typo such as `couponID` is not ignored. */
export const placeOrderBody = z.strictObject({
  userId: id,
  items: z
    .array(z.strictObject({ productId: id, quantity: z.int().min(1).max(1_000) }))
    .min(1)
    .max(50)
    .refine((items) => new Set(items.map((item) => item.productId)).size === items.length, {
      message: 'each productId may appear only once',
    })
    // JSON Schema cannot say "unique by productId", so the OpenAPI document says it in words.
    .meta({ description: 'each productId may appear only once' }),
  couponId: id.optional().meta({ description: 'a coupon issued to this user, not used yet' }),
});

export const orderIdParam = z.uuid({ error: 'must be an order id (a UUID)' });
