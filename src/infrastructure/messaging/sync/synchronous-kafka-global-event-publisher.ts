import { inject, injectable } from 'inversify';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { KafkaGlobalEventPublisher } from '../kafka/kafka-global-event-publisher.js';

/**
 * ANTI-PATTERN, kept for the benchmark (`npm run bench`, docs/benchmarks.md): the "before" design that
 * after-commit events replace. Bound with EVENT_PUBLISHER=sync, whose mode record (`listenerPhase: 'before-commit'` in
 * src/infrastructure/di/publishing-modes.ts) runs the order's event listener before commit, so the order's
 * transaction waits for the broker's acknowledgement:
 *
 * - every order is as slow as the broker, and holds its row locks and a database connection meanwhile;
 * - with the broker down, no order can be placed at all (the send fails, the transaction rolls back);
 * - the broker may acknowledge an event whose order then fails to commit: a message about nothing.
 *
 * Never choose it for a real service: use `kafka` (after commit) or `outbox` (nothing lost).
 */
@injectable()
export class SynchronousKafkaGlobalEventPublisher extends GlobalEventPublisher {
  constructor(@inject(KafkaGlobalEventPublisher) private readonly kafka: KafkaGlobalEventPublisher) {
    super();
  }

  publish(message: OutboundMessage): Promise<void> {
    return this.kafka.publish(message);
  }
}
