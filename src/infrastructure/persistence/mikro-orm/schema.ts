import { defineEntity, p } from '@mikro-orm/core';

// Money and points are BIGINT (read as JS numbers): the domain allows any safe integer, and MySQL's INT
// stops at 2,147,483,647.
//
// Table mappings. These describe rows, not domain objects: the repositories translate between a row and
// an aggregate (`fromPrimitives` / `toPrimitives`), so the domain never learns that MikroORM exists.

export const ProductRow = defineEntity({
  name: 'ProductRow',
  tableName: 'products',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    price: p.bigint('number'),
    stock: p.integer(),
  },
});

export const UserRow = defineEntity({
  name: 'UserRow',
  tableName: 'users',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(100),
    points: p.bigint('number'),
  },
});

// A limited, first-come campaign. `issued_count` is the row a rush fights over: it only grows under a row
// lock (see MikroOrmCouponCampaignRepository.findByIdForUpdate).
export const CouponCampaignRow = defineEntity({
  name: 'CouponCampaignRow',
  tableName: 'coupon_campaigns',
  properties: {
    id: p.integer().primary().autoincrement(),
    name: p.string().length(200),
    discountType: p.enum(['FIXED', 'PERCENTAGE'] as const),
    discountValue: p.bigint('number'),
    quantity: p.integer(),
    issuedCount: p.integer(),
    opensAt: p.datetime(3),
    closesAt: p.datetime(3),
  },
});

export const CouponRow = defineEntity({
  name: 'CouponRow',
  tableName: 'coupons',
  properties: {
    id: p.integer().primary().autoincrement(),
    user: () => p.manyToOne(UserRow).fieldName('user_id'),
    discountType: p.enum(['FIXED', 'PERCENTAGE'] as const),
    discountValue: p.bigint('number'),
    usedAt: p.datetime(3).nullable(),
    /** The campaign that issued the coupon; null for a coupon handed out directly (the demo's first four). */
    campaign: () => p.manyToOne(CouponCampaignRow).fieldName('campaign_id').nullable(),
    issuedAt: p.datetime(3).nullable(),
  },
  // One coupon per user per campaign, whatever the code above forgets. (NULL campaigns never collide.)
  uniques: [{ properties: ['campaign', 'user'], name: 'coupons_campaign_id_user_id_unique' }],
});

export const OrderRow = defineEntity({
  name: 'OrderRow',
  tableName: 'orders',
  properties: {
    id: p.string().length(36).primary(),
    user: () => p.manyToOne(UserRow).fieldName('user_id'),
    coupon: () => p.manyToOne(CouponRow).fieldName('coupon_id').nullable(),
    status: p.enum(['PLACED', 'COMPLETED'] as const),
    totalAmount: p.bigint('number'),
    discountAmount: p.bigint('number'),
    paidAmount: p.bigint('number'),
    placedAt: p.datetime(3),
    completedAt: p.datetime(3).nullable(),
  },
});

export const OrderItemRow = defineEntity({
  name: 'OrderItemRow',
  tableName: 'order_items',
  properties: {
    order: () => p.manyToOne(OrderRow).fieldName('order_id').primary(),
    // Order history must outlive catalogue changes: a product that was ordered cannot be deleted.
    product: () =>
      p.manyToOne(ProductRow).fieldName('product_id').primary().deleteRule('restrict').updateRule('restrict'),
    productName: p.string().length(200),
    unitPrice: p.bigint('number'),
    quantity: p.integer(),
  },
});

// The product-ranking consumer's own read model, built from order-completed events only. It copies the
// product name from the event instead of joining `products`: a consumer in another service could not.
export const ProductSalesRow = defineEntity({
  name: 'ProductSalesRow',
  tableName: 'product_sales',
  properties: {
    productId: p.integer().primary().autoincrement(false),
    productName: p.string().length(200),
    unitsSold: p.bigint('number').index('product_sales_units_sold_index'),
  },
});

/** Where an outbox row is in its life: written → claimed by a relay → acknowledged by the broker, or given up. */
export const OUTBOX_STATUSES = ['PENDING', 'SENDING', 'SENT', 'FAILED'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

// The transactional outbox: one row per event, written in the same transaction as the business change,
// and relayed to the broker later (src/infrastructure/messaging/outbox). `id` gives the relaying order.
// (INT UNSIGNED on MySQL: 4.29 billion events. A BIGINT key would not round-trip on SQLite in MikroORM.)
export const OutboxEventRow = defineEntity({
  name: 'OutboxEventRow',
  tableName: 'outbox_events',
  properties: {
    id: p.integer().primary().autoincrement(),
    eventId: p.string().length(36).unique('outbox_events_event_id_unique'),
    aggregateType: p.string().length(50),
    aggregateId: p.string().length(100),
    topic: p.string().length(249),
    // Also the key of every earlier row the relay must send first (see OutboxStore.claimBatch).
    messageKey: p.string().length(100).index('outbox_events_message_key_index'),
    /** The message value, serialized exactly as it will cross the wire. */
    payload: p.text(),
    /** A JSON object of header name → value. */
    headers: p.text(),
    /**
     * The trace the event was written in, as W3C headers in JSON (`{"traceparent":"00-…"}`), so the relay
     * sends it in the order's trace, not its own; '' when tracing was off.
     */
    traceContext: p.text(),
    status: p.enum(OUTBOX_STATUSES).index('outbox_events_status_index'),
    /** Sends tried so far; at the relay's limit the row becomes FAILED. */
    attempts: p.integer(),
    /** Why the last send failed; '' until one does. (Not NULL: MariaDB reports a nullable string's
     * default as the text 'NULL', and MikroORM would see schema drift where there is none.) */
    lastError: p.string().length(1000),
    createdAt: p.datetime(3),
    /** A PENDING row is not claimed before this time: the backoff after a failed send. */
    nextAttemptAt: p.datetime(3),
    /** When a relay claimed it (status SENDING); a claim this old was left by a relay that died. */
    claimedAt: p.datetime(3).nullable(),
    sentAt: p.datetime(3).nullable(),
  },
});

// The inbox of the idempotent consumers: which events each consumer group has already applied. Written in
// the same transaction as the effect, so a redelivered event finds its row and is skipped.
export const ProcessedEventRow = defineEntity({
  name: 'ProcessedEventRow',
  tableName: 'processed_events',
  properties: {
    consumerGroup: p.string().length(100).primary(),
    eventId: p.string().length(36).primary(),
    processedAt: p.datetime(3),
  },
});

export const persistenceSchema = [
  ProductRow,
  UserRow,
  CouponCampaignRow,
  CouponRow,
  OrderRow,
  OrderItemRow,
  ProductSalesRow,
  OutboxEventRow,
  ProcessedEventRow,
];
