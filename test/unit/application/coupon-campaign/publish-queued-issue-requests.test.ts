import { describe, expect, it } from '@jest/globals';
import { PublishQueuedIssueRequests } from '../../../../src/application/coupon-campaign/issue-requests/publish-queued-issue-requests.js';
import { InMemoryIssueRequestQueue } from '../../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-queue.js';
import { FIXED_NOW } from '../../../support/builders.js';
import { FakeTransactionManager } from '../../../support/fakes/fake-transaction-manager.js';
import { FixedClock } from '../../../support/fakes/fixed-clock.js';
import { RecordingGlobalEventPublisher } from '../../../support/fakes/recording-global-event-publisher.js';

async function queueOf(requests: ReadonlyArray<readonly [campaignId: number, userId: number]>) {
  const queue = new InMemoryIssueRequestQueue(new FixedClock(FIXED_NOW));
  const transactions = new FakeTransactionManager();
  const publisher = new RecordingGlobalEventPublisher(transactions.journal);
  let next = 0;
  for (const [campaignId, userId] of requests) await queue.enqueue(campaignId, userId, `request-${++next}`);
  const publishQueued = new PublishQueuedIssueRequests(queue, publisher, transactions);
  return { publishQueued, queue, publisher, transactions };
}

describe('PublishQueuedIssueRequests', () => {
  it('publishes the oldest requests in queue order, in one transaction, then acknowledges them', async () => {
    const { publishQueued, queue, publisher, transactions } = await queueOf([
      [1, 10],
      [2, 10],
      [1, 11],
      [1, 12],
    ]);

    const published = await publishQueued.execute(3);

    expect(published).toEqual({ count: 3, campaigns: [1, 2], firstPosition: 1, lastPosition: 2 });
    expect(transactions.journal).toEqual([
      'begin',
      'publish request-1',
      'publish request-2',
      'publish request-3',
      'commit',
    ]);
    expect(await queue.inFlight()).toEqual([]);
    expect(await queue.waitingCount()).toBe(1);
    expect(publisher.mostConcurrentSends).toBe(1); // concurrent sends could reach the broker out of order
  });

  it('sends each request as a coupon.issue-requested message keyed by its campaign, its request id as event id', async () => {
    const { publishQueued, publisher } = await queueOf([[7, 10]]);

    await publishQueued.execute(10);

    expect(publisher.published).toEqual([
      {
        topic: 'outside.coupon.issue-requested.v1',
        key: '7',
        eventId: 'request-1',
        aggregateType: 'coupon-campaign',
        aggregateId: '7',
        headers: { 'event-type': 'coupon.issue-requested' },
        payload: {
          eventId: 'request-1',
          type: 'coupon.issue-requested',
          version: 1,
          occurredAt: FIXED_NOW.toISOString(),
          payload: {
            requestId: 'request-1',
            campaignId: 7,
            userId: 10,
            position: 1,
            requestedAt: FIXED_NOW.toISOString(),
          },
        },
      },
    ]);
  });

  it('does nothing on an empty queue', async () => {
    const { publishQueued, transactions } = await queueOf([]);

    expect(await publishQueued.execute(10)).toEqual({
      count: 0,
      campaigns: [],
      firstPosition: null,
      lastPosition: null,
    });
    expect(transactions.journal).toEqual([]);
  });

  it('leaves the requests in flight when publishing fails, so they are not lost', async () => {
    const { publishQueued, queue, publisher, transactions } = await queueOf([
      [1, 10],
      [1, 11],
    ]);
    publisher.down = true;

    await expect(publishQueued.execute(10)).rejects.toThrow('ECONNREFUSED');

    expect((await queue.inFlight()).map((request) => request.requestId)).toEqual(['request-1', 'request-2']);
    expect(transactions.journal).toEqual(['begin', 'rollback']);
  });

  it('publishes again, in order, what a process that died left in flight, and acknowledges it', async () => {
    const { publishQueued, queue, publisher } = await queueOf([
      [1, 10],
      [1, 11],
      [1, 12],
    ]);
    await queue.takeNext(2); // the process that took these died before publishing them

    const republished = await publishQueued.republishInFlight();

    expect(republished).toEqual({ count: 2, campaigns: [1], firstPosition: 1, lastPosition: 2 });
    expect(publisher.published.map((message) => message.eventId)).toEqual(['request-1', 'request-2']);
    expect(await queue.inFlight()).toEqual([]);
    expect(await queue.waitingCount()).toBe(1);
  });
});
