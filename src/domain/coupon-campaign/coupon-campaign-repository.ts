import type { CouponCampaign } from './coupon-campaign.js';

/** Port: where coupon campaigns live. */
export abstract class CouponCampaignRepository {
  /** Every campaign, by id. */
  abstract findAll(): Promise<CouponCampaign[]>;

  abstract findById(id: number): Promise<CouponCampaign | null>;

  /** Loads the campaign and locks its row until the current transaction ends: one issuer at a time. */
  abstract findByIdForUpdate(id: number): Promise<CouponCampaign | null>;

  abstract save(campaign: CouponCampaign): Promise<void>;
}
