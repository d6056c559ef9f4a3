import { inject, injectable } from 'inversify';
import {
  IssueRequestStatuses,
  type IssueOutcome,
} from '../../../application/coupon-campaign/issue-requests/issue-request-statuses.js';
import { RedisClient } from './redis-client.js';

/**
 * The outcome of each request, in one hash (`coupon-requests:outcomes`: request id → the outcome as
 * JSON). HSET overwrites, so recording the same outcome again (a redelivered request) changes nothing.
 * No expiry, like the queue's keys: a user may come back for their answer long after the rush.
 */
@injectable()
export class RedisIssueRequestStatuses extends IssueRequestStatuses {
  readonly #outcomes: string;

  constructor(@inject(RedisClient) private readonly redis: RedisClient) {
    super();
    this.#outcomes = redis.key('coupon-requests', 'outcomes');
  }

  async record(requestId: string, outcome: IssueOutcome): Promise<void> {
    await this.redis.commands.hSet(this.#outcomes, requestId, JSON.stringify(outcome));
  }

  async outcomeOf(requestId: string): Promise<IssueOutcome | null> {
    const stored = await this.redis.commands.hGet(this.#outcomes, requestId);
    return stored === null ? null : (JSON.parse(stored) as IssueOutcome);
  }
}
