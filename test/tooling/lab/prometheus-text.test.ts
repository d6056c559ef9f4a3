import { describe, expect, it } from '@jest/globals';
import { parsePrometheusText, serviceFigures } from '../../../lab/prometheus-text.mjs';

// A scrape in the names the service exports (docs/12-watching-it-run.md), as the Service panel reads it.
const outboxScrape = `# HELP event_publisher_info How this instance publishes its events.
# TYPE event_publisher_info gauge
event_publisher_info{mode="outbox"} 1
# TYPE orders_placed_total counter
orders_placed_total 12
events_published_total{mode="outbox",topic="outside.order.completed.v1"} 10
events_publish_failed_total{mode="outbox",topic="outside.order.completed.v1"} 2
events_publish_failed_total{mode="outbox",topic="outside.coupon.issue-requested.v1"} 1
outbox_pending_rows 3
outbox_oldest_pending_age_seconds 4.5
outbox_failed_rows 0
consumer_records_dead_lettered_total{group="data-platform",topic="outside.order.completed.v1"} 1
consumer_records_dead_lettered_total{group="product-ranking",topic="outside.order.completed.v1"} 2
http_request_duration_seconds_bucket{le="0.1",method="POST",route="/orders",status="201"} 12
`;

describe("the Service panel's reading of GET /metrics", () => {
  it('parses names, labels (escapes included) and values, skipping comments', () => {
    const samples = parsePrometheusText('# TYPE x counter\nx{a="1",b="say \\"hi\\""} 2.5\n\ny 3e2\n');
    expect(samples).toEqual([
      { name: 'x', labels: { a: '1', b: 'say "hi"' }, value: 2.5 },
      { name: 'y', labels: {}, value: 300 },
    ]);
  });

  it('sums each figure over its labels and takes the mode from event_publisher_info', () => {
    expect(serviceFigures(parsePrometheusText(outboxScrape))).toEqual({
      publishingMode: 'outbox',
      ordersPlaced: 12,
      eventsPublished: 10,
      failedSends: 3,
      outboxPendingRows: 3,
      outboxOldestPendingAgeSeconds: 4.5,
      outboxFailedRows: 0,
      recordsDeadLettered: 3,
    });
  });

  it('leaves a figure the service does not export undefined (shown as —), never 0', () => {
    const kafkaScrape = 'event_publisher_info{mode="kafka"} 1\norders_placed_total 0\n';
    const figures = serviceFigures(parsePrometheusText(kafkaScrape));
    expect(figures.publishingMode).toBe('kafka');
    expect(figures.ordersPlaced).toBe(0);
    expect(figures.outboxPendingRows).toBeUndefined();
    expect(figures.recordsDeadLettered).toBeUndefined();
  });
});
