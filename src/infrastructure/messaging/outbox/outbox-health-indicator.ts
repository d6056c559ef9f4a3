import { inject, injectable } from 'inversify';
import { HealthIndicator, type ComponentHealth } from '../../../application/health/health-indicator.js';
import { Clock } from '../../../application/shared/clock.js';
import { OutboxRelay } from './outbox-relay.js';
import { OutboxStore } from './outbox-store.js';

/**
 * The outbox backlog at /health. The table keeps events safe whatever the broker does, so a backlog alone
 * does not make the service DOWN (the Kafka component says whether the broker answers); its size and
 * the age of its oldest row say how far behind the relay is.
 */
@injectable()
export class OutboxHealthIndicator extends HealthIndicator {
  readonly component = 'outbox';

  constructor(
    @inject(OutboxStore) private readonly store: OutboxStore,
    @inject(OutboxRelay) private readonly relay: OutboxRelay,
    @inject(Clock) private readonly clock: Clock,
  ) {
    super();
  }

  async check(): Promise<ComponentHealth> {
    const { pending, sending, failed, oldestUnsentAt } = await this.store.backlog();
    return {
      status: 'UP',
      details: {
        pending,
        sending,
        failed,
        oldestPendingAgeMs:
          oldestUnsentAt === undefined ? 0 : this.clock.now().getTime() - oldestUnsentAt.getTime(),
        relayedByThisInstance: this.relay.relayed,
      },
    };
  }
}
