import { describe, expect, it } from '@jest/globals';
import { CouponUnavailable } from '../../../src/domain/coupon/coupon-errors.js';
import { InvalidValue } from '../../../src/domain/shared/invalid-value.js';
import { aCoupon, FIXED_NOW } from '../../support/builders.js';

describe('Coupon', () => {
  it('takes a fixed amount off', () => {
    expect(aCoupon().fixed(5_000).build().discountFor(20_000)).toBe(5_000);
  });

  it('never discounts more than the amount', () => {
    expect(aCoupon().fixed(5_000).build().discountFor(3_000)).toBe(3_000);
  });

  it('takes a percentage off, rounded down', () => {
    expect(aCoupon().percentage(10).build().discountFor(12_345)).toBe(1_234);
  });

  it.each([0, 101, 2.5])('refuses a percentage of %p', (percent) => {
    expect(() => aCoupon().percentage(percent).build()).toThrow(InvalidValue);
  });

  it('is used once, by the user it was issued to', () => {
    const coupon = aCoupon().issuedTo(1).build();

    coupon.use(1, FIXED_NOW);

    expect(coupon.usedAt).toEqual(FIXED_NOW);
    expect(() => coupon.use(1, FIXED_NOW)).toThrow('it has already been used');
  });

  it('cannot be used by another user', () => {
    const coupon = aCoupon().issuedTo(1).build();

    expect(() => coupon.use(2, FIXED_NOW)).toThrow(CouponUnavailable);
    expect(coupon.usedAt).toBeNull();
  });
});
