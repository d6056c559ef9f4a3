import { assertNonNegativeInteger, assertPositiveInteger } from '../shared/guards.js';
import { InvalidValue } from '../shared/invalid-value.js';
import { CouponUnavailable } from './coupon-errors.js';

export type CouponDiscount =
  | { readonly type: 'FIXED'; readonly amount: number }
  | { readonly type: 'PERCENTAGE'; readonly percent: number };

export interface CouponPrimitives {
  readonly id: number;
  /** The user the coupon was issued to: nobody else may use it. */
  readonly userId: number;
  readonly discount: CouponDiscount;
  /** The campaign that issued it, if one did (a first-come campaign gives each user at most one). */
  readonly campaignId: number | null;
  readonly usedAt: Date | null;
}

/** A coupon issued to one user, good for one order. */
export class Coupon {
  #usedAt: Date | null;

  private constructor(
    readonly id: number,
    readonly userId: number,
    readonly discount: CouponDiscount,
    readonly campaignId: number | null,
    usedAt: Date | null,
  ) {
    assertPositiveInteger(id, 'coupon id');
    assertPositiveInteger(userId, 'coupon user id');
    if (discount.type === 'FIXED') {
      assertNonNegativeInteger(discount.amount, 'fixed discount');
    } else if (!Number.isSafeInteger(discount.percent) || discount.percent < 1 || discount.percent > 100) {
      throw new InvalidValue(`percentage discount must be an integer from 1 to 100, got ${discount.percent}`);
    }
    this.#usedAt = usedAt;
  }

  static fromPrimitives(primitives: CouponPrimitives): Coupon {
    return new Coupon(
      primitives.id,
      primitives.userId,
      primitives.discount,
      primitives.campaignId,
      primitives.usedAt,
    );
  }

  get usedAt(): Date | null {
    return this.#usedAt;
  }

  /** The discount on an order of `amount`: never more than the amount itself, rounded down. */
  discountFor(amount: number): number {
    assertNonNegativeInteger(amount, 'amount');
    const discount =
      this.discount.type === 'FIXED'
        ? this.discount.amount
        : Math.floor((amount * this.discount.percent) / 100);
    return Math.min(discount, amount);
  }

  /** Marks the coupon used by `userId`. A coupon is usable once, and only by the user it was issued to. */
  use(userId: number, at: Date): void {
    if (userId !== this.userId) {
      throw new CouponUnavailable(this.id, 'it was issued to another user');
    }
    if (this.#usedAt !== null) {
      throw new CouponUnavailable(this.id, 'it has already been used');
    }
    this.#usedAt = at;
  }

  toPrimitives(): CouponPrimitives {
    return {
      id: this.id,
      userId: this.userId,
      discount: this.discount,
      campaignId: this.campaignId,
      usedAt: this.#usedAt,
    };
  }
}
