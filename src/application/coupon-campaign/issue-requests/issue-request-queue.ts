/** One user's request for one campaign's coupon, as the waiting queue took it. */
export interface IssueRequest {
  readonly requestId: string;
  readonly campaignId: number;
  readonly userId: number;
  /** The user's place in the campaign's line, from 1: the order in which requests reached the queue. */
  readonly position: number;
  /** When the queue took it, by the queue's own clock (Redis's `TIME`), never the app's. */
  readonly requestedAt: Date;
}

export interface Enqueued {
  readonly request: IssueRequest;
  /** The user had asked before: this is their first request, and nothing new was queued. */
  readonly alreadyQueued: boolean;
}

/**
 * Port: the waiting line of a coupon rush. It answers at once with a place, and hands requests on in that
 * order. Adapters must make each method atomic: two requests of one user at the same instant get one
 * place, and two schedulers never take the same request.
 *
 * A request's life: `enqueue` (waiting) → `takeNext` (in flight: taken, not yet published) →
 * `acknowledge` (published; the queue forgets it, `find` still knows it).
 */
export abstract class IssueRequestQueue {
  /**
   * Puts the user in the campaign's line under `requestId`, unless they are in it already: then it
   * resolves their first request, and queues nothing.
   */
  abstract enqueue(campaignId: number, userId: number, requestId: string): Promise<Enqueued>;

  abstract find(requestId: string): Promise<IssueRequest | null>;

  /**
   * Moves up to `max` waiting requests, oldest first (across campaigns), to the in-flight list, and
   * resolves them. A process that dies before acknowledging them leaves them there for `inFlight`.
   */
  abstract takeNext(max: number): Promise<IssueRequest[]>;

  /** Forgets requests that were taken and have now been published. */
  abstract acknowledge(requestIds: readonly string[]): Promise<void>;

  /** Requests taken and never acknowledged, oldest first: a scheduler died between taking and publishing them. */
  abstract inFlight(): Promise<IssueRequest[]>;

  /** How many requests are waiting (not yet taken). */
  abstract waitingCount(): Promise<number>;
}
