import type { DomainEvent } from '../../../domain/shared/domain-event.js';

/**
 * Port: what a use case calls with the events its aggregates recorded (Spring's
 * `ApplicationEventPublisher`). Listeners never run inside `publish`: see `TransactionalEventDispatcher`.
 */
export abstract class DomainEventPublisher {
  abstract publish(events: readonly DomainEvent[]): void;
}
