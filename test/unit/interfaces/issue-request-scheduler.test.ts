import { afterEach, describe, expect, it } from '@jest/globals';
import { PublishQueuedIssueRequests } from '../../../src/application/coupon-campaign/issue-requests/publish-queued-issue-requests.js';
import type { OutboundMessage } from '../../../src/domain/shared/global-event-publisher.js';
import { InMemoryIssueRequestQueue } from '../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-queue.js';
import { IssueRequestScheduler } from '../../../src/interfaces/scheduling/issue-request-scheduler.js';
import { FIXED_NOW } from '../../support/builders.js';
import { deferred } from '../../support/deferred.js';
import { FakeTransactionManager } from '../../support/fakes/fake-transaction-manager.js';
import { FixedClock } from '../../support/fakes/fixed-clock.js';
import { RecordingGlobalEventPublisher } from '../../support/fakes/recording-global-event-publisher.js';
import { RecordingLogger } from '../../support/fakes/recording-logger.js';

/** Holds every send until `release()`: a step stays "in hand" for as long as the test likes. */
class HeldPublisher extends RecordingGlobalEventPublisher {
  readonly #release = deferred();
  readonly #started = deferred();
  readonly started = this.#started.promise;

  release(): void {
    this.#release.resolve();
  }

  override async publish(message: OutboundMessage): Promise<void> {
    this.#started.resolve();
    await this.#release.promise;
    await super.publish(message);
  }
}

function aScheduler(publisher = new RecordingGlobalEventPublisher(), batchSize = 2) {
  const queue = new InMemoryIssueRequestQueue(new FixedClock(FIXED_NOW));
  const logger = new RecordingLogger();
  const publishQueued = new PublishQueuedIssueRequests(queue, publisher, new FakeTransactionManager());
  const scheduler = new IssueRequestScheduler(publishQueued, queue, logger, {
    pollIntervalMs: 10,
    batchSize,
  });
  const enqueue = async (count: number, firstUser = 1) => {
    for (let user = firstUser; user < firstUser + count; user++) {
      await queue.enqueue(1, user, `request-${user}`);
    }
  };
  const publishedIds = () => publisher.published.map((message) => message.eventId);
  return { scheduler, queue, publisher, logger, enqueue, publishedIds };
}

describe('IssueRequestScheduler', () => {
  let running: IssueRequestScheduler | undefined;
  afterEach(async () => {
    await running?.stop();
    running = undefined;
  });
  const started = (scheduler: IssueRequestScheduler) => {
    running = scheduler;
    scheduler.start();
    return scheduler;
  };

  it('runs steps of a batch until the queue is empty, and logs each one', async () => {
    const { scheduler, enqueue, publishedIds, logger } = aScheduler();
    await enqueue(5);

    await scheduler.publishWaitingRequests();

    expect(publishedIds()).toEqual(['request-1', 'request-2', 'request-3', 'request-4', 'request-5']);
    expect(logger.entries.filter((entry) => entry.message === 'issue requests published')).toEqual([
      {
        level: 'info',
        message: 'issue requests published',
        fields: { count: 2, campaigns: [1], firstPosition: 1, lastPosition: 2 },
      },
      {
        level: 'info',
        message: 'issue requests published',
        fields: { count: 2, campaigns: [1], firstPosition: 3, lastPosition: 4 },
      },
      {
        level: 'info',
        message: 'issue requests published',
        fields: { count: 1, campaigns: [1], firstPosition: 5, lastPosition: 5 },
      },
    ]);
  });

  it('first publishes again what a process that died left in flight, then the waiting requests', async () => {
    const { scheduler, queue, enqueue, publishedIds, logger } = aScheduler();
    await enqueue(3);
    await queue.takeNext(2); // a process took these and died

    await scheduler.publishWaitingRequests();

    expect(publishedIds()).toEqual(['request-1', 'request-2', 'request-3']);
    expect(logger.entries).toContainEqual({
      level: 'warn',
      message: 'issue requests left in flight (taken, never acknowledged) published again',
      fields: { count: 2, campaigns: [1], firstPosition: 1, lastPosition: 2 },
    });
    expect(await queue.inFlight()).toEqual([]);
  });

  it('keeps polling: requests queued after the start are published too, and drain waits for them', async () => {
    const { scheduler, enqueue, publishedIds } = aScheduler();
    started(scheduler);

    await enqueue(3);
    await scheduler.drain();

    expect(publishedIds()).toEqual(['request-1', 'request-2', 'request-3']);
  });

  it('logs a failed step and tries again at the next tick, the failed requests first, in order', async () => {
    const publisher = new RecordingGlobalEventPublisher();
    const { scheduler, enqueue, publishedIds, logger } = aScheduler(publisher);
    await enqueue(2);
    publisher.down = true;
    started(scheduler);
    while (!logger.messages('warn').includes('issue request step failed: tried again at the next tick')) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    await enqueue(1, 3);
    publisher.down = false;
    await scheduler.drain();

    expect(publishedIds()).toEqual(['request-1', 'request-2', 'request-3']);
  });

  it('finishes the step in hand when stopped: its requests are published and acknowledged', async () => {
    const publisher = new HeldPublisher();
    const { scheduler, queue, enqueue, publishedIds } = aScheduler(publisher);
    await enqueue(2);
    started(scheduler);
    await publisher.started;

    let stoppedYet = false;
    const stopped = scheduler.stop().then(() => (stoppedYet = true));
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(stoppedYet).toBe(false); // stop waits for the step in hand
    publisher.release();
    await stopped;

    expect(publishedIds()).toEqual(['request-1', 'request-2']);
    expect(await queue.inFlight()).toEqual([]);
  });

  it('takes no new step once stopped', async () => {
    const { scheduler, enqueue, publishedIds } = aScheduler();
    started(scheduler);
    await scheduler.stop();

    await enqueue(1);
    await new Promise((resolve) => setTimeout(resolve, 30));

    expect(publishedIds()).toEqual([]);
  });
});
