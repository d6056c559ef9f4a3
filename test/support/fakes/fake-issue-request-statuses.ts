import {
  IssueRequestStatuses,
  type IssueOutcome,
} from '../../../src/application/coupon-campaign/issue-requests/issue-request-statuses.js';

/** Remembers each request's outcome, and every `record` call in order, for assertions. */
export class FakeIssueRequestStatuses extends IssueRequestStatuses {
  readonly recorded: { requestId: string; outcome: IssueOutcome }[] = [];

  async record(requestId: string, outcome: IssueOutcome): Promise<void> {
    this.recorded.push({ requestId, outcome });
  }

  async outcomeOf(requestId: string): Promise<IssueOutcome | null> {
    return this.recorded.findLast((entry) => entry.requestId === requestId)?.outcome ?? null;
  }
}
