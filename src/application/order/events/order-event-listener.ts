import { inject, injectable } from 'inversify';
import type { OrderCompleted } from '../../../domain/order/order-completed.js';
import { GlobalEventPublisher } from '../../../domain/shared/global-event-publisher.js';
import type { DomainEventListener } from '../../shared/events/domain-event-listener.js';
import { envelopeOf, MessageHeader } from '../../shared/events/event-envelope.js';
import { RequestContext } from '../../shared/request-context.js';
import { ORDER_COMPLETED_TOPIC, ORDER_COMPLETED_VERSION } from './order-completed-message.js';

/**
 * Hands the event to the outside world, keyed by order id, so every event of one order keeps its order on
 * the broker.
 *
 * When it runs: when the order's transaction ends, in the phase the publishing mode declares
 * (`listenerPhase` in src/infrastructure/di/publishing-modes.ts). After COMMIT for the modes that talk to
 * a broker, which must never hear of an order that rolled back; before COMMIT for the outbox, which writes
 * a row in the order's own transaction. This class is the same in every mode.
 */
@injectable()
export class OrderEventListener implements DomainEventListener<OrderCompleted> {
  constructor(
    @inject(GlobalEventPublisher) private readonly publisher: GlobalEventPublisher,
    @inject(RequestContext) private readonly requestContext: RequestContext,
  ) {}

  async handle(event: OrderCompleted): Promise<void> {
    const requestId = this.requestContext.currentRequestId();
    await this.publisher.publish({
      topic: ORDER_COMPLETED_TOPIC,
      key: event.orderId,
      payload: { ...envelopeOf(event, ORDER_COMPLETED_VERSION) },
      eventId: event.eventId,
      aggregateType: 'order',
      aggregateId: event.orderId,
      headers: {
        [MessageHeader.eventType]: event.eventName,
        ...(requestId === undefined ? {} : { [MessageHeader.requestId]: requestId }),
      },
    });
  }
}
