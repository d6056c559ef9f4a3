import { inject, injectable } from 'inversify';
import type {
  Enqueued,
  IssueRequest,
} from '../../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import { IssueRequestQueue } from '../../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import { Clock } from '../../../application/shared/clock.js';

/**
 * The waiting line in this process's memory: the embedded default's stand-in for Redis. Each method runs
 * to its end without an `await`, so on Node's one thread it is as atomic as a Redis script. It forgets
 * everything when the process stops, which is why a real rush uses the Redis adapter.
 */
@injectable()
export class InMemoryIssueRequestQueue extends IssueRequestQueue {
  readonly #requests = new Map<string, IssueRequest>();
  readonly #requestIdByCampaignAndUser = new Map<string, string>();
  readonly #lengthByCampaign = new Map<number, number>();
  /** Request ids in the order they reached the queue, across campaigns. */
  #waiting: string[] = [];
  readonly #inFlight = new Set<string>();

  constructor(@inject(Clock) private readonly clock: Clock) {
    super();
  }

  async enqueue(campaignId: number, userId: number, requestId: string): Promise<Enqueued> {
    const firstRequestId = this.#requestIdByCampaignAndUser.get(campaignAndUser(campaignId, userId));
    if (firstRequestId !== undefined) {
      return { request: this.#requests.get(firstRequestId)!, alreadyQueued: true };
    }
    const position = (this.#lengthByCampaign.get(campaignId) ?? 0) + 1;
    const request: IssueRequest = { requestId, campaignId, userId, position, requestedAt: this.clock.now() };
    this.#lengthByCampaign.set(campaignId, position);
    this.#requestIdByCampaignAndUser.set(campaignAndUser(campaignId, userId), requestId);
    this.#requests.set(requestId, request);
    this.#waiting.push(requestId);
    return { request, alreadyQueued: false };
  }

  async find(requestId: string): Promise<IssueRequest | null> {
    return this.#requests.get(requestId) ?? null;
  }

  async takeNext(max: number): Promise<IssueRequest[]> {
    const taken = this.#waiting.slice(0, max);
    this.#waiting = this.#waiting.slice(taken.length);
    for (const requestId of taken) this.#inFlight.add(requestId);
    return taken.map((requestId) => this.#requests.get(requestId)!);
  }

  async acknowledge(requestIds: readonly string[]): Promise<void> {
    for (const requestId of requestIds) this.#inFlight.delete(requestId);
  }

  async inFlight(): Promise<IssueRequest[]> {
    // A Set iterates in insertion order, and requests enter it oldest first.
    return [...this.#inFlight].map((requestId) => this.#requests.get(requestId)!);
  }

  async waitingCount(): Promise<number> {
    return this.#waiting.length;
  }
}

function campaignAndUser(campaignId: number, userId: number): string {
  return `${campaignId}:${userId}`;
}
