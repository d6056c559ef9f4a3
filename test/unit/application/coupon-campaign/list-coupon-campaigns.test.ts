import { describe, expect, it } from '@jest/globals';
import { ListCouponCampaigns } from '../../../../src/application/coupon-campaign/list-coupon-campaigns/list-coupon-campaigns.js';
import { aCouponCampaign, FIXED_NOW } from '../../../support/builders.js';
import { InMemoryCouponCampaignRepository } from '../../../support/fakes/in-memory-repositories.js';

import { FixedClock } from '../../../support/fakes/fixed-clock.js';

describe('ListCouponCampaigns', () => {
  it('lists each campaign with its quantity, coupons issued and left, and whether it is open now', async () => {
    const campaigns = new InMemoryCouponCampaignRepository([
      aCouponCampaign().withId(1).withQuantity(50).withIssued(20).build(),
      aCouponCampaign()
        .withId(2)
        .openBetween(new Date('2026-01-01T00:00:00.000Z'), new Date('2026-02-01T00:00:00.000Z'))
        .build(),
    ]);

    const views = await new ListCouponCampaigns(campaigns, new FixedClock(FIXED_NOW)).execute();

    expect(views).toEqual([
      {
        id: 1,
        name: 'First 10',
        discount: { type: 'FIXED', amount: 1_000 },
        quantity: 50,
        issuedCount: 20,
        remaining: 30,
        opensAt: '2026-01-01T00:00:00.000Z',
        closesAt: '2099-12-31T00:00:00.000Z',
        open: true,
      },
      expect.objectContaining({ id: 2, open: false }),
    ]);
  });
});
