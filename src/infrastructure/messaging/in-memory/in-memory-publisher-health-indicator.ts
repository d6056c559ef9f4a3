import { inject, injectable } from 'inversify';
import { HealthIndicator, type ComponentHealth } from '../../../application/health/health-indicator.js';
import { InMemoryGlobalEventPublisher } from './in-memory-global-event-publisher.js';

@injectable()
export class InMemoryPublisherHealthIndicator extends HealthIndicator {
  readonly component = 'publisher';

  constructor(
    @inject(InMemoryGlobalEventPublisher) private readonly publisher: InMemoryGlobalEventPublisher,
  ) {
    super();
  }

  async check(): Promise<ComponentHealth> {
    return { status: 'UP', details: { type: 'in-memory', published: this.publisher.published.length } };
  }
}
