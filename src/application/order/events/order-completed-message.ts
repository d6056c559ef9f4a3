/** The topic other services subscribe to. Naming: `<scope>.<domain>.<event>.v<version>`. */
export const ORDER_COMPLETED_TOPIC = 'outside.order.completed.v1';

/** Version of the `order.completed` envelope's payload on that topic. */
export const ORDER_COMPLETED_VERSION = 1;

/** The payload consumers receive: `OrderCompleted.toPrimitives()` as it crosses the wire. */
export interface OrderCompletedPayload {
  readonly orderId: string;
  readonly userId: number;
  readonly items: readonly {
    readonly productId: number;
    readonly quantity: number;
    readonly unitPrice: number;
  }[];
  readonly couponId: number | null;
  readonly totalAmount: number;
  readonly discountAmount: number;
  readonly paidAmount: number;
  readonly completedAt: string;
}
