import { describe, expect, it } from '@jest/globals';
import {
  GlobalEventPublisher,
  type OutboundMessage,
} from '../../../src/domain/shared/global-event-publisher.js';
import { MeteredGlobalEventPublisher } from '../../../src/infrastructure/observability/metrics/metered-global-event-publisher.js';
import { ServiceMetrics } from '../../../src/infrastructure/observability/metrics/service-metrics.js';
import { metricValue } from '../../support/metric-values.js';

const message: OutboundMessage = {
  topic: 'outside.order.completed.v1',
  key: 'order-1',
  payload: {},
  eventId: 'event-1',
  aggregateType: 'order',
  aggregateId: 'order-1',
};

/** A publisher that accepts each message, or refuses it with `failure` when given one. */
class ScriptedPublisher extends GlobalEventPublisher {
  readonly published: OutboundMessage[] = [];
  failure: Error | undefined;

  async publish(outbound: OutboundMessage): Promise<void> {
    if (this.failure) throw this.failure;
    this.published.push(outbound);
  }
}

function metered() {
  const inner = new ScriptedPublisher();
  const metrics = new ServiceMetrics('kafka');
  return { inner, metrics, publisher: new MeteredGlobalEventPublisher(inner, 'kafka', metrics) };
}

const labels = { mode: 'kafka', topic: 'outside.order.completed.v1' };

describe('MeteredGlobalEventPublisher', () => {
  it('hands the message to the publisher it wraps and counts it as published, per mode and topic', async () => {
    const { inner, metrics, publisher } = metered();

    await publisher.publish(message);
    await publisher.publish(message);

    expect(inner.published).toEqual([message, message]);
    expect(await metricValue(metrics.registry, 'events_published_total', labels)).toBe(2);
    expect(await metricValue(metrics.registry, 'events_publish_failed_total', labels)).toBeUndefined();
  });

  it('counts a refused publish as failed, not published, and rethrows the same error', async () => {
    const { inner, metrics, publisher } = metered();
    const brokerDown = new Error('broker down');
    inner.failure = brokerDown;

    await expect(publisher.publish(message)).rejects.toBe(brokerDown);

    expect(await metricValue(metrics.registry, 'events_publish_failed_total', labels)).toBe(1);
    expect(await metricValue(metrics.registry, 'events_published_total', labels)).toBeUndefined();
  });

  it('names the publishing mode in event_publisher_info', async () => {
    const { metrics } = metered();

    expect(await metricValue(metrics.registry, 'event_publisher_info', { mode: 'kafka' })).toBe(1);
  });
});
