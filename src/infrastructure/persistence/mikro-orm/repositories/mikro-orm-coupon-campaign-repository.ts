import { type InferEntity, LockMode } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import { CouponCampaign } from '../../../../domain/coupon-campaign/coupon-campaign.js';
import { CouponCampaignRepository } from '../../../../domain/coupon-campaign/coupon-campaign-repository.js';
import { Database } from '../database.js';
import { discountColumns, discountOf } from '../discount-columns.js';
import { CouponCampaignRow } from '../schema.js';

@injectable()
export class MikroOrmCouponCampaignRepository extends CouponCampaignRepository {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async findAll(): Promise<CouponCampaign[]> {
    const rows = await this.database.em().find(CouponCampaignRow, {}, { orderBy: { id: 'asc' } });
    return rows.map(toCampaign);
  }

  async findById(id: number): Promise<CouponCampaign | null> {
    const row = await this.database.em().findOne(CouponCampaignRow, { id });
    return row ? toCampaign(row) : null;
  }

  async findByIdForUpdate(id: number): Promise<CouponCampaign | null> {
    const row = await this.database
      .em()
      .findOne(CouponCampaignRow, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return row ? toCampaign(row) : null;
  }

  async save(campaign: CouponCampaign): Promise<void> {
    const { id, discount, ...columns } = campaign.toPrimitives();
    await this.database
      .em()
      .nativeUpdate(CouponCampaignRow, { id }, { ...columns, ...discountColumns(discount) });
  }
}

function toCampaign(row: InferEntity<typeof CouponCampaignRow>): CouponCampaign {
  return CouponCampaign.fromPrimitives({
    id: row.id,
    name: row.name,
    discount: discountOf(row),
    quantity: row.quantity,
    issuedCount: row.issuedCount,
    opensAt: row.opensAt,
    closesAt: row.closesAt,
  });
}
