import {
  GlobalEventPublisher,
  type OutboundMessage,
} from '../../../src/domain/shared/global-event-publisher.js';

/**
 * Remembers each message it was given, in order, and writes `publish <eventId>` into `journal` (pass a
 * FakeTransactionManager's to see where publishing happens against begin and commit). While `down`, it
 * throws instead, as a broker that cannot be reached.
 */
export class RecordingGlobalEventPublisher extends GlobalEventPublisher {
  readonly published: OutboundMessage[] = [];
  down = false;
  /** The most sends it had in hand at once: 1 when each waits for the one before. */
  mostConcurrentSends = 0;
  #sending = 0;

  constructor(private readonly journal: string[] = []) {
    super();
  }

  async publish(message: OutboundMessage): Promise<void> {
    if (this.down) throw new Error('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
    this.#sending += 1;
    this.mostConcurrentSends = Math.max(this.mostConcurrentSends, this.#sending);
    await new Promise((resolve) => setImmediate(resolve)); // a send takes time
    this.#sending -= 1;
    this.published.push(message);
    this.journal.push(`publish ${message.eventId}`);
  }
}
