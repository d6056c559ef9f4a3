import { Router } from 'express';
import type { GetOrder } from '../../../application/order/get-order/get-order.js';
import type { PlaceOrder } from '../../../application/order/place-order/place-order.js';
import { methodNotAllowed } from '../error-handler.js';
import { parseRequest } from '../request-validation.js';
import { orderIdParam, placeOrderBody } from './order-requests.js';

export function ordersRouter(placeOrder: PlaceOrder, getOrder: GetOrder): Router {
  const router = Router();

  router
    .route('/orders')
    .post(async (request, response) => {
      const command = parseRequest(placeOrderBody, request.body, 'body');
      const order = await placeOrder.execute(command);
      // Sent once the transaction has committed; the order's event is still on its way to the publisher.
      response.status(201).location(`/orders/${order.id}`).json(order);
    })
    .all(methodNotAllowed('POST'));

  router
    .route('/orders/:id')
    .get(async (request, response) => {
      const orderId = parseRequest(orderIdParam, request.params['id'], 'id');
      response.json(await getOrder.execute(orderId));
    })
    .all(methodNotAllowed('GET'));

  return router;
}
