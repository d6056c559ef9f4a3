import type { Coupon } from './coupon.js';

/** Port: where coupons live. */
export abstract class CouponRepository {
  /** Loads the coupon and locks its row until the current transaction ends, so it is used at most once. */
  abstract findByIdForUpdate(id: number): Promise<Coupon | null>;

  abstract save(coupon: Coupon): Promise<void>;
}
