import { LockMode } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import { Coupon, type CouponDiscount } from '../../../../domain/coupon/coupon.js';
import { CouponRepository } from '../../../../domain/coupon/coupon-repository.js';
import { Database } from '../database.js';
import { CouponRow } from '../schema.js';

@injectable()
export class MikroOrmCouponRepository extends CouponRepository {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async findByIdForUpdate(id: number): Promise<Coupon | null> {
    const row = await this.database.em().findOne(CouponRow, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!row) return null;
    const discount: CouponDiscount =
      row.discountType === 'FIXED'
        ? { type: 'FIXED', amount: row.discountValue }
        : { type: 'PERCENTAGE', percent: row.discountValue };
    return Coupon.fromPrimitives({ id: row.id, userId: row.user.id, discount, usedAt: row.usedAt ?? null });
  }

  async save(coupon: Coupon): Promise<void> {
    const { id, userId, discount, usedAt } = coupon.toPrimitives();
    await this.database.em().nativeUpdate(
      CouponRow,
      { id },
      {
        user: userId,
        discountType: discount.type,
        discountValue: discount.type === 'FIXED' ? discount.amount : discount.percent,
        usedAt,
      },
    );
  }
}
