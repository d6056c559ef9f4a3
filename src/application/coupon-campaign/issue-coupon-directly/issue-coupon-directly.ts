import { inject, injectable } from 'inversify';
import { CampaignNotFound } from '../../../domain/coupon-campaign/coupon-campaign-errors.js';
import { CouponCampaignRepository } from '../../../domain/coupon-campaign/coupon-campaign-repository.js';
import type { Coupon, CouponDiscount } from '../../../domain/coupon/coupon.js';
import { CouponRepository } from '../../../domain/coupon/coupon-repository.js';
import { UserNotFound } from '../../../domain/user/user-errors.js';
import { UserRepository } from '../../../domain/user/user-repository.js';
import { Clock } from '../../shared/clock.js';
import { Logger } from '../../shared/logger.js';
import { TransactionManager } from '../../shared/transaction-manager.js';

export interface IssueCouponDirectlyCommand {
  readonly campaignId: number;
  readonly userId: number;
}

/** The coupon a user holds from a campaign. */
export interface IssuedCouponView {
  readonly couponId: number;
  readonly campaignId: number;
  readonly userId: number;
  readonly discount: CouponDiscount;
  /** The user had it already: nothing new was issued. */
  readonly alreadyIssued: boolean;
}

/**
 * BASELINE, kept to be measured against (COUPON_QUEUE=direct, as EVENT_PUBLISHER=sync is for orders):
 * the "before" design that issues the coupon inside the HTTP request. It is correct (the row lock never
 * lets the count pass the quantity), but in a rush every request waits its turn for the one campaign row,
 * holding a connection while it waits: requests time out and fail. The queue (IssueCoupon) is the fix.
 */
@injectable()
export class IssueCouponDirectly {
  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(CouponCampaignRepository) private readonly campaigns: CouponCampaignRepository,
    @inject(UserRepository) private readonly users: UserRepository,
    @inject(CouponRepository) private readonly coupons: CouponRepository,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute(command: IssueCouponDirectlyCommand): Promise<IssuedCouponView> {
    const view = await this.transactions.run(async () => {
      // BEGIN. Lock before any other read: on MySQL (REPEATABLE READ) a plain read before the lock would
      // fix the transaction's snapshot too early, and miss a coupon committed while this one waited.
      const campaign = await this.campaigns.findByIdForUpdate(command.campaignId);
      if (!campaign) throw new CampaignNotFound(command.campaignId);
      if (!(await this.users.exists(command.userId))) throw new UserNotFound(command.userId);
      const now = this.clock.now();
      campaign.assertTakesRequestsAt(now);

      const existing = await this.coupons.findIssued(campaign.id, command.userId);
      if (existing) return viewOf(existing, campaign.id, true);

      const coupon = await this.coupons.issue(campaign.issueCouponTo(command.userId), now); // or CampaignSoldOut
      await this.campaigns.save(campaign);
      return viewOf(coupon, campaign.id, false);
    }); // COMMIT (ROLLBACK on any error above: nothing issued, nothing counted)

    this.logger.info(
      {
        campaignId: view.campaignId,
        userId: view.userId,
        couponId: view.couponId,
        alreadyIssued: view.alreadyIssued,
      },
      'coupon issued directly',
    );
    return view;
  }
}

function viewOf(coupon: Coupon, campaignId: number, alreadyIssued: boolean): IssuedCouponView {
  return { couponId: coupon.id, campaignId, userId: coupon.userId, discount: coupon.discount, alreadyIssued };
}
