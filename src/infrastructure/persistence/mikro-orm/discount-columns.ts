import type { CouponDiscount } from '../../../domain/coupon/coupon.js';

/** How a coupon's or a campaign's discount is stored: a type and one number (an amount or a percent). */
export interface DiscountColumns {
  readonly discountType: CouponDiscount['type'];
  readonly discountValue: number;
}

export function discountColumns(discount: CouponDiscount): DiscountColumns {
  return {
    discountType: discount.type,
    discountValue: discount.type === 'FIXED' ? discount.amount : discount.percent,
  };
}

export function discountOf(columns: DiscountColumns): CouponDiscount {
  return columns.discountType === 'FIXED'
    ? { type: 'FIXED', amount: columns.discountValue }
    : { type: 'PERCENTAGE', percent: columns.discountValue };
}
