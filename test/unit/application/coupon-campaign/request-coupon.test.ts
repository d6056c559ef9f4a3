import { describe, expect, it } from '@jest/globals';
import { RequestCoupon } from '../../../../src/application/coupon-campaign/request-coupon/request-coupon.js';
import {
  CampaignClosed,
  CampaignNotFound,
} from '../../../../src/domain/coupon-campaign/coupon-campaign-errors.js';
import { UserNotFound } from '../../../../src/domain/user/user-errors.js';
import { InMemoryIssueRequestQueue } from '../../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-queue.js';
import { InMemoryIssueRequestStatuses } from '../../../../src/infrastructure/key-value/in-memory/in-memory-issue-request-statuses.js';
import { aCouponCampaign, aUser, FIXED_NOW } from '../../../support/builders.js';

import { FixedClock } from '../../../support/fakes/fixed-clock.js';

import {
  InMemoryCouponCampaignRepository,
  InMemoryUserRepository,
} from '../../../support/fakes/in-memory-repositories.js';
import { RecordingLogger } from '../../../support/fakes/recording-logger.js';

const HOUR_MS = 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

function rush() {
  const clock = new FixedClock(FIXED_NOW);
  const queue = new InMemoryIssueRequestQueue(clock);
  const statuses = new InMemoryIssueRequestStatuses();
  const logger = new RecordingLogger();
  const campaigns = new InMemoryCouponCampaignRepository([
    aCouponCampaign().withId(1).build(),
    aCouponCampaign()
      .withId(2)
      .openBetween(new Date(FIXED_NOW.getTime() + HOUR_MS), new Date(FIXED_NOW.getTime() + 2 * HOUR_MS))
      .build(),
    aCouponCampaign()
      .withId(3)
      .openBetween(new Date(FIXED_NOW.getTime() - 2 * HOUR_MS), FIXED_NOW)
      .build(),
  ]);
  const users = new InMemoryUserRepository([aUser().withId(1).build(), aUser().withId(2).build()]);
  const requestCoupon = new RequestCoupon(campaigns, users, queue, statuses, clock, logger);
  return { requestCoupon, queue, statuses, logger };
}

describe('RequestCoupon', () => {
  it('queues the user and answers at once with their place, WAITING', async () => {
    const { requestCoupon, queue, logger } = rush();

    const first = await requestCoupon.execute({ campaignId: 1, userId: 1 });
    const second = await requestCoupon.execute({ campaignId: 1, userId: 2 });

    expect(first).toEqual({
      requestId: expect.stringMatching(UUID),
      campaignId: 1,
      userId: 1,
      position: 1,
      requestedAt: FIXED_NOW.toISOString(),
      status: 'WAITING',
      couponId: null,
    });
    expect(second.position).toBe(2);
    expect(await queue.waitingCount()).toBe(2);
    expect(logger.entries[0]).toEqual({
      level: 'info',
      message: 'coupon request queued',
      fields: { requestId: first.requestId, campaignId: 1, userId: 1, position: 1 },
    });
  });

  it('answers a user who asks again with their first request, as it stands now', async () => {
    const { requestCoupon, queue, statuses, logger } = rush();
    const first = await requestCoupon.execute({ campaignId: 1, userId: 1 });
    await statuses.record(first.requestId, { status: 'ISSUED', couponId: 77 });

    const again = await requestCoupon.execute({ campaignId: 1, userId: 1 });

    expect(again).toEqual({ ...first, status: 'ISSUED', couponId: 77 });
    expect(await queue.waitingCount()).toBe(1);
    expect(logger.messages()).toEqual(['coupon request queued', 'coupon request already queued']);
  });

  it.each([
    ['an unknown campaign', { campaignId: 99, userId: 1 }, CampaignNotFound],
    ['an unknown user', { campaignId: 1, userId: 99 }, UserNotFound],
    ['a campaign not open yet', { campaignId: 2, userId: 1 }, CampaignClosed],
    ['a campaign that has closed', { campaignId: 3, userId: 1 }, CampaignClosed],
  ])('refuses %s, and queues nothing', async (_case, command, error) => {
    const { requestCoupon, queue } = rush();

    await expect(requestCoupon.execute(command)).rejects.toThrow(error);

    expect(await queue.waitingCount()).toBe(0);
  });
});
