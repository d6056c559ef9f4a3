import { lineAmount } from '../../domain/order/order-line.js';
import type { Order, OrderStatus } from '../../domain/order/order.js';

/** An order as the outside world sees it: plain data, no behaviour. */
export interface OrderView {
  readonly id: string;
  readonly userId: number;
  readonly status: OrderStatus;
  readonly items: readonly OrderItemView[];
  readonly couponId: number | null;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly placedAt: string;
  readonly completedAt: string | null;
}

export interface OrderItemView {
  readonly productId: number;
  readonly productName: string;
  readonly unitPrice: number;
  readonly quantity: number;
  readonly amount: number;
}

export function toOrderView(order: Order): OrderView {
  return {
    id: order.id,
    userId: order.userId,
    status: order.status,
    items: order.lines.map((line) => ({ ...line, amount: lineAmount(line) })),
    couponId: order.couponId,
    totalAmount: order.totalAmount,
    discountAmount: order.discountAmount,
    paidAmount: order.paidAmount,
    placedAt: order.placedAt.toISOString(),
    completedAt: order.completedAt?.toISOString() ?? null,
  };
}
