import type { DomainEvent } from '../../../domain/shared/domain-event.js';

/** Reacts to one kind of domain event. */
export interface DomainEventListener<E extends DomainEvent> {
  handle(event: E): Promise<void>;
}

export type DomainEventClass<E extends DomainEvent> = abstract new (...args: never[]) => E;
