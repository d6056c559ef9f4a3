import { SynchronousKafkaGlobalEventPublisher } from '../../../src/infrastructure/messaging/sync/synchronous-kafka-global-event-publisher.js';
import { itBehavesLikeAGlobalEventPublisher } from '../../support/contracts/global-event-publisher-contract.js';
import { kafkaPublisherUnderTest } from '../../support/servers/publishers-under-test.js';
import { describeWithRealServers } from '../../support/servers/real-servers.js';

describeWithRealServers(
  'SynchronousKafkaGlobalEventPublisher (real broker), held to the GlobalEventPublisher contract',
  () => {
    itBehavesLikeAGlobalEventPublisher(
      () => kafkaPublisherUnderTest((kafka) => new SynchronousKafkaGlobalEventPublisher(kafka)),
      'publish rejects',
    );
  },
);
