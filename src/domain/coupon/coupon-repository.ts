import type { CouponToIssue } from '../coupon-campaign/coupon-campaign.js';
import type { Coupon } from './coupon.js';

/** Port: where coupons live. */
export abstract class CouponRepository {
  /** Loads the coupon and locks its row until the current transaction ends, so it is used at most once. */
  abstract findByIdForUpdate(id: number): Promise<Coupon | null>;

  abstract save(coupon: Coupon): Promise<void>;

  /**
   * Stores a new, unused coupon from a campaign and resolves it with its id. A second coupon of one
   * campaign for one user is refused by a unique constraint, whatever the code above forgot.
   */
  abstract issue(coupon: CouponToIssue, issuedAt: Date): Promise<Coupon>;

  /** The coupon the campaign issued to the user, if it did. */
  abstract findIssued(campaignId: number, userId: number): Promise<Coupon | null>;
}
