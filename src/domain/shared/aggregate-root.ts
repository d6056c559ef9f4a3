import type { DomainEvent } from './domain-event.js';

/** An aggregate records what happened to it; something outside (the application) pulls and dispatches it. */
export abstract class AggregateRoot {
  readonly #recordedEvents: DomainEvent[] = [];

  protected record(event: DomainEvent): void {
    this.#recordedEvents.push(event);
  }

  /** Returns the recorded events and forgets them, so each event is dispatched once. */
  pullDomainEvents(): DomainEvent[] {
    return this.#recordedEvents.splice(0);
  }
}
