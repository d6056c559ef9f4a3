import { GlobalEventPublisher, type OutboundMessage } from '../../../domain/shared/global-event-publisher.js';
import type { ServiceMetrics } from './service-metrics.js';

/**
 * A decorator: the same port as the publisher it wraps, which it calls unchanged, counting each outcome
 * on the way. The composition root binds it around whichever publisher EVENT_PUBLISHER chose, so neither
 * the use cases nor the adapters know they are measured.
 */
export class MeteredGlobalEventPublisher extends GlobalEventPublisher {
  constructor(
    /** The publisher it decorates. */
    readonly publisher: GlobalEventPublisher,
    private readonly mode: string,
    private readonly metrics: ServiceMetrics,
  ) {
    super();
  }

  async publish(message: OutboundMessage): Promise<void> {
    const labels = { mode: this.mode, topic: message.topic };
    try {
      await this.publisher.publish(message);
    } catch (error) {
      this.metrics.eventsPublishFailed.inc(labels);
      throw error;
    }
    this.metrics.eventsPublished.inc(labels);
  }
}
