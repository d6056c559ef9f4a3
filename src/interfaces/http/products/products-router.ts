import { Router } from 'express';
import type { ListProducts } from '../../../application/product/list-products/list-products.js';
import type { GetProductRanking } from '../../../application/product/ranking/get-product-ranking.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseRequest } from '../request-validation.js';
import { rankingQuery } from './product-requests.js';

export function productsRouter(listProducts: ListProducts, getProductRanking: GetProductRanking): Router {
  const router = Router();

  router
    .route('/products')
    .get(async (_request, response) => {
      response.json(await listProducts.execute());
    })
    .all(methodNotAllowed('GET'));

  // Built by the product-ranking consumer group from order-completed events: it trails the orders by as
  // long as the events take to arrive.
  router
    .route('/products/ranking')
    .get(async (request, response) => {
      const query = parseRequest(rankingQuery, request.query, 'query');
      response.json(await getProductRanking.execute(query));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
