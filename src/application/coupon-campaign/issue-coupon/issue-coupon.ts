import { inject, injectable } from 'inversify';
import { CampaignNotFound } from '../../../domain/coupon-campaign/coupon-campaign-errors.js';
import { CouponCampaignRepository } from '../../../domain/coupon-campaign/coupon-campaign-repository.js';
import { CouponRepository } from '../../../domain/coupon/coupon-repository.js';
import { Clock } from '../../shared/clock.js';
import { Logger } from '../../shared/logger.js';
import { TransactionManager } from '../../shared/transaction-manager.js';
import { IssueRequestStatuses, type IssueOutcome } from '../issue-requests/issue-request-statuses.js';

/** One request the waiting queue accepted, as the issuing consumer receives it. */
export interface IssueCouponCommand {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  /** The user's place in the campaign's line (for the log: coupons go out in this order). */
  readonly position: number;
}

/**
 * Issues the coupon a queued request asked for, or says the campaign is sold out. Idempotent by its
 * business key (campaign, user), so a redelivered request changes nothing: the user who already has the
 * campaign's coupon gets that same coupon back as the outcome.
 *
 * The queue already checked the user and the campaign's window when it took the request, and a request
 * taken while the campaign was open is honoured after it closes.
 */
@injectable()
export class IssueCoupon {
  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(CouponCampaignRepository) private readonly campaigns: CouponCampaignRepository,
    @inject(CouponRepository) private readonly coupons: CouponRepository,
    @inject(IssueRequestStatuses) private readonly statuses: IssueRequestStatuses,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute(command: IssueCouponCommand): Promise<IssueOutcome> {
    const { outcome, alreadyIssued } = await this.transactions.run(async () => {
      // BEGIN. The campaign's row lock comes first: every read below sees what the previous request committed.
      const campaign = await this.campaigns.findByIdForUpdate(command.campaignId);
      if (!campaign) throw new CampaignNotFound(command.campaignId);

      const existing = await this.coupons.findIssued(campaign.id, command.userId);
      if (existing) return { outcome: issued(existing.id), alreadyIssued: true };

      if (campaign.remaining === 0) return { outcome: { status: 'SOLD_OUT' } as const, alreadyIssued: false };
      const coupon = await this.coupons.issue(campaign.issueCouponTo(command.userId), this.clock.now());
      await this.campaigns.save(campaign);
      return { outcome: issued(coupon.id), alreadyIssued: false };
    }); // COMMIT

    // After the commit: the user never reads ISSUED for a coupon that a rollback took back. If this write
    // fails, the consumer retries the request, and the transaction above finds the coupon it issued.
    await this.statuses.record(command.requestId, outcome);
    this.log(command, outcome, alreadyIssued);
    return outcome;
  }

  private log(command: IssueCouponCommand, outcome: IssueOutcome, alreadyIssued: boolean): void {
    const { requestId, campaignId, userId, position } = command;
    if (outcome.status === 'ISSUED') {
      this.logger.info(
        { requestId, campaignId, userId, couponId: outcome.couponId, position, alreadyIssued },
        'coupon issued',
      );
    } else {
      this.logger.info({ requestId, campaignId, userId, position }, 'coupon request sold out');
    }
  }
}

function issued(couponId: number): IssueOutcome {
  return { status: 'ISSUED', couponId };
}
