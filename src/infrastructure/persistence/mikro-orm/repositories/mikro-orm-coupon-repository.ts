import { type InferEntity, LockMode } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import type { CouponToIssue } from '../../../../domain/coupon-campaign/coupon-campaign.js';
import { Coupon } from '../../../../domain/coupon/coupon.js';
import { CouponRepository } from '../../../../domain/coupon/coupon-repository.js';
import { Database } from '../database.js';
import { discountColumns, discountOf } from '../discount-columns.js';
import { CouponRow } from '../schema.js';

@injectable()
export class MikroOrmCouponRepository extends CouponRepository {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async findByIdForUpdate(id: number): Promise<Coupon | null> {
    const row = await this.database.em().findOne(CouponRow, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return row ? toCoupon(row) : null;
  }

  async findIssued(campaignId: number, userId: number): Promise<Coupon | null> {
    const row = await this.database.em().findOne(CouponRow, { campaign: campaignId, user: userId });
    return row ? toCoupon(row) : null;
  }

  async issue(coupon: CouponToIssue, issuedAt: Date): Promise<Coupon> {
    // A second coupon of the campaign for the user fails here, on coupons_campaign_id_user_id_unique.
    const id = await this.database.em().insert(CouponRow, {
      user: coupon.userId,
      campaign: coupon.campaignId,
      ...discountColumns(coupon.discount),
      usedAt: null,
      issuedAt,
    });
    return Coupon.fromPrimitives({
      id: Number(id),
      userId: coupon.userId,
      discount: coupon.discount,
      campaignId: coupon.campaignId,
      usedAt: null,
    });
  }

  async save(coupon: Coupon): Promise<void> {
    const { id, userId, discount, campaignId, usedAt } = coupon.toPrimitives();
    await this.database
      .em()
      .nativeUpdate(
        CouponRow,
        { id },
        { user: userId, ...discountColumns(discount), campaign: campaignId, usedAt },
      );
  }
}

function toCoupon(row: InferEntity<typeof CouponRow>): Coupon {
  return Coupon.fromPrimitives({
    id: row.id,
    userId: row.user.id,
    discount: discountOf(row),
    campaignId: row.campaign?.id ?? null,
    usedAt: row.usedAt ?? null,
  });
}
