import { parsePrometheusText } from '../../lab/prometheus-text.mjs';

/**
 * The value of the sample with this name and exactly these labels, or `undefined` if the scrape has none.
 * The scrape is read by the Kafka Lab's own parser, so the tests and the lab's Service panel read
 * `/metrics` the same way.
 */
export function sampleValue(
  text: string,
  name: string,
  labels: Readonly<Record<string, string>> = {},
): number | undefined {
  const wanted = Object.entries(labels);
  return parsePrometheusText(text).find(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === wanted.length &&
      wanted.every(([label, value]) => sample.labels[label] === value),
  )?.value;
}
