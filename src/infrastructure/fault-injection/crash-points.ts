import {
  IssueRequestQueue,
  type Enqueued,
  type IssueRequest,
} from '../../application/coupon-campaign/issue-requests/issue-request-queue.js';
import type { Logger } from '../../application/shared/logger.js';
import type { DomainEventListener } from '../../application/shared/events/domain-event-listener.js';
import type { InboundMessage, MessageConsumer } from '../../application/shared/messaging/message-consumer.js';
import type { DomainEvent } from '../../domain/shared/domain-event.js';

// Test-only. installFaultInjection installs these only when TEST_FAULT_INJECTION names them, so the
// reliability tests can kill the real process at the worst moments. SIGKILL: no shutdown hook, no drain.

function killThisProcess(logger: Logger, fields: Record<string, unknown>, where: string): never {
  logger.warn({ ...fields, pid: process.pid }, `fault injection: SIGKILL ${where}`);
  process.kill(process.pid, 'SIGKILL');
  throw new Error('unreachable: the process was killed');
}

/**
 * Subscribed after commit, ahead of every other listener: the order has committed, and the process dies
 * before anything else hears of it (with EVENT_PUBLISHER=kafka, before the send).
 */
export class CrashAfterCommit implements DomainEventListener<DomainEvent> {
  constructor(private readonly logger: Logger) {}

  async handle(event: DomainEvent): Promise<void> {
    killThisProcess(this.logger, { eventId: event.eventId }, 'after the commit, before the event left');
  }
}

/**
 * Wraps a consumer so the process dies on the first record it receives: `before-handling`, before the
 * consumer applied it; `after-handling`, after it applied it but before its offset was committed.
 */
export class CrashWhileConsuming implements MessageConsumer {
  readonly groupId: string;
  readonly topic: string;

  constructor(
    private readonly consumer: MessageConsumer,
    private readonly moment: 'before-handling' | 'after-handling',
    private readonly logger: Logger,
  ) {
    this.groupId = consumer.groupId;
    this.topic = consumer.topic;
  }

  async handle(message: InboundMessage): Promise<void> {
    const fields = { groupId: this.groupId, partition: message.partition, offset: message.offset };
    if (this.moment === 'before-handling') {
      killThisProcess(this.logger, fields, 'as the consumer received a record, before it applied it');
    }
    await this.consumer.handle(message);
    killThisProcess(
      this.logger,
      fields,
      'after the consumer applied a record, before its offset was committed',
    );
  }
}

/**
 * Wraps the coupon queue so the process dies right after the scheduler took requests, before it published
 * them: they are in flight, and only `republishInFlight` at the next start saves them.
 */
export class CrashAfterTakingRequests extends IssueRequestQueue {
  constructor(
    private readonly queue: IssueRequestQueue,
    private readonly logger: Logger,
  ) {
    super();
  }

  async takeNext(max: number): Promise<IssueRequest[]> {
    const taken = await this.queue.takeNext(max);
    if (taken.length > 0) {
      killThisProcess(
        this.logger,
        { count: taken.length, requestIds: taken.map((request) => request.requestId) },
        'after the scheduler took requests from the queue, before it published them',
      );
    }
    return taken;
  }

  enqueue(campaignId: number, userId: number, requestId: string): Promise<Enqueued> {
    return this.queue.enqueue(campaignId, userId, requestId);
  }

  find(requestId: string): Promise<IssueRequest | null> {
    return this.queue.find(requestId);
  }

  acknowledge(requestIds: readonly string[]): Promise<void> {
    return this.queue.acknowledge(requestIds);
  }

  inFlight(): Promise<IssueRequest[]> {
    return this.queue.inFlight();
  }

  waitingCount(): Promise<number> {
    return this.queue.waitingCount();
  }
}
