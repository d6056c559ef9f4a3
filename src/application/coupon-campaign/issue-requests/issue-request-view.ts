import type { IssueRequest } from './issue-request-queue.js';
import type { IssueOutcome } from './issue-request-statuses.js';

/** WAITING until the issuer has decided; then ISSUED or SOLD_OUT. */
export type IssueRequestStatus = 'WAITING' | IssueOutcome['status'];

/** A request for a campaign's coupon as the user sees it: their place in line, and how it ended. */
export interface IssueRequestView {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  readonly position: number;
  readonly requestedAt: string;
  readonly status: IssueRequestStatus;
  /** The coupon the user got, once ISSUED: an ordinary coupon, good for `POST /orders`. */
  readonly couponId: number | null;
}

export function toIssueRequestView(request: IssueRequest, outcome: IssueOutcome | null): IssueRequestView {
  return {
    requestId: request.requestId,
    campaignId: request.campaignId,
    userId: request.userId,
    position: request.position,
    requestedAt: request.requestedAt.toISOString(),
    status: outcome?.status ?? 'WAITING',
    couponId: outcome?.status === 'ISSUED' ? outcome.couponId : null,
  };
}
