// The only file of the benchmark that imports the compiled service (dist/, built by bench/run.mjs first).
// What the bench uses of src/ is listed here once; test/tooling/bench-seam.test.ts checks that src/ still
// exports each name, so a rename in src fails `npm test` rather than the next benchmark run.
export { COUPON_ISSUE_REQUESTED_TOPIC } from '../../dist/application/coupon-campaign/issue-requests/coupon-issue-requested-message.js';
export { ORDER_COMPLETED_TOPIC } from '../../dist/application/order/events/order-completed-message.js';
export { Logger } from '../../dist/application/shared/logger.js';
export { RequestContext } from '../../dist/application/shared/request-context.js';
export { loadConfig } from '../../dist/infrastructure/config/config.js';
export { createContainer } from '../../dist/infrastructure/di/container.js';
export { RetryPolicy } from '../../dist/infrastructure/messaging/consumer/retry-policy.js';
export { AckMode } from '../../dist/infrastructure/messaging/kafka/ack-mode.js';
export { inboundMessageOf } from '../../dist/infrastructure/messaging/kafka/inbound-message.js';
export { KafkaClient } from '../../dist/infrastructure/messaging/kafka/kafka-client.js';
export { KafkaListenerContainer } from '../../dist/infrastructure/messaging/kafka/kafka-listener-container.js';
export { KafkaGlobalEventPublisher } from '../../dist/infrastructure/messaging/kafka/kafka-global-event-publisher.js';
export { ConsumerMetrics } from '../../dist/infrastructure/observability/metrics/consumer-metrics.js';
export { Database } from '../../dist/infrastructure/persistence/mikro-orm/database.js';
export {
  CouponCampaignRow,
  CouponRow,
  OutboxEventRow,
  ProductRow,
  UserRow,
} from '../../dist/infrastructure/persistence/mikro-orm/schema.js';
export { ProductRankingUpdater } from '../../dist/interfaces/messaging/consumers/product-ranking-updater.js';
