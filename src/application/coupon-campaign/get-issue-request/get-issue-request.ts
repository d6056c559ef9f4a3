import { inject, injectable } from 'inversify';
import { IssueRequestNotFound } from '../issue-requests/issue-request-errors.js';
import { IssueRequestQueue } from '../issue-requests/issue-request-queue.js';
import { IssueRequestStatuses } from '../issue-requests/issue-request-statuses.js';
import { toIssueRequestView, type IssueRequestView } from '../issue-requests/issue-request-view.js';

export interface GetIssueRequestQuery {
  readonly campaignId: number;
  readonly requestId: string;
}

/** Where a user's request stands: still WAITING, or ISSUED with its coupon, or SOLD_OUT. */
@injectable()
export class GetIssueRequest {
  constructor(
    @inject(IssueRequestQueue) private readonly queue: IssueRequestQueue,
    @inject(IssueRequestStatuses) private readonly statuses: IssueRequestStatuses,
  ) {}

  async execute(query: GetIssueRequestQuery): Promise<IssueRequestView> {
    const request = await this.queue.find(query.requestId);
    if (!request || request.campaignId !== query.campaignId) {
      throw new IssueRequestNotFound(query.campaignId, query.requestId);
    }
    return toIssueRequestView(request, await this.statuses.outcomeOf(request.requestId));
  }
}
