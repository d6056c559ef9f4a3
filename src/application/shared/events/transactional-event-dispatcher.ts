import { inject, injectable } from 'inversify';
import type { DomainEvent } from '../../../domain/shared/domain-event.js';
import { InFlightWork } from '../in-flight-work.js';
import { Logger } from '../logger.js';
import { TransactionManager } from '../transaction-manager.js';
import type { DomainEventClass, DomainEventListener } from './domain-event-listener.js';
import { DomainEventDispatcher } from './domain-event-dispatcher.js';

/**
 * When a listener runs, relative to the transaction that dispatched the event (Spring's `TransactionPhase`).
 * - `after-commit` (the default): once the transaction has committed, asynchronously. For listeners that
 *   talk to the outside world, which must never hear of an order that then rolled back.
 * - `before-commit`: inside the transaction, awaited, just before COMMIT. For listeners whose writes must
 *   commit with the business data or not at all, like the transactional outbox (docs/adr/006).
 */
export type TransactionPhase = 'after-commit' | 'before-commit';

interface Subscription {
  readonly eventClass: DomainEventClass<DomainEvent>;
  readonly listener: DomainEventListener<DomainEvent>;
  readonly phase: TransactionPhase;
}

/**
 * The TypeScript counterpart of Spring's `@TransactionalEventListener` (+ `@Async` after commit).
 *
 * `dispatch()` inside a transaction only holds the events. When that transaction commits, each matching
 * after-commit listener starts on a later turn of the event loop, so the caller (and its HTTP response)
 * never waits for it. After a rollback the held events are dropped: nothing is announced that did not
 * happen. An after-commit listener that fails is logged; it never fails the use case, which has already
 * committed. A before-commit listener that fails rolls the transaction back, like any other write in it.
 */
@injectable()
export class TransactionalEventDispatcher extends DomainEventDispatcher {
  readonly #subscriptions: Subscription[] = [];
  readonly #running = new InFlightWork();

  constructor(
    @inject(TransactionManager) private readonly transactions: TransactionManager,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  subscribe<E extends DomainEvent>(
    eventClass: DomainEventClass<E>,
    listener: DomainEventListener<E>,
    phase: TransactionPhase = 'after-commit',
  ): void {
    // Safe: `dispatch` hands a listener only events that are `instanceof` its class.
    this.#subscriptions.push({ eventClass, listener, phase });
  }

  dispatch(events: readonly DomainEvent[]): void {
    if (events.length === 0) return;
    const deliveries = events.flatMap((event) =>
      this.#subscriptions
        .filter((subscription) => event instanceof subscription.eventClass)
        .map((subscription) => ({ event, ...subscription })),
    );
    for (const { event, listener } of deliveries.filter(({ phase }) => phase === 'before-commit')) {
      this.transactions.beforeCommit(() => listener.handle(event));
    }
    const afterCommit = deliveries.filter(({ phase }) => phase === 'after-commit');
    // Registered even when empty: it also refuses a dispatch outside a transaction.
    this.transactions.afterCommit(() => {
      for (const { event, listener } of afterCommit) this.startAsync(listener, event);
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
