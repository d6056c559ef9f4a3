import { z } from 'zod';
import type { ProductView } from '../../../application/product/list-products/list-products.js';
import type { RankedProductView } from '../../../application/product/ranking/get-product-ranking.js';

export const productResponse = z.object({
  id: z.int(),
  name: z.string(),
  price: z.int().meta({ description: 'in points' }),
  stock: z.int(),
}) satisfies z.ZodType<ProductView>;

export const rankedProductResponse = z.object({
  rank: z.int(),
  productId: z.int(),
  name: z.string(),
  unitsSold: z.int(),
}) satisfies z.ZodType<RankedProductView>;
