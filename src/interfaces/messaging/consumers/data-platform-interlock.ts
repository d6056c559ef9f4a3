import { inject, injectable } from 'inversify';
import { z } from 'zod';
import {
  ORDER_COMPLETED_TOPIC,
  type OrderCompletedPayload,
} from '../../../application/order/events/order-completed-message.js';
import { Logger } from '../../../application/shared/logger.js';
import { IdempotentReceiver } from '../../../application/shared/messaging/idempotent-receiver.js';
import { parseEventEnvelope } from '../event-envelope-parser.js';
import type {
  InboundMessage,
  MessageConsumer,
} from '../../../application/shared/messaging/message-consumer.js';

// Reads only the fields it needs, and tolerates new ones: a consumer that demanded the whole payload
// would break every time the producer added a field.
const orderCompletedPayload = z.looseObject({
  orderId: z.string(),
  paidAmount: z.number(),
}) satisfies z.ZodType<Pick<OrderCompletedPayload, 'orderId' | 'paidAmount'>>;

/**
 * Sends every completed order to the data platform. Here the "data platform" is a structured log line:
 * the point is to watch an event arrive in a consumer group of its own, after the order's response.
 * Like every consumer here it is idempotent: a redelivered event is recognised and not sent again.
 */
@injectable()
export class DataPlatformInterlock implements MessageConsumer {
  readonly groupId = 'data-platform';
  readonly topic = ORDER_COMPLETED_TOPIC;

  constructor(
    @inject(IdempotentReceiver) private readonly receiver: IdempotentReceiver,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async handle(message: InboundMessage): Promise<void> {
    const envelope = parseEventEnvelope(message.value, orderCompletedPayload);
    await this.receiver.applyOnce({ consumerGroup: this.groupId, eventId: envelope.eventId }, async () =>
      this.logger.info(
        {
          groupId: this.groupId,
          eventType: envelope.type,
          eventId: envelope.eventId,
          orderId: envelope.payload.orderId,
          paidAmount: envelope.payload.paidAmount,
          topic: message.topic,
          partition: message.partition,
          offset: message.offset,
        },
        'data platform received order',
      ),
    );
  }
}
