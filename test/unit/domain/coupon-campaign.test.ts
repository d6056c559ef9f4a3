import { describe, expect, it } from '@jest/globals';
import {
  CampaignClosed,
  CampaignSoldOut,
} from '../../../src/domain/coupon-campaign/coupon-campaign-errors.js';
import { InvalidValue } from '../../../src/domain/shared/invalid-value.js';
import { aCouponCampaign } from '../../support/builders.js';

const opensAt = new Date('2026-12-01T00:00:00.000Z');
const closesAt = new Date('2026-12-02T00:00:00.000Z');

describe('CouponCampaign', () => {
  it('issues coupons of its discount until exactly its quantity, then says it is sold out', () => {
    const campaign = aCouponCampaign().withId(7).withQuantity(2).percentage(10).build();

    expect(campaign.issueCouponTo(1)).toEqual({
      campaignId: 7,
      userId: 1,
      discount: { type: 'PERCENTAGE', percent: 10 },
    });
    campaign.issueCouponTo(2);

    expect(() => campaign.issueCouponTo(3)).toThrow(CampaignSoldOut);
    expect(campaign.issuedCount).toBe(2);
    expect(campaign.remaining).toBe(0);
  });

  it('takes requests from its opening time (inclusive) to its closing time (exclusive)', () => {
    const campaign = aCouponCampaign().openBetween(opensAt, closesAt).build();
    const justBefore = new Date(opensAt.getTime() - 1);

    expect(() => campaign.assertTakesRequestsAt(justBefore)).toThrow(/opens at 2026-12-01T00:00:00.000Z/);
    expect(() => campaign.assertTakesRequestsAt(opensAt)).not.toThrow();
    expect(() => campaign.assertTakesRequestsAt(closesAt)).toThrow(CampaignClosed);
    expect(() => campaign.assertTakesRequestsAt(closesAt)).toThrow(/closed at 2026-12-02T00:00:00.000Z/);
    expect([justBefore, opensAt, closesAt].map((at) => campaign.isOpenAt(at))).toEqual([false, true, false]);
  });

  it('refuses a count past its quantity, and a window that closes before it opens', () => {
    expect(() => aCouponCampaign().withQuantity(5).withIssued(6).build()).toThrow(InvalidValue);
    expect(() => aCouponCampaign().openBetween(closesAt, opensAt).build()).toThrow(InvalidValue);
  });
});
