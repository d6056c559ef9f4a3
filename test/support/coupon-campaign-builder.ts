import type { CouponDiscount } from '../../src/domain/coupon/coupon.js';
import { CouponCampaign } from '../../src/domain/coupon-campaign/coupon-campaign.js';
import { FIXED_NOW } from './builders.js';

const HOUR_MS = 60 * 60 * 1000;

/** A campaign open around `FIXED_NOW` (an hour either side), 50 coupons of 1,000 off, none issued yet. */
export function aCouponCampaign() {
  const data = {
    id: 1,
    name: 'First 50',
    discount: { type: 'FIXED', amount: 1_000 } as CouponDiscount,
    quantity: 50,
    issuedCount: 0,
    opensAt: new Date(FIXED_NOW.getTime() - HOUR_MS),
    closesAt: new Date(FIXED_NOW.getTime() + HOUR_MS),
  };
  const builder = {
    withId: (id: number) => ((data.id = id), builder),
    withQuantity: (quantity: number) => ((data.quantity = quantity), builder),
    withIssuedCount: (issuedCount: number) => ((data.issuedCount = issuedCount), builder),
    openBetween: (opensAt: Date, closesAt: Date) => (
      (data.opensAt = opensAt),
      (data.closesAt = closesAt),
      builder
    ),
    build: () => CouponCampaign.fromPrimitives(data),
  };
  return builder;
}
