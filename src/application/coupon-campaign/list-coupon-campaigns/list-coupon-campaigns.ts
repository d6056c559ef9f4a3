import { inject, injectable } from 'inversify';
import type { CouponDiscount } from '../../../domain/coupon/coupon.js';
import { CouponCampaignRepository } from '../../../domain/coupon-campaign/coupon-campaign-repository.js';
import { Clock } from '../../shared/clock.js';

export interface CouponCampaignView {
  readonly id: number;
  readonly name: string;
  readonly discount: CouponDiscount;
  readonly quantity: number;
  readonly issuedCount: number;
  readonly remaining: number;
  readonly opensAt: string;
  readonly closesAt: string;
  /** Whether it takes requests now. */
  readonly open: boolean;
}

@injectable()
export class ListCouponCampaigns {
  constructor(
    @inject(CouponCampaignRepository) private readonly campaigns: CouponCampaignRepository,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  async execute(): Promise<CouponCampaignView[]> {
    const now = this.clock.now();
    const campaigns = await this.campaigns.findAll();
    return campaigns.map((campaign) => ({
      id: campaign.id,
      name: campaign.name,
      discount: campaign.discount,
      quantity: campaign.quantity,
      issuedCount: campaign.issuedCount,
      remaining: campaign.remaining,
      opensAt: campaign.opensAt.toISOString(),
      closesAt: campaign.closesAt.toISOString(),
      open: campaign.isOpenAt(now),
    }));
  }
}
