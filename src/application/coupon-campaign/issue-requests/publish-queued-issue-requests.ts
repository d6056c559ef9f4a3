import { inject, injectable } from 'inversify';
import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import { MessageHeader, type EventEnvelope } from '../../shared/events/event-envelope.js';
import { TransactionManager } from '../../shared/transaction-manager.js';
import {
  COUPON_ISSUE_REQUESTED_EVENT,
  COUPON_ISSUE_REQUESTED_TOPIC,
  COUPON_ISSUE_REQUESTED_VERSION,
  type CouponIssueRequestedPayload,
} from './coupon-issue-requested-message.js';
import { IssueRequestQueue, type IssueRequest } from './issue-request-queue.js';

/** What one step handed on, for the scheduler's log. */
export interface PublishedIssueRequests {
  readonly count: number;
  readonly campaigns: readonly number[];
  /** The places of the first and last request published (in its campaign's line). */
  readonly firstPosition: number | null;
  readonly lastPosition: number | null;
}

/**
 * One step of the scheduler: moves the oldest waiting requests from the queue onto the broker, in the
 * order of the queue, through `GlobalEventPublisher` (so every EVENT_PUBLISHER mode works).
 *
 * Nothing is lost between the two: a request is first moved to the queue's in-flight list, published, and
 * only then acknowledged. A process that dies in between leaves it in flight, and `republishInFlight`
 * sends it again at the next start. A request may so reach the issuer twice, under the same event id:
 * the issuer is idempotent, so the copy changes nothing.
 */
@injectable()
export class PublishQueuedIssueRequests {
  constructor(
    @inject(IssueRequestQueue) private readonly queue: IssueRequestQueue,
    @inject(GlobalEventPublisher) private readonly publisher: GlobalEventPublisher,
    @inject(TransactionManager) private readonly transactions: TransactionManager,
  ) {}

  /** Takes up to `max` waiting requests, oldest first, and publishes them. An empty queue publishes nothing. */
  async execute(max: number): Promise<PublishedIssueRequests> {
    const requests = await this.queue.takeNext(max);
    await this.publishAndAcknowledge(requests);
    return summaryOf(requests);
  }

  /** At start-up: publishes again what a process that died left in flight (taken, never acknowledged). */
  async republishInFlight(): Promise<PublishedIssueRequests> {
    const requests = await this.queue.inFlight();
    await this.publishAndAcknowledge(requests);
    return summaryOf(requests);
  }

  private async publishAndAcknowledge(requests: readonly IssueRequest[]): Promise<void> {
    if (requests.length === 0) return;
    // One transaction, so that with EVENT_PUBLISHER=outbox every row of the batch commits together.
    await this.transactions.run(async () => {
      // One at a time: sends in flight together could reach the broker in another order than the queue's.
      for (const request of requests) await this.publisher.publish(issueRequestedMessage(request));
    });
    await this.queue.acknowledge(requests.map((request) => request.requestId));
  }
}

/**
 * Keyed by campaign: one partition holds a campaign's whole line, in order, and one consumer issues its
 * coupons without fighting another over the campaign's row. The price: one campaign's rush goes no faster
 * than one partition.
 */
function issueRequestedMessage(request: IssueRequest): OutboundMessage {
  const campaignId = String(request.campaignId);
  const payload: CouponIssueRequestedPayload = {
    requestId: request.requestId,
    campaignId: request.campaignId,
    userId: request.userId,
    position: request.position,
    requestedAt: request.requestedAt.toISOString(),
  };
  const envelope: EventEnvelope<CouponIssueRequestedPayload> = {
    eventId: request.requestId,
    type: COUPON_ISSUE_REQUESTED_EVENT,
    version: COUPON_ISSUE_REQUESTED_VERSION,
    occurredAt: payload.requestedAt,
    payload,
  };
  return {
    topic: COUPON_ISSUE_REQUESTED_TOPIC,
    key: campaignId,
    payload: { ...envelope },
    eventId: request.requestId,
    aggregateType: 'coupon-campaign',
    aggregateId: campaignId,
    headers: { [MessageHeader.eventType]: COUPON_ISSUE_REQUESTED_EVENT },
  };
}

function summaryOf(requests: readonly IssueRequest[]): PublishedIssueRequests {
  return {
    count: requests.length,
    campaigns: [...new Set(requests.map((request) => request.campaignId))],
    firstPosition: requests[0]?.position ?? null,
    lastPosition: requests.at(-1)?.position ?? null,
  };
}
