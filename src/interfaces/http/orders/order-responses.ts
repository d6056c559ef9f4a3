import { z } from 'zod';
import type { OrderView } from '../../../application/order/order-view.js';

/** An order as `POST /orders` and `GET /orders/:id` answer it. Amounts are in points. */
export const orderResponse = z.object({
  id: z.uuid(),
  userId: z.int(),
  status: z.enum(['PLACED', 'COMPLETED']),
  items: z.array(
    z.object({
      productId: z.int(),
      productName: z.string(),
      unitPrice: z.int(),
      quantity: z.int(),
      amount: z.int().meta({ description: 'unitPrice × quantity' }),
    }),
  ),
  couponId: z.int().nullable(),
  totalAmount: z.int(),
  discountAmount: z.int(),
  paidAmount: z.int().meta({ description: 'totalAmount − discountAmount, paid with the user’s points' }),
  placedAt: z.iso.datetime(),
  completedAt: z.iso.datetime().nullable(),
}) satisfies z.ZodType<OrderView>;
