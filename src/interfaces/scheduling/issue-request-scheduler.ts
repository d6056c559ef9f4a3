import { setTimeout as sleep } from 'node:timers/promises';
import { inject, injectable } from 'inversify';
import { IssueRequestQueue } from '../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import {
  PublishQueuedIssueRequests,
  type PublishedIssueRequests,
} from '../../application/coupon-campaign/issue-requests/publish-queued-issue-requests.js';
import { Logger } from '../../application/shared/logger.js';

/** How the scheduler polls and batches; built from configuration (COUPON_QUEUE_*) by the composition root. */
export abstract class IssueRequestSchedulerSettings {
  /** How long the scheduler sleeps once the queue is empty. */
  abstract readonly pollIntervalMs: number;
  /** The most requests one step takes and publishes. */
  abstract readonly batchSize: number;
}

/**
 * A driving adapter, like the HTTP API, but driven by time: it moves the coupon queue onto the broker.
 * Every tick it runs steps of `PublishQueuedIssueRequests` until the queue is empty, then sleeps.
 *
 * It starts by publishing again what a process that died left in flight. A step that fails (the broker is
 * away) leaves its requests in flight too, so the next tick starts the same way: they go out again, in
 * their order, before any newer request. (With Redis, instances share one in-flight list: one may publish
 * again what another has in hand. The copy is harmless, the issuer being idempotent.)
 */
@injectable()
export class IssueRequestScheduler {
  readonly #stopping = new AbortController();
  #loop: Promise<void> | undefined;
  #inFlightRepublished = false;

  constructor(
    @inject(PublishQueuedIssueRequests) private readonly publishQueued: PublishQueuedIssueRequests,
    @inject(IssueRequestQueue) private readonly queue: IssueRequestQueue,
    @inject(Logger) private readonly logger: Logger,
    @inject(IssueRequestSchedulerSettings) readonly settings: IssueRequestSchedulerSettings,
  ) {}

  start(): void {
    this.#loop ??= this.pollUntilStopped();
    this.logger.info(
      { pollIntervalMs: this.settings.pollIntervalMs, batchSize: this.settings.batchSize },
      'issue request scheduler started',
    );
  }

  /** Lets the step in hand finish (its requests published and acknowledged), then stops polling. */
  async stop(): Promise<void> {
    this.#stopping.abort();
    await this.#loop;
  }

  /** Resolves once no request is waiting or in flight: each one queued so far has reached the broker. */
  async drain(): Promise<void> {
    while ((await this.queue.waitingCount()) > 0 || (await this.queue.inFlight()).length > 0) {
      await sleep(this.settings.pollIntervalMs);
    }
  }

  /** One tick: whatever was left in flight first, then steps until the queue is empty. */
  async publishWaitingRequests(): Promise<void> {
    if (!this.#inFlightRepublished) {
      const republished = await this.publishQueued.republishInFlight();
      if (republished.count > 0) {
        this.logger.warn(
          fieldsOf(republished),
          'issue requests left in flight (taken, never acknowledged) published again',
        );
      }
      this.#inFlightRepublished = true;
    }
    let published: PublishedIssueRequests;
    do {
      published = await this.publishQueued.execute(this.settings.batchSize);
      if (published.count > 0) this.logger.info(fieldsOf(published), 'issue requests published');
      // A full batch means more are probably waiting: go again at once.
    } while (published.count === this.settings.batchSize && !this.#stopping.signal.aborted);
  }

  private async pollUntilStopped(): Promise<void> {
    const { signal } = this.#stopping;
    while (!signal.aborted) {
      try {
        await this.publishWaitingRequests();
      } catch (error) {
        // The requests of the failed step wait in flight; the next tick publishes them first.
        this.#inFlightRepublished = false;
        this.logger.warn({ err: error }, 'issue request step failed: tried again at the next tick');
      }
      await sleep(this.settings.pollIntervalMs, undefined, { signal }).catch(() => undefined);
    }
  }
}

function fieldsOf(published: PublishedIssueRequests): Record<string, unknown> {
  const { count, campaigns, firstPosition, lastPosition } = published;
  return { count, campaigns, firstPosition, lastPosition };
}
