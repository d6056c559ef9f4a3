import { inject, injectable } from 'inversify';
import type { OrderCompleted } from '../../../domain/order/order-completed.js';
import { GlobalEventPublisher } from '../../../domain/shared/global-event-publisher.js';
import type { DomainEventListener } from '../../shared/events/domain-event-listener.js';
import { envelopeOf, MessageHeader } from '../../shared/events/event-envelope.js';
import { RequestContext } from '../../shared/request-context.js';
import { ORDER_COMPLETED_TOPIC, ORDER_COMPLETED_VERSION } from './order-completed-message.js';

/**
 * Hands the event to the outside world, keyed by order id, so every event of one order keeps its order on
 * the broker. It runs when the order's transaction ends (see `TransactionalEventDispatcher`): after commit
 * for publishers that talk to a broker, before commit for the outbox, which writes a row in the order's
 * own transaction. Which phase is the composition root's choice; this class is the same in every mode.
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
      headers: {
        [MessageHeader.eventId]: event.eventId,
        [MessageHeader.eventType]: event.eventName,
        [MessageHeader.aggregateType]: 'order',
        [MessageHeader.aggregateId]: event.orderId,
        ...(requestId === undefined ? {} : { [MessageHeader.requestId]: requestId }),
      },
    });
  }
}
