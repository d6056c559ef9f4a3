import type { Registry } from 'prom-client';

/**
 * The value of one series of a metric in `registry` (a counter's count, a gauge's value), or `undefined`
 * when no series has exactly these labels.
 */
export async function metricValue(
  registry: Registry,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): Promise<number | undefined> {
  const metric = registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no metric named ${name} in this registry`);
  const { values } = await metric.get();
  const wanted = Object.entries(labels);
  const series = values.find(
    (value) =>
      Object.keys(value.labels).length === wanted.length &&
      wanted.every(([label, expected]) => String(value.labels[label]) === expected),
  );
  return series?.value;
}
