import { inject, injectable } from 'inversify';
import { CampaignNotFound } from '../../../domain/coupon-campaign/coupon-campaign-errors.js';
import { CouponCampaignRepository } from '../../../domain/coupon-campaign/coupon-campaign-repository.js';
import { UserNotFound } from '../../../domain/user/user-errors.js';
import { UserRepository } from '../../../domain/user/user-repository.js';
import { Clock } from '../../shared/clock.js';
import { Logger } from '../../shared/logger.js';
import { IssueRequestQueue } from '../issue-requests/issue-request-queue.js';
import { IssueRequestStatuses } from '../issue-requests/issue-request-statuses.js';
import { toIssueRequestView, type IssueRequestView } from '../issue-requests/issue-request-view.js';

export interface RequestCouponCommand {
  readonly campaignId: number;
  readonly userId: number;
}

/**
 * Puts a user in a campaign's line and answers at once with their place. Nothing here writes to the
 * database or locks a row: the rush only reads the campaign and the user, and the queue is the one point
 * the requests meet. The coupon is issued later, one request at a time, by the `coupon-issuer` consumer.
 */
@injectable()
export class RequestCoupon {
  constructor(
    @inject(CouponCampaignRepository) private readonly campaigns: CouponCampaignRepository,
    @inject(UserRepository) private readonly users: UserRepository,
    @inject(IssueRequestQueue) private readonly queue: IssueRequestQueue,
    @inject(IssueRequestStatuses) private readonly statuses: IssueRequestStatuses,
    @inject(Clock) private readonly clock: Clock,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  async execute(command: RequestCouponCommand): Promise<IssueRequestView> {
    const campaign = await this.campaigns.findById(command.campaignId);
    if (!campaign) throw new CampaignNotFound(command.campaignId);
    if (!(await this.users.exists(command.userId))) throw new UserNotFound(command.userId);
    campaign.assertTakesRequestsAt(this.clock.now());

    // crypto.randomUUID is a web-standard global: no Node module in the application layer.
    const newRequestId = crypto.randomUUID();
    const { request, alreadyQueued } = await this.queue.enqueue(campaign.id, command.userId, newRequestId);

    const fields = {
      requestId: request.requestId,
      campaignId: request.campaignId,
      userId: request.userId,
      position: request.position,
    };
    if (!alreadyQueued) {
      this.logger.info(fields, 'coupon request queued');
      return toIssueRequestView(request, null);
    }
    // The user asked before: their first place stands, and it may have been decided already.
    this.logger.info(fields, 'coupon request already queued');
    return toIssueRequestView(request, await this.statuses.outcomeOf(request.requestId));
  }
}
