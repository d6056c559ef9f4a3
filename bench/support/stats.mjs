import { progressLines } from '../../scripts/support/progress.mjs';

/** The q-th quantile (0..1) of some numbers, by the nearest-rank method. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Progress lines under the bench's `== …` headings. */
export const { progress, progressDone } = progressLines('  ');

/** Milliseconds since `start` (from performance.now()). */
export function elapsedMs(start) {
  return performance.now() - start;
}
