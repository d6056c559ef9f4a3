import { Router } from 'express';
import type { ListProducts } from '../../../application/product/list-products/list-products.js';

export function productsRouter(listProducts: ListProducts): Router {
  const router = Router();
  router.get('/products', async (_request, response) => {
    response.json(await listProducts.execute());
  });
  return router;
}
