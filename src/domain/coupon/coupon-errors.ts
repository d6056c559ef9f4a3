import { DomainError } from '../shared/domain-error.js';

export class CouponNotFound extends DomainError {
  readonly code = 'COUPON_NOT_FOUND';

  constructor(readonly couponId: number) {
    super(`Coupon ${couponId} does not exist`);
  }
}

export class CouponUnavailable extends DomainError {
  readonly code = 'COUPON_UNAVAILABLE';

  constructor(
    readonly couponId: number,
    reason: string,
  ) {
    super(`Coupon ${couponId} cannot be used: ${reason}`);
  }
}
