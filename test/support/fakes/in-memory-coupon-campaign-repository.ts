import { CouponCampaign } from '../../../src/domain/coupon-campaign/coupon-campaign.js';
import { CouponCampaignRepository } from '../../../src/domain/coupon-campaign/coupon-campaign-repository.js';

/** Stores primitives, as a database stores rows (see in-memory-repositories.ts). */
export class InMemoryCouponCampaignRepository extends CouponCampaignRepository {
  readonly rows = new Map<number, ReturnType<CouponCampaign['toPrimitives']>>();

  constructor(campaigns: CouponCampaign[] = []) {
    super();
    campaigns.forEach((campaign) => this.rows.set(campaign.id, campaign.toPrimitives()));
  }

  async findAll(): Promise<CouponCampaign[]> {
    return [...this.rows.values()]
      .sort((a, b) => a.id - b.id)
      .map((row) => CouponCampaign.fromPrimitives(row));
  }

  async findById(id: number): Promise<CouponCampaign | null> {
    const row = this.rows.get(id);
    return row ? CouponCampaign.fromPrimitives(row) : null;
  }

  findByIdForUpdate(id: number): Promise<CouponCampaign | null> {
    return this.findById(id);
  }

  async save(campaign: CouponCampaign): Promise<void> {
    this.rows.set(campaign.id, campaign.toPrimitives());
  }
}
