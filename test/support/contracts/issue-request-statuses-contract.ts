import { beforeEach, expect, it } from '@jest/globals';
import type { IssueRequestStatuses } from '../../../src/application/coupon-campaign/issue-requests/issue-request-statuses.js';

/**
 * What every `IssueRequestStatuses` adapter must do, as `it`s: call it inside a `describe` with a factory
 * that gives an empty store each time.
 */
export function itBehavesLikeIssueRequestStatuses(
  createEmptyStatuses: () => Promise<IssueRequestStatuses>,
): void {
  let statuses: IssueRequestStatuses;

  beforeEach(async () => {
    statuses = await createEmptyStatuses();
  });

  it('knows no outcome for a request that has not been issued', async () => {
    expect(await statuses.outcomeOf('request-a')).toBeNull();
  });

  it('gives back an issued outcome with its coupon id', async () => {
    await statuses.record('request-a', { status: 'ISSUED', couponId: 42 });

    expect(await statuses.outcomeOf('request-a')).toEqual({ status: 'ISSUED', couponId: 42 });
  });

  it('gives back a sold-out outcome', async () => {
    await statuses.record('request-b', { status: 'SOLD_OUT' });

    expect(await statuses.outcomeOf('request-b')).toEqual({ status: 'SOLD_OUT' });
  });

  it('keeps each request apart, and takes the same outcome twice (a redelivery) without harm', async () => {
    await statuses.record('request-a', { status: 'ISSUED', couponId: 42 });
    await statuses.record('request-b', { status: 'SOLD_OUT' });
    await statuses.record('request-a', { status: 'ISSUED', couponId: 42 });

    expect(await statuses.outcomeOf('request-a')).toEqual({ status: 'ISSUED', couponId: 42 });
    expect(await statuses.outcomeOf('request-b')).toEqual({ status: 'SOLD_OUT' });
  });
}
