import { inject, injectable } from 'inversify';
import type { DomainEvent } from '../../../domain/shared/domain-event.js';
import { InFlightWork } from '../in-flight-work.js';
import { Logger } from '../logger.js';
import { TransactionManager } from '../transaction-manager.js';
import type { DomainEventClass, DomainEventListener } from './domain-event-listener.js';
import { DomainEventPublisher } from './domain-event-publisher.js';

interface Subscription {
  readonly eventClass: DomainEventClass<DomainEvent>;
  readonly listener: DomainEventListener<DomainEvent>;
}

/**
 * The TypeScript counterpart of Spring's `@TransactionalEventListener(phase = AFTER_COMMIT)` + `@Async`.
 *
 * `publish()` inside a transaction only holds the events. When that transaction commits, each matching
 * listener starts on a later turn of the event loop, so the caller (and its HTTP response) never waits
 * for it. After a rollback the held events are dropped: nothing is announced that did not happen.
 * A listener that fails is logged; it never fails the use case, which has already committed.
 */
@injectable()
export class TransactionalEventDispatcher extends DomainEventPublisher {
  readonly #subscriptions: Subscription[] = [];
  readonly #running = new InFlightWork();

  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  subscribe<E extends DomainEvent>(eventClass: DomainEventClass<E>, listener: DomainEventListener<E>): void {
    // Safe: `publish` hands a listener only events that are `instanceof` its class.
    this.#subscriptions.push({ eventClass, listener });
  }

  publish(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    this.transactions.afterCommit(() => {
      for (const event of events) {
        for (const subscription of this.#subscriptions) {
          if (event instanceof subscription.eventClass) this.startAsync(subscription.listener, event);
        }
      }
    });
  }

  /** Resolves once every listener started so far has finished. Graceful shutdown waits for this. */
  async drain(): Promise<void> {
    await this.#running.drain();
  }

  private startAsync(listener: DomainEventListener<DomainEvent>, event: DomainEvent): void {
    const fields = {
      eventId: event.eventId,
      eventName: event.eventName,
      listener: listener.constructor.name,
    };
    this.#running.track(
      nextTurnOfEventLoop()
        .then(() => listener.handle(event))
        .then(
          () => this.logger.debug(fields, 'after-commit listener finished'),
          (error: unknown) => this.logger.error({ ...fields, err: error }, 'after-commit listener failed'),
        ),
    );
  }
}

function nextTurnOfEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
