import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ConsumerMetrics } from './consumer-metrics.js';

/** What `GET /metrics` answers: the Prometheus text exposition format, and its content type. */
export interface MetricsScrape {
  readonly contentType: string;
  readonly text: string;
}

/** One HTTP request, as the middleware of src/interfaces/http times it. */
export interface HttpRequestTiming {
  readonly method: string;
  /** The route's pattern (`/orders/:id`), never the raw URL: one series per route, not per order id. */
  readonly route: string;
  readonly status: number;
  readonly durationSeconds: number;
}

// Prometheus's default buckets start at 5 ms; an order on SQLite takes a few, so finer ones below.
const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The service's metrics, in a registry of its own (not prom-client's global one): two services in one
 * process, like the tests start, each count only what they did. The metrics read at scrape time (outbox
 * backlog, consumer lag) register themselves on `registry` when their publishing mode has them.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly ordersPlaced: Counter;
  readonly eventsPublished: Counter<'mode' | 'topic'>;
  readonly eventsPublishFailed: Counter<'mode' | 'topic'>;
  readonly consumers: ConsumerMetrics;
  readonly #httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  readonly #publishingMode: string;

  constructor(publishingMode: string) {
    this.#publishingMode = publishingMode;
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'event_publisher_info',
      help: 'The publishing mode this instance runs (EVENT_PUBLISHER), as a label; the value is always 1.',
      labelNames: ['mode'],
      registers,
    }).set({ mode: publishingMode }, 1);
    this.ordersPlaced = new Counter({
      name: 'orders_placed_total',
      help: 'Orders placed and committed.',
      registers,
    });
    this.eventsPublished = new Counter({
      name: 'events_published_total',
      help: 'Events the publisher accepted (outbox: rows written in the order transaction).',
      labelNames: ['mode', 'topic'],
      registers,
    });
    this.eventsPublishFailed = new Counter({
      name: 'events_publish_failed_total',
      help: 'Events the publisher refused with an error.',
      labelNames: ['mode', 'topic'],
      registers,
    });
    this.consumers = new ConsumerMetrics(this.registry);
    this.#httpRequestDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from a request arriving to its response being sent, per route pattern.',
      labelNames: ['method', 'route', 'status'],
      buckets: HTTP_DURATION_BUCKETS,
      registers,
    });
  }

  /** Starts the publish counters of `topic` at 0: a missing series would read as "nothing known", not "none failed". */
  startCountingPublishesTo(topic: string): void {
    const labels = { mode: this.#publishingMode, topic };
    this.eventsPublished.inc(labels, 0);
    this.eventsPublishFailed.inc(labels, 0);
  }

  observeHttpRequest({ method, route, status, durationSeconds }: HttpRequestTiming): void {
    this.#httpRequestDuration.observe({ method, route, status: String(status) }, durationSeconds);
  }

  async scrape(): Promise<MetricsScrape> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
