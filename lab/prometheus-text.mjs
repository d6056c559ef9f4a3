// Reads the service's GET /metrics (Prometheus text format) into the few figures the Service panel shows.
// The metric names are the service's (src/…/metrics, docs/12-watching-it-run.md#metrics-and-what-to-alert-on).

/** Each sample line as `{ name, labels, value }`; comments (# HELP, # TYPE) and blank lines skipped. */
export function parsePrometheusText(text) {
  const samples = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/.exec(trimmed);
    if (!match) continue;
    const [, name, labelText = '', value] = match;
    samples.push({ name, labels: parseLabels(labelText), value: Number(value) });
  }
  return samples;
}

function parseLabels(text) {
  const labels = {};
  for (const [, key, value] of text.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
    labels[key] = value.replace(/\\n/g, '\n').replace(/\\(.)/g, '$1');
  }
  return labels;
}

/**
 * What the Service panel shows, from the samples of one scrape. A figure the service does not export
 * (the outbox's, outside outbox mode) is `undefined`, shown as "—", never as 0.
 */
export function serviceFigures(samples) {
  const sum = (name) => {
    const matching = samples.filter((sample) => sample.name === name);
    return matching.length === 0 ? undefined : matching.reduce((total, { value }) => total + value, 0);
  };
  const mode = samples.find(({ name, value }) => name === 'event_publisher_info' && value === 1)?.labels.mode;
  return {
    publishingMode: mode,
    ordersPlaced: sum('orders_placed_total'),
    eventsPublished: sum('events_published_total'),
    failedSends: sum('events_publish_failed_total'),
    outboxPendingRows: sum('outbox_pending_rows'),
    outboxOldestPendingAgeSeconds: sum('outbox_oldest_pending_age_seconds'),
    outboxFailedRows: sum('outbox_failed_rows'),
    recordsDeadLettered: sum('consumer_records_dead_lettered_total'),
  };
}
