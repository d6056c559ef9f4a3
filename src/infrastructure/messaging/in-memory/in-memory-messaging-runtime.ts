import { inject, injectable } from 'inversify';
import { Logger } from '../../../application/shared/logger.js';
import type { MessageConsumer } from '../../../application/shared/messaging/message-consumer.js';
import { MessagingRuntime } from '../messaging-runtime.js';
import { InProcessBroker } from './in-process-broker.js';

/** EVENT_PUBLISHER=in-memory at run time: feeds the consumers from the `InProcessBroker`. */
@injectable()
export class InMemoryMessagingRuntime extends MessagingRuntime {
  constructor(
    @inject(InProcessBroker) private readonly broker: InProcessBroker,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  async start(consumers: readonly MessageConsumer[]): Promise<void> {
    for (const consumer of consumers) {
      this.broker.subscribe(consumer);
      this.logger.info({ groupId: consumer.groupId, topic: consumer.topic }, 'consumer subscribed');
    }
  }

  async drain(): Promise<void> {
    await this.broker.drain();
  }

  async stop(): Promise<void> {
    await this.drain(); // nothing to disconnect in-process
  }
}
