import { DomainError } from '../shared/domain-error.js';

export class CampaignNotFound extends DomainError {
  readonly code = 'CAMPAIGN_NOT_FOUND';

  constructor(readonly campaignId: number) {
    super(`Coupon campaign ${campaignId} does not exist`);
  }
}

export class CampaignClosed extends DomainError {
  readonly code = 'CAMPAIGN_CLOSED';

  constructor(
    readonly campaignId: number,
    reason: string,
  ) {
    super(`Coupon campaign ${campaignId} takes no requests: ${reason}`);
  }
}

/** Every coupon of the campaign has been issued. */
export class CampaignSoldOut extends DomainError {
  readonly code = 'CAMPAIGN_SOLD_OUT';

  constructor(readonly campaignId: number) {
    super(`Coupon campaign ${campaignId} has no coupons left`);
  }
}
