import { describe, expect, it } from '@jest/globals';
import { GetIssueRequest } from '../../../../src/application/coupon-campaign/get-issue-request/get-issue-request.js';
import { IssueRequestNotFound } from '../../../../src/application/coupon-campaign/issue-requests/issue-request-errors.js';
import { InMemoryIssueRequestQueue } from '../../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-queue.js';
import { InMemoryIssueRequestStatuses } from '../../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-statuses.js';
import { FIXED_NOW } from '../../../support/builders.js';
import { FixedClock } from '../../../support/fakes/fixed-clock.js';

async function queuedRequest() {
  const queue = new InMemoryIssueRequestQueue(new FixedClock(FIXED_NOW));
  const statuses = new InMemoryIssueRequestStatuses();
  await queue.enqueue(1, 5, 'request-a');
  return { getIssueRequest: new GetIssueRequest(queue, statuses), statuses };
}

describe('GetIssueRequest', () => {
  it('tells a request WAITING until the issuer has decided', async () => {
    const { getIssueRequest } = await queuedRequest();

    expect(await getIssueRequest.execute({ campaignId: 1, requestId: 'request-a' })).toEqual({
      requestId: 'request-a',
      campaignId: 1,
      userId: 5,
      position: 1,
      requestedAt: FIXED_NOW.toISOString(),
      status: 'WAITING',
      couponId: null,
    });
  });

  it('tells ISSUED with the coupon id, or SOLD_OUT, once the issuer recorded it', async () => {
    const { getIssueRequest, statuses } = await queuedRequest();

    await statuses.record('request-a', { status: 'ISSUED', couponId: 12 });
    expect(await getIssueRequest.execute({ campaignId: 1, requestId: 'request-a' })).toMatchObject({
      status: 'ISSUED',
      couponId: 12,
    });

    await statuses.record('request-a', { status: 'SOLD_OUT' });
    expect(await getIssueRequest.execute({ campaignId: 1, requestId: 'request-a' })).toMatchObject({
      status: 'SOLD_OUT',
      couponId: null,
    });
  });

  it.each([
    ['an unknown id', { campaignId: 1, requestId: 'no-such-request' }],
    ['a request of another campaign', { campaignId: 2, requestId: 'request-a' }],
  ])('knows no request for %s', async (_case, query) => {
    const { getIssueRequest } = await queuedRequest();

    await expect(getIssueRequest.execute(query)).rejects.toThrow(IssueRequestNotFound);
  });
});
