import { DomainEvent, type DomainEventMetadata } from '../shared/domain-event.js';
import type { OrderLine } from './order-line.js';

export interface OrderCompletedFacts {
  readonly orderId: string;
  readonly userId: number;
  readonly lines: readonly OrderLine[];
  readonly couponId: number | null;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
}

/** The event's facts as they travel: plain JSON values. This is the payload other services read. */
export type OrderCompletedPrimitives = {
  readonly orderId: string;
  readonly userId: number;
  readonly items: readonly {
    readonly productId: number;
    readonly productName: string;
    readonly quantity: number;
    readonly unitPrice: number;
  }[];
  readonly couponId: number | null;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly completedAt: string;
};

/** An order was paid for and completed. Other services (data platform, ranking, inventory) react to it. */
export class OrderCompleted extends DomainEvent {
  static readonly EVENT_NAME = 'order.completed';
  readonly eventName = OrderCompleted.EVENT_NAME;

  constructor(
    readonly facts: OrderCompletedFacts,
    metadata?: DomainEventMetadata,
  ) {
    super(metadata);
  }

  get orderId(): string {
    return this.facts.orderId;
  }

  toPrimitives(): OrderCompletedPrimitives {
    const { facts } = this;
    return {
      orderId: facts.orderId,
      userId: facts.userId,
      items: facts.lines.map((line) => ({
        productId: line.productId,
        productName: line.productName,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
      })),
      couponId: facts.couponId,
      totalAmount: facts.totalAmount,
      discountAmount: facts.discountAmount,
      paidAmount: facts.paidAmount,
      completedAt: this.occurredAt.toISOString(),
    };
  }
}
