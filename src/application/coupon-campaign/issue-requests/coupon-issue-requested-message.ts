/**
 * The topic the scheduler moves queued requests onto, and the issuing consumer reads.
 * Naming: `<scope>.<domain>.<event>.v<version>`.
 */
export const COUPON_ISSUE_REQUESTED_TOPIC = 'outside.coupon.issue-requested.v1';

/** Version of the `coupon.issue-requested` envelope's payload on that topic. */
export const COUPON_ISSUE_REQUESTED_VERSION = 1;

export const COUPON_ISSUE_REQUESTED_EVENT = 'coupon.issue-requested';

/** The payload the issuer receives, inside the envelope. */
export interface CouponIssueRequestedPayload {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  readonly position: number;
  readonly requestedAt: string;
}
