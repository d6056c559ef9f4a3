import type { Order } from './order.js';

/** Port: where orders live. */
export abstract class OrderRepository {
  /** A fresh order id, known before the order is stored, so its events can carry it. */
  abstract nextId(): string;

  abstract findById(id: string): Promise<Order | null>;

  abstract save(order: Order): Promise<void>;
}
