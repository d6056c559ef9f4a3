import type { DomainEvent } from '../../../domain/shared/domain-event.js';

/**
 * Port: what a use case calls with the events its aggregates recorded (Spring's
 * `ApplicationEventPublisher`). `dispatch` hands them to the listeners at their phase of the caller's
 * transaction; no listener runs inside it (see `TransactionalEventDispatcher`). Sending events to other
 * services is a listener's job, through `GlobalEventPublisher`.
 */
export abstract class DomainEventDispatcher {
  abstract dispatch(events: readonly DomainEvent[]): void;
}
