import type { CouponDiscount } from '../coupon/coupon.js';
import { assertNonNegativeInteger, assertPositiveInteger } from '../shared/guards.js';
import { InvalidValue } from '../shared/invalid-value.js';
import { CampaignClosed, CampaignSoldOut } from './coupon-campaign-errors.js';

export interface CouponCampaignPrimitives {
  readonly id: number;
  readonly name: string;
  /** What each coupon of the campaign takes off an order. */
  readonly discount: CouponDiscount;
  /** How many coupons the campaign gives away: "the first 100". */
  readonly quantity: number;
  readonly issuedCount: number;
  /** Requests are taken from `opensAt` (inclusive) until `closesAt` (exclusive). */
  readonly opensAt: Date;
  readonly closesAt: Date;
}

/** What the campaign hands out: a coupon for one user, still without an id (the repository gives it one). */
export interface CouponToIssue {
  readonly campaignId: number;
  readonly userId: number;
  readonly discount: CouponDiscount;
}

/**
 * A limited coupon campaign: the first `quantity` users who ask get a coupon each. Its issued count is
 * the one number a rush fights over, so it only changes through `issueCouponTo`, under a lock on the row
 * (or, with the queue, from one consumer at a time).
 */
export class CouponCampaign {
  #issuedCount: number;

  private constructor(
    readonly id: number,
    readonly name: string,
    readonly discount: CouponDiscount,
    readonly quantity: number,
    issuedCount: number,
    readonly opensAt: Date,
    readonly closesAt: Date,
  ) {
    assertPositiveInteger(id, 'campaign id');
    assertPositiveInteger(quantity, 'campaign quantity');
    assertNonNegativeInteger(issuedCount, 'issued count');
    if (issuedCount > quantity) {
      throw new InvalidValue(`a campaign of ${quantity} coupons cannot have issued ${issuedCount}`);
    }
    if (closesAt.getTime() <= opensAt.getTime()) {
      throw new InvalidValue('a campaign must close after it opens');
    }
    this.#issuedCount = issuedCount;
  }

  static fromPrimitives(primitives: CouponCampaignPrimitives): CouponCampaign {
    return new CouponCampaign(
      primitives.id,
      primitives.name,
      primitives.discount,
      primitives.quantity,
      primitives.issuedCount,
      primitives.opensAt,
      primitives.closesAt,
    );
  }

  get issuedCount(): number {
    return this.#issuedCount;
  }

  get remaining(): number {
    return this.quantity - this.#issuedCount;
  }

  isOpenAt(now: Date): boolean {
    return this.opensAt.getTime() <= now.getTime() && now.getTime() < this.closesAt.getTime();
  }

  /** A request for a coupon is taken only while the campaign is open. */
  assertTakesRequestsAt(now: Date): void {
    if (now.getTime() < this.opensAt.getTime()) {
      throw new CampaignClosed(this.id, `it opens at ${this.opensAt.toISOString()}`);
    }
    if (now.getTime() >= this.closesAt.getTime()) {
      throw new CampaignClosed(this.id, `it closed at ${this.closesAt.toISOString()}`);
    }
  }

  /**
   * Counts one more coupon out and says what to issue. Never past `quantity`. A request accepted while the
   * campaign was open is honoured even if it is issued after `closesAt`: the queue may lag the window.
   */
  issueCouponTo(userId: number): CouponToIssue {
    assertPositiveInteger(userId, 'user id');
    if (this.#issuedCount >= this.quantity) throw new CampaignSoldOut(this.id);
    this.#issuedCount += 1;
    return { campaignId: this.id, userId, discount: this.discount };
  }

  toPrimitives(): CouponCampaignPrimitives {
    return {
      id: this.id,
      name: this.name,
      discount: this.discount,
      quantity: this.quantity,
      issuedCount: this.#issuedCount,
      opensAt: this.opensAt,
      closesAt: this.closesAt,
    };
  }
}
