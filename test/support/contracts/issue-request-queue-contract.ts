import { beforeEach, expect, it } from '@jest/globals';
import type { IssueRequestQueue } from '../../../src/application/coupon-campaign/issue-requests/issue-request-queue.js';

/**
 * What every `IssueRequestQueue` adapter must do, as `it`s: call it inside a `describe` with a factory
 * that gives an empty queue each time (in memory, or Redis under a key prefix of the test's own).
 */
export function itBehavesLikeAnIssueRequestQueue(createEmptyQueue: () => Promise<IssueRequestQueue>): void {
  let queue: IssueRequestQueue;

  beforeEach(async () => {
    queue = await createEmptyQueue();
  });

  const requestIdsOf = (requests: readonly { requestId: string }[]) => requests.map((r) => r.requestId);

  it('gives each campaign its own line, with places from 1 in the order requests arrive', async () => {
    const first = await queue.enqueue(7, 101, 'request-a');
    const second = await queue.enqueue(7, 102, 'request-b');
    const otherCampaign = await queue.enqueue(8, 101, 'request-c');

    expect(first).toEqual({
      alreadyQueued: false,
      request: {
        requestId: 'request-a',
        campaignId: 7,
        userId: 101,
        position: 1,
        requestedAt: expect.any(Date),
      },
    });
    expect(second.request.position).toBe(2);
    expect(otherCampaign.request.position).toBe(1);
    expect(await queue.waitingCount()).toBe(3);
  });

  it('takes the time of each request from its own clock, in the order of the line', async () => {
    const before = Date.now();
    const first = await queue.enqueue(7, 101, 'request-a');
    const second = await queue.enqueue(7, 102, 'request-b');

    // A shared server's clock may differ from this process's by a little; it cannot be a day off.
    expect(Math.abs(first.request.requestedAt.getTime() - before)).toBeLessThan(60_000);
    expect(second.request.requestedAt.getTime()).toBeGreaterThanOrEqual(first.request.requestedAt.getTime());
  });

  it('answers a user who asks again with their first request, and queues nothing new', async () => {
    const first = await queue.enqueue(7, 101, 'request-a');
    const again = await queue.enqueue(7, 101, 'request-b');

    expect(again).toEqual({ alreadyQueued: true, request: first.request });
    expect(await queue.waitingCount()).toBe(1);
    expect(await queue.find('request-b')).toBeNull();
  });

  it('gives one place to one user asking many times at the same instant', async () => {
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => queue.enqueue(7, 101, `request-${i}`)),
    );

    expect(answers.filter((answer) => !answer.alreadyQueued)).toHaveLength(1);
    expect(new Set(requestIdsOf(answers.map((answer) => answer.request)))).toEqual(
      new Set([answers.find((answer) => !answer.alreadyQueued)!.request.requestId]),
    );
    expect(await queue.waitingCount()).toBe(1);
  });

  it('gives many users asking at the same instant distinct places, 1 to N', async () => {
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => queue.enqueue(7, 200 + i, `request-${i}`)),
    );

    const positions = answers.map((answer) => answer.request.position).sort((a, b) => a - b);
    expect(positions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });

  it('still knows a user after their request has been taken and acknowledged: never a second place', async () => {
    const first = await queue.enqueue(7, 101, 'request-a');
    await queue.acknowledge(requestIdsOf(await queue.takeNext(10)));

    const again = await queue.enqueue(7, 101, 'request-b');

    expect(again).toEqual({ alreadyQueued: true, request: first.request });
    expect(await queue.waitingCount()).toBe(0);
  });

  it('finds a request by id, and nothing for an unknown id', async () => {
    const { request } = await queue.enqueue(7, 101, 'request-a');

    expect(await queue.find('request-a')).toEqual(request);
    expect(await queue.find('no-such-request')).toBeNull();
  });

  it('hands requests on oldest first across campaigns, at most `max` at a time', async () => {
    await queue.enqueue(7, 101, 'request-a');
    await queue.enqueue(8, 101, 'request-b');
    await queue.enqueue(7, 102, 'request-c');

    expect(requestIdsOf(await queue.takeNext(2))).toEqual(['request-a', 'request-b']);
    expect(await queue.waitingCount()).toBe(1);
    expect(requestIdsOf(await queue.takeNext(2))).toEqual(['request-c']);
    expect(await queue.takeNext(2)).toEqual([]);
  });

  it('resolves taken requests whole, as enqueued', async () => {
    const { request } = await queue.enqueue(7, 101, 'request-a');

    expect(await queue.takeNext(1)).toEqual([request]);
  });

  it('never hands one request to two takers at the same instant', async () => {
    for (let i = 0; i < 30; i += 1) await queue.enqueue(7, 300 + i, `request-${i}`);

    const batches = await Promise.all([
      queue.takeNext(10),
      queue.takeNext(10),
      queue.takeNext(10),
      queue.takeNext(10),
    ]);

    const taken = batches.flatMap(requestIdsOf);
    expect(taken).toHaveLength(30);
    expect(new Set(taken).size).toBe(30);
  });

  it('keeps taken requests in flight, oldest first, until they are acknowledged', async () => {
    await queue.enqueue(7, 101, 'request-a');
    await queue.enqueue(7, 102, 'request-b');
    await queue.enqueue(7, 103, 'request-c');
    await queue.takeNext(2);
    await queue.takeNext(1);

    expect(requestIdsOf(await queue.inFlight())).toEqual(['request-a', 'request-b', 'request-c']);

    await queue.acknowledge(['request-a', 'request-c']);

    expect(requestIdsOf(await queue.inFlight())).toEqual(['request-b']);
    expect(await queue.waitingCount()).toBe(0);
  });

  it('still finds a request after it was acknowledged', async () => {
    const { request } = await queue.enqueue(7, 101, 'request-a');
    await queue.acknowledge(requestIdsOf(await queue.takeNext(1)));

    expect(await queue.find('request-a')).toEqual(request);
    expect(await queue.inFlight()).toEqual([]);
  });

  it('ignores the acknowledgement of a request it does not hold', async () => {
    await queue.enqueue(7, 101, 'request-a');

    await queue.acknowledge(['no-such-request', 'request-a']);

    expect(await queue.waitingCount()).toBe(1);
    expect(requestIdsOf(await queue.takeNext(1))).toEqual(['request-a']);
  });
}
