import { DomainError } from '../../../domain/shared/domain-error.js';

/** No such request, or not one of this campaign's: the same answer, so ids of other campaigns leak nothing. */
export class IssueRequestNotFound extends DomainError {
  readonly code = 'ISSUE_REQUEST_NOT_FOUND';

  constructor(
    readonly campaignId: number,
    readonly requestId: string,
  ) {
    super(`Coupon campaign ${campaignId} has no issue request ${requestId}`);
  }
}
