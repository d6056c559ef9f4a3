import { inject, injectable } from 'inversify';
import { Logger } from '../logger.js';
import { TransactionManager } from '../transaction-manager.js';
import { ProcessedEvents } from './processed-events.js';

export interface Delivery {
  readonly consumerGroup: string;
  readonly eventId: string;
}

/**
 * The Idempotent Receiver (Enterprise Integration Patterns). Kafka delivers at least once: a consumer that
 * crashes after its effect but before committing its offset gets the same record again. This applies the
 * effect once per consumer group and event, by recording the event id in the same transaction as the
 * effect. A use case called inside `effect` joins that transaction.
 */
@injectable()
export class IdempotentReceiver {
  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(ProcessedEvents) private readonly processedEvents: ProcessedEvents,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  /** Runs `effect` unless this consumer group already applied this event. Resolves whether it ran. */
  async applyOnce(delivery: Delivery, effect: () => Promise<void>): Promise<boolean> {
    const applied = await this.transactions.run(async () => {
      const recorded = await this.processedEvents.recordFirstDeliveries(delivery.consumerGroup, [
        delivery.eventId,
      ]);
      if (!recorded.has(delivery.eventId)) return false;
      await effect();
      return true;
    });
    if (!applied) this.logger.info({ ...delivery }, 'duplicate delivery skipped: event already applied');
    return applied;
  }
}
