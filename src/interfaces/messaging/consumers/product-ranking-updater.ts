import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  ORDER_COMPLETED_TOPIC,
  type OrderCompletedPayload,
} from '../../../application/order/events/order-completed-message.js';
import {
  RecordProductSales,
  type CompletedOrderSales,
} from '../../../application/product/ranking/record-product-sales.js';
import { Logger } from '../../../application/shared/logger.js';
import {
  requestIdOf,
  type BatchMessageConsumer,
  type InboundMessage,
} from '../../../application/shared/messaging/message-consumer.js';
import { RequestContext } from '../../../application/shared/request-context.js';
import { parseEventEnvelope } from '../event-envelope-parser.js';

const orderCompletedPayload = z.looseObject({
  orderId: z.string(),
  completedAt: z.iso.datetime(),
  items: z.array(
    z.looseObject({
      productId: z.int().positive(),
      productName: z.string(),
      quantity: z.int().positive(),
    }),
  ),
}) satisfies z.ZodType<{
  orderId: OrderCompletedPayload['orderId'];
  completedAt: OrderCompletedPayload['completedAt'];
  items: Pick<OrderCompletedPayload['items'][number], 'productId' | 'productName' | 'quantity'>[];
}>;

/**
 * The product-ranking consumer group: a second, independent reader of the same topic. It receives every
 * order-completed event, as the data platform does (broadcast), and keeps its own offsets. A redelivered
 * event is not counted twice: the ranking itself de-duplicates by event id, atomically with the counting
 * (in a table: one transaction; in Redis: one script), since Redis and the database share no transaction.
 * A batch listener: the container hands it a fetched batch at once, counted in one transaction.
 */
@injectable()
export class ProductRankingUpdater implements BatchMessageConsumer {
  readonly groupId = 'product-ranking';
  readonly topic = ORDER_COMPLETED_TOPIC;

  constructor(
    @inject(RecordProductSales) private readonly recordProductSales: RecordProductSales,
    @inject(RequestContext) private readonly requestContext: RequestContext,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  handle(message: InboundMessage): Promise<void> {
    return this.handleBatch([message]);
  }

  /** Throws, having counted nothing, if any record does not parse: the container then takes them one by one. */
  async handleBatch(messages: readonly InboundMessage[]): Promise<void> {
    const orders = messages.map(toCompletedOrderSales);
    const counted = await this.recordProductSales.execute({ orders });
    // One line per event, under its own request id, as if it had been handled alone: `grep <request id>`
    // still tells one order's story, whichever batch its event came in.
    orders.forEach(({ eventId, orderId, sales }, index) =>
      this.requestContext.run(requestIdOf(messages[index]!), () => {
        if (counted[index]) {
          this.logger.info(
            { eventId, orderId, products: sales.map((sale) => sale.productId) },
            'product ranking updated',
          );
        } else {
          // The same words as the IdempotentReceiver's, so one search finds every skipped redelivery.
          this.logger.info(
            { consumerGroup: this.groupId, eventId },
            'duplicate delivery skipped: event already applied',
          );
        }
      }),
    );
  }
}

function toCompletedOrderSales(message: InboundMessage): CompletedOrderSales {
  const { eventId, payload } = parseEventEnvelope(message.value, orderCompletedPayload);
  return {
    eventId,
    orderId: payload.orderId,
    completedAt: new Date(payload.completedAt),
    sales: payload.items.map(({ productId, productName, quantity }) => ({
      productId,
      productName,
      quantity,
    })),
  };
}
