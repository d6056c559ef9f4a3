import { injectable } from 'inversify';
import {
  IssueRequestStatuses,
  type IssueOutcome,
} from '../../../application/coupon-campaign/issue-requests/issue-request-statuses.js';

/** Each request's outcome in this process's memory: the embedded default's stand-in for Redis. */
@injectable()
export class InMemoryIssueRequestStatuses extends IssueRequestStatuses {
  readonly #outcomes = new Map<string, IssueOutcome>();

  async record(requestId: string, outcome: IssueOutcome): Promise<void> {
    this.#outcomes.set(requestId, outcome);
  }

  async outcomeOf(requestId: string): Promise<IssueOutcome | null> {
    return this.#outcomes.get(requestId) ?? null;
  }
}
