import { describe, expect, it } from '@jest/globals';
import {
  CampaignClosed,
  CampaignNotFound,
  CampaignSoldOut,
} from '../../../../src/domain/coupon-campaign/coupon-campaign-errors.js';
import { UserNotFound } from '../../../../src/domain/user/user-errors.js';
import { aCouponCampaign, aUser, FIXED_NOW } from '../../../support/builders.js';
import { issueCouponFixture } from '../../../support/issue-coupon-fixture.js';

const shop = () =>
  issueCouponFixture({
    campaigns: [
      aCouponCampaign().withId(1).withQuantity(2).build(),
      aCouponCampaign()
        .withId(2)
        .openBetween(new Date('2025-06-01T00:00:00.000Z'), new Date('2025-09-01T00:00:00.000Z'))
        .build(),
    ],
    users: [1, 2, 3].map((id) => aUser().withId(id).build()),
  });

describe('IssueCouponDirectly (the baseline: issuing inside the HTTP request)', () => {
  it('issues a coupon to the user and counts it, in one transaction', async () => {
    const { issueCouponDirectly, campaigns, coupons, transactions, logger } = shop();

    const issued = await issueCouponDirectly.execute({ campaignId: 1, userId: 2 });

    expect(issued).toEqual({
      couponId: 1,
      campaignId: 1,
      userId: 2,
      discount: { type: 'FIXED', amount: 1_000 },
      alreadyIssued: false,
    });
    expect(coupons.rows.get(1)?.campaignId).toBe(1);
    expect(coupons.issuedAt.get(1)).toEqual(FIXED_NOW);
    expect(campaigns.rows.get(1)?.issuedCount).toBe(1);
    expect(transactions.journal).toEqual(['begin', 'commit']);
    expect(logger.messages('info')).toEqual(['coupon issued directly']);
  });

  it('gives a user who asks again the coupon they already have', async () => {
    const { issueCouponDirectly, campaigns, coupons } = shop();
    const first = await issueCouponDirectly.execute({ campaignId: 1, userId: 2 });

    const again = await issueCouponDirectly.execute({ campaignId: 1, userId: 2 });

    expect(again).toEqual({ ...first, alreadyIssued: true });
    expect(coupons.rows.size).toBe(1);
    expect(campaigns.rows.get(1)?.issuedCount).toBe(1);
  });

  it('throws CampaignSoldOut once exactly the quantity is issued, and writes nothing', async () => {
    const { issueCouponDirectly, campaigns, coupons } = shop();
    await issueCouponDirectly.execute({ campaignId: 1, userId: 1 });
    await issueCouponDirectly.execute({ campaignId: 1, userId: 2 });

    await expect(issueCouponDirectly.execute({ campaignId: 1, userId: 3 })).rejects.toThrow(CampaignSoldOut);
    expect(coupons.rows.size).toBe(2);
    expect(campaigns.rows.get(1)?.issuedCount).toBe(2);
  });

  it.each([
    ['an unknown campaign', { campaignId: 99, userId: 1 }, CampaignNotFound],
    ['an unknown user', { campaignId: 1, userId: 99 }, UserNotFound],
    ['a campaign whose window has closed', { campaignId: 2, userId: 1 }, CampaignClosed],
  ])('refuses %s, and issues nothing', async (_, command, error) => {
    const { issueCouponDirectly, campaigns, coupons } = shop();

    await expect(issueCouponDirectly.execute(command)).rejects.toThrow(error);
    expect(coupons.rows.size).toBe(0);
    expect([...campaigns.rows.values()].map((campaign) => campaign.issuedCount)).toEqual([0, 0]);
  });
});
