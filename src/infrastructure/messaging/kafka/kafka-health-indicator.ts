import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import { HealthIndicator, type ComponentHealth } from '../../../application/health/health-indicator.js';
import { KafkaClient } from './kafka-client.js';
import { KafkaGlobalEventPublisher } from './kafka-global-event-publisher.js';
import { KafkaMessagingRuntime } from './kafka-messaging-runtime.js';

// Below the health endpoint's own limit, so a dead broker is reported with the send counts, not as a
// bare timeout. (kafkajs would retry for several seconds before giving up.)
const BROKER_ANSWER_TIMEOUT_MS = 1_000;

@injectable()
export class KafkaHealthIndicator extends HealthIndicator {
  readonly component = 'publisher';

  constructor(
    @inject(KafkaClient) private readonly client: KafkaClient,
    @inject(KafkaGlobalEventPublisher) private readonly publisher: KafkaGlobalEventPublisher,
    @inject(KafkaMessagingRuntime) private readonly runtime: KafkaMessagingRuntime,
  ) {
    super();
  }

  async check(): Promise<ComponentHealth> {
    const details = { type: 'kafka', bootstrapServers: this.client.brokers, ...this.publisher.counts };
    const { failedConsumers } = this.runtime;
    if (failedConsumers.length > 0) return { status: 'DOWN', details: { ...details, failedConsumers } };
    try {
      const cluster = await Promise.race([
        this.client.admin.describeCluster(),
        sleep(BROKER_ANSWER_TIMEOUT_MS, undefined, { ref: false }).then(() => {
          throw new Error(`no broker answered within ${BROKER_ANSWER_TIMEOUT_MS} ms`);
        }),
      ]);
      return {
        status: 'UP',
        details: { ...details, brokers: cluster.brokers.length, controller: cluster.controller },
      };
    } catch (error) {
      return { status: 'DOWN', details: { ...details, error: (error as Error).message } };
    }
  }
}
