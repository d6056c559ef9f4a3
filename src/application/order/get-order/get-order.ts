import { inject, injectable } from 'inversify';
import { OrderNotFound } from '../../../domain/order/order-errors.js';
import { OrderRepository } from '../../../domain/order/order-repository.js';
import { toOrderView, type OrderView } from '../order-view.js';

@injectable()
export class GetOrder {
  constructor(@inject(OrderRepository) private readonly orders: OrderRepository) {}

  async execute(orderId: string): Promise<OrderView> {
    const order = await this.orders.findById(orderId);
    if (!order) throw new OrderNotFound(orderId);
    return toOrderView(order);
  }
}
