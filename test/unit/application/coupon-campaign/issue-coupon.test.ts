import { describe, expect, it } from '@jest/globals';
import { CampaignNotFound } from '../../../../src/domain/coupon-campaign/coupon-campaign-errors.js';
import { aCoupon, aCouponCampaign, FIXED_NOW } from '../../../support/builders.js';
import { issueCouponFixture } from '../../../support/issue-coupon-fixture.js';

// Campaign 1 gives 3 coupons of 1,000 off; every test starts with none issued.
const rush = () => issueCouponFixture({ campaigns: [aCouponCampaign().withId(1).withQuantity(3).build()] });

const request = (userId: number, position = userId) => ({
  requestId: `request-${userId}`,
  campaignId: 1,
  userId,
  position,
});

describe('IssueCoupon (the coupon-issuer consumer)', () => {
  it('issues a coupon of the campaign to the user, counts it, and records ISSUED after the commit', async () => {
    const { issueCoupon, campaigns, coupons, statuses, transactions, logger } = rush();

    const outcome = await issueCoupon.execute(request(101, 1));

    expect(outcome).toEqual({ status: 'ISSUED', couponId: 1 });
    expect(coupons.rows.get(1)).toEqual({
      id: 1,
      userId: 101,
      discount: { type: 'FIXED', amount: 1_000 },
      campaignId: 1,
      usedAt: null,
    });
    expect(coupons.issuedAt.get(1)).toEqual(FIXED_NOW);
    expect(campaigns.rows.get(1)?.issuedCount).toBe(1);
    expect(statuses.recorded).toEqual([{ requestId: 'request-101', outcome }]);
    expect(transactions.journal).toEqual(['begin', 'commit']);
    expect(logger.entries).toContainEqual({
      level: 'info',
      message: 'coupon issued',
      fields: {
        requestId: 'request-101',
        campaignId: 1,
        userId: 101,
        couponId: 1,
        position: 1,
        alreadyIssued: false,
      },
    });
  });

  it('issues exactly the quantity, in request order, and answers SOLD_OUT to everyone after', async () => {
    const { issueCoupon, campaigns, coupons, statuses } = rush();

    for (const userId of [101, 102, 103, 104, 105]) await issueCoupon.execute(request(userId));

    expect(statuses.recorded.map(({ outcome }) => outcome.status)).toEqual([
      'ISSUED',
      'ISSUED',
      'ISSUED',
      'SOLD_OUT',
      'SOLD_OUT',
    ]);
    expect([...coupons.rows.values()].map((coupon) => coupon.userId)).toEqual([101, 102, 103]);
    expect(campaigns.rows.get(1)?.issuedCount).toBe(3);
  });

  it('logs a sold-out request with its place in the line', async () => {
    const { issueCoupon, logger } = issueCouponFixture({
      campaigns: [aCouponCampaign().withId(1).withQuantity(1).withIssued(1).build()],
    });

    expect(await issueCoupon.execute(request(104, 4))).toEqual({ status: 'SOLD_OUT' });
    expect(logger.entries).toContainEqual({
      level: 'info',
      message: 'coupon request sold out',
      fields: { requestId: 'request-104', campaignId: 1, userId: 104, position: 4 },
    });
  });

  it('answers a redelivered request with the same coupon, and issues nothing more', async () => {
    const { issueCoupon, campaigns, coupons, statuses } = rush();
    const first = await issueCoupon.execute(request(101));

    const again = await issueCoupon.execute(request(101));

    expect(again).toEqual(first);
    expect(coupons.rows.size).toBe(1);
    expect(campaigns.rows.get(1)?.issuedCount).toBe(1);
    expect(statuses.recorded.map(({ outcome }) => outcome)).toEqual([first, first]);
  });

  it('gives a redelivered request its coupon even when the campaign has sold out since', async () => {
    const { issueCoupon, statuses } = issueCouponFixture({
      campaigns: [aCouponCampaign().withId(1).withQuantity(1).withIssued(1).build()],
      coupons: [aCoupon().withId(9).issuedTo(101).fromCampaign(1).build()],
    });

    expect(await issueCoupon.execute(request(101))).toEqual({ status: 'ISSUED', couponId: 9 });
    expect(statuses.recorded).toEqual([
      { requestId: 'request-101', outcome: { status: 'ISSUED', couponId: 9 } },
    ]);
  });

  it('records nothing when the transaction fails, so the redelivery decides', async () => {
    const { issueCoupon, coupons, statuses, transactions } = rush();
    coupons.issue = () => Promise.reject(new Error('connection lost'));

    await expect(issueCoupon.execute(request(101))).rejects.toThrow('connection lost');
    expect(statuses.recorded).toEqual([]);
    expect(transactions.journal).toEqual(['begin', 'rollback']);
  });

  it('refuses a request for a campaign that does not exist (the consumer retries, then dead-letters it)', async () => {
    const { issueCoupon, statuses } = rush();

    await expect(issueCoupon.execute({ ...request(101), campaignId: 99 })).rejects.toThrow(CampaignNotFound);
    expect(statuses.recorded).toEqual([]);
  });
});
