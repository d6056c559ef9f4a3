import type { Order } from './order.js';

/** Port: where orders live. */
export abstract class OrderRepository {
  /** A fresh order id, known before the order is stored, so its events can carry it. */
  abstract nextId(): string;

  abstract findById(id: string): Promise<Order | null>;

  /** Stores a new order with its lines. Orders are written once: placed and completed in one transaction. */
  abstract add(order: Order): Promise<void>;
}
