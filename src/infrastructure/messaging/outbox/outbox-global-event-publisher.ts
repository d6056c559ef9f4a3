import { inject, injectable } from 'inversify';
import { Clock } from '../../../application/shared/clock.js';
import { Logger } from '../../../application/shared/logger.js';
import { TransactionManager } from '../../../application/shared/transaction-manager.js';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { currentTraceHeaders, inSpanIfTraced } from '../../observability/tracing/spans.js';
import { OutboxRelayNudge } from './outbox-relay-nudge.js';
import { OutboxStore } from './outbox-store.js';

/**
 * The transactional outbox (docs/adr/006). `publish` sends nothing: it writes the message as a row of
 * `outbox_events` in the business transaction, so the order and its event commit together or not at all.
 * The `OutboxRelay` sends committed rows to Kafka later: this process's relay is nudged once the
 * transaction has committed, so it need not wait for its next poll. Bound with EVENT_PUBLISHER=outbox, whose mode
 * record (src/infrastructure/di/publishing-modes.ts) runs the order's event listener before commit.
 */
@injectable()
export class OutboxGlobalEventPublisher extends GlobalEventPublisher {
  constructor(
    @inject(OutboxStore) private readonly store: OutboxStore,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(OutboxRelayNudge) private readonly relayNudge: OutboxRelayNudge,
  ) {
    super();
  }

  async publish(message: OutboundMessage): Promise<void> {
    const fields = { topic: message.topic, key: message.key, eventId: message.eventId };
    // The row keeps this span's context: the relay sends the event in it, so the send and the consumers
    // join the order's trace.
    await inSpanIfTraced(`outbox write ${message.topic}`, async () => {
      if (await this.store.add(message, this.clock.now(), currentTraceHeaders())) {
        this.logger.info(fields, 'event written to the outbox, inside the transaction');
      } else {
        this.logger.info(fields, 'event already in the outbox: its first row stands');
      }
    });
    // Once committed, not now: until then the relay cannot see the row. And on a later turn of the event
    // loop, as the after-commit listeners start (TransactionalEventDispatcher): they go first.
    this.transactions.afterCommit(() => setImmediate(() => this.relayNudge.nudge()));
  }
}
