import type { MessageConsumer } from '../../application/shared/messaging/message-consumer.js';

/**
 * The running side of the messaging adapter that configuration chose: it feeds the consumers, and it is
 * drained at shutdown. The service starts and stops it without knowing which adapter is behind it.
 */
export abstract class MessagingRuntime {
  abstract start(consumers: readonly MessageConsumer[]): Promise<void>;

  /** Resolves once every message published so far has been handled by every consumer. */
  abstract drain(): Promise<void>;

  /**
   * Finishes the work in hand (sends in flight, the record each consumer is handling), then lets go of
   * connections. Called once, at shutdown.
   */
  abstract stop(): Promise<void>;
}
