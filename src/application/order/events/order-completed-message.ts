import type { OrderCompletedPrimitives } from '../../../domain/order/order-completed.js';

/** The topic other services subscribe to. Naming: `<scope>.<domain>.<event>.v<version>`. */
export const ORDER_COMPLETED_TOPIC = 'outside.order.completed.v1';

/** Version of the `order.completed` envelope's payload on that topic. */
export const ORDER_COMPLETED_VERSION = 1;

/** The payload consumers receive on that topic, inside the envelope. */
export type OrderCompletedPayload = OrderCompletedPrimitives;
