import { Counter, type Registry } from 'prom-client';

/** Which consumer group read the record, and from which topic. */
export interface ConsumedFrom {
  readonly groupId: string;
  readonly topic: string;
}

/**
 * What the listener containers (Kafka's and the in-process broker's) count about each record: handled,
 * tried again, or sent to the dead-letter topic.
 */
export class ConsumerMetrics {
  readonly #handled: Counter<'group' | 'topic'>;
  readonly #retried: Counter<'group' | 'topic'>;
  readonly #deadLettered: Counter<'group' | 'topic'>;

  constructor(registry: Registry) {
    const counter = (name: string, help: string) =>
      new Counter({ name, help, labelNames: ['group', 'topic'], registers: [registry] });
    this.#handled = counter('consumer_records_handled_total', 'Records the consumer handled successfully.');
    this.#retried = counter(
      'consumer_records_retried_total',
      'Failed attempts at a record after which it waited for another attempt.',
    );
    this.#deadLettered = counter(
      'consumer_records_dead_lettered_total',
      'Records sent to the dead-letter topic once their attempts were spent.',
    );
  }

  /**
   * Starts the group's three series at 0, so a dashboard or the lab reads "0 dead-lettered" from the
   * first scrape instead of a missing series, which Prometheus cannot tell from a group that never ran.
   */
  startCounting(from: ConsumedFrom): void {
    for (const counter of [this.#handled, this.#retried, this.#deadLettered]) counter.inc(labelsOf(from), 0);
  }

  recordHandled(from: ConsumedFrom): void {
    this.#handled.inc(labelsOf(from));
  }

  recordRetried(from: ConsumedFrom): void {
    this.#retried.inc(labelsOf(from));
  }

  recordDeadLettered(from: ConsumedFrom): void {
    this.#deadLettered.inc(labelsOf(from));
  }
}

function labelsOf({ groupId, topic }: ConsumedFrom): { group: string; topic: string } {
  return { group: groupId, topic };
}
