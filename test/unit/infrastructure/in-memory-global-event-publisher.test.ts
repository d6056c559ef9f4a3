import { describe } from '@jest/globals';
import { Registry } from 'prom-client';
import { InMemoryGlobalEventPublisher } from '../../../src/infrastructure/messaging/in-memory/in-memory-global-event-publisher.js';
import { InProcessBroker } from '../../../src/infrastructure/messaging/in-memory/in-process-broker.js';
import { RetryPolicy } from '../../../src/infrastructure/messaging/consumer/retry-policy.js';
import { AsyncLocalStorageRequestContext } from '../../../src/infrastructure/observability/async-local-storage-request-context.js';
import { ConsumerMetrics } from '../../../src/infrastructure/observability/metrics/consumer-metrics.js';
import {
  itBehavesLikeAGlobalEventPublisher,
  type PublisherUnderTest,
} from '../../support/contracts/global-event-publisher-contract.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';

// Its own behaviour (consumer groups, retries, dead letters, retention) is in in-process-broker.test.ts.
async function inMemoryPublisherUnderTest(): Promise<PublisherUnderTest> {
  const logger = new RecordingLogger();
  const broker = new InProcessBroker(
    new RetryPolicy(3, 1, 1),
    logger,
    new AsyncLocalStorageRequestContext(),
    new ConsumerMetrics(new Registry()),
  );
  const publisher = new InMemoryGlobalEventPublisher(broker, logger);
  const topic = 'test.publisher-contract';
  return {
    publisher,
    topic,
    publish: (message) => publisher.publish(message),
    delivered: async (count) =>
      publisher.published.filter((record) => record.topic === topic).slice(0, count),
    shutdown: () => broker.drain(),
    close: async () => undefined,
  };
}

describe('InMemoryGlobalEventPublisher, held to the GlobalEventPublisher contract', () => {
  itBehavesLikeAGlobalEventPublisher(inMemoryPublisherUnderTest, 'nothing is refused');
});
