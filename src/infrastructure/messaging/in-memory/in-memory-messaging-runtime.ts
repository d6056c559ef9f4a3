import { inject, injectable } from 'inversify';
import { Logger } from '../../../application/shared/logger.js';
import type { MessageConsumer } from '../../../application/shared/messaging/message-consumer.js';
import { MessagingRuntime } from '../messaging-runtime.js';
import { InMemoryGlobalEventPublisher } from './in-memory-global-event-publisher.js';

@injectable()
export class InMemoryMessagingRuntime extends MessagingRuntime {
  constructor(
    @inject(InMemoryGlobalEventPublisher) private readonly bus: InMemoryGlobalEventPublisher,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  async start(consumers: readonly MessageConsumer[]): Promise<void> {
    for (const consumer of consumers) {
      this.bus.subscribe(consumer);
      this.logger.info({ groupId: consumer.groupId, topic: consumer.topic }, 'consumer subscribed');
    }
  }

  async drain(): Promise<void> {
    await this.bus.drain();
  }

  async stop(): Promise<void> {
    await this.drain(); // nothing to disconnect in-process
  }
}
