import { itBehavesLikeAGlobalEventPublisher } from '../../support/contracts/global-event-publisher-contract.js';
import { outboxPublisherUnderTest } from '../../support/servers/publishers-under-test.js';
import { describeWithRealServers } from '../../support/servers/real-servers.js';

// The outbox's own behaviour (transactions, claims, backoff, retention) is in ../outbox/outbox-relay.test.ts.
describeWithRealServers(
  'OutboxGlobalEventPublisher on SQLite, relayed to the real broker, held to the GlobalEventPublisher contract',
  () => {
    itBehavesLikeAGlobalEventPublisher(outboxPublisherUnderTest, 'the row stays');
  },
);
