import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { Order } from '../../../../domain/order/order.js';
import { OrderRepository } from '../../../../domain/order/order-repository.js';
import { Database } from '../database.js';
import { OrderItemRow, OrderRow } from '../schema.js';

@injectable()
export class MikroOrmOrderRepository extends OrderRepository {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  nextId(): string {
    return randomUUID();
  }

  async findById(id: string): Promise<Order | null> {
    const em = this.database.em();
    const row = await em.findOne(OrderRow, { id });
    if (!row) return null;
    const items = await em.find(OrderItemRow, { order: id }, { orderBy: { product: 'asc' } });
    return Order.fromPrimitives({
      id: row.id,
      userId: row.user.id,
      couponId: row.coupon?.id ?? null,
      status: row.status,
      totalAmount: row.totalAmount,
      discountAmount: row.discountAmount,
      paidAmount: row.paidAmount,
      placedAt: row.placedAt,
      completedAt: row.completedAt ?? null,
      lines: items.map((item) => ({
        productId: item.product.id,
        productName: item.productName,
        unitPrice: item.unitPrice,
        quantity: item.quantity,
      })),
    });
  }

  async add(order: Order): Promise<void> {
    const em = this.database.em();
    const { id, userId, couponId, lines, ...columns } = order.toPrimitives();
    // Plain INSERTs of new rows: on InnoDB they take no gap locks, so independent orders never block
    // each other here (an upsert, or delete-then-insert of the lines, would, and can deadlock).
    await em.insert(OrderRow, { id, user: userId, coupon: couponId, ...columns });
    await em.insertMany(
      OrderItemRow,
      lines.map((line) => ({
        order: id,
        product: line.productId,
        productName: line.productName,
        unitPrice: line.unitPrice,
        quantity: line.quantity,
      })),
    );
  }
}
