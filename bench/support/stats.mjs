import { progressLines } from '../../scripts/support/progress.mjs';

/** The q-th quantile (0..1) of some numbers, by the nearest-rank method. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/**
 * One figure measured once per run: its values in run order, their median, lowest and highest. `null`
 * (not measured: a run in which no request was answered has no p99) counts as higher than any number.
 * With an even number of runs the median is the mean of the middle two (null if either is null).
 */
export function figure(values) {
  if (values.length === 0) throw new Error('a figure needs at least one run');
  const rank = (value) => (value === null ? Infinity : value);
  const sorted = [...values].sort((a, b) => (rank(a) < rank(b) ? -1 : rank(a) > rank(b) ? 1 : 0));
  const low = sorted[Math.floor((sorted.length - 1) / 2)];
  const high = sorted[Math.ceil((sorted.length - 1) / 2)];
  const median = low === null || high === null ? null : (low + high) / 2;
  return { values, median, min: sorted[0], max: sorted.at(-1) };
}

/** A figure worked out in each run from other figures of that run (a ratio within one run, say). */
export function perRun(figures, combine) {
  return figure(figures[0].values.map((_, run) => combine(...figures.map((each) => each.values[run]))));
}

/**
 * The rows of several runs of one part, merged into one row per identity. A row's identity is its text
 * fields (mode, broker) and the numeric `settings` it ran with (records, batch size); it must appear in
 * every run. Every other field is a number (or null) measured in each run, and becomes a `figure`.
 */
export function mergeRuns(runs, { settings = [] } = {}) {
  const isIdentity = (field, value) =>
    settings.includes(field) || typeof value === 'string' || typeof value === 'boolean';
  const identityOf = (row) => Object.entries(row).filter(([field, value]) => isIdentity(field, value));
  const sameIdentity = (row, identity) => identity.every(([field, value]) => row[field] === value);
  const [first, ...others] = runs;
  others.forEach((rows, index) => {
    if (rows.length !== first.length) {
      throw new Error(`run ${index + 2} has ${rows.length} rows, run 1 has ${first.length}`);
    }
  });
  return first.map((row) => {
    const identity = identityOf(row);
    const rowOfEachRun = runs.map((rows, index) => {
      const match = rows.find((candidate) => sameIdentity(candidate, identity));
      if (!match) throw new Error(`run ${index + 1} has no row ${describe(identity)}`);
      return match;
    });
    const merged = Object.fromEntries(identity);
    for (const [field, value] of Object.entries(row)) {
      if (isIdentity(field, value)) continue;
      const values = rowOfEachRun.map((each) => each[field]);
      if (!values.every((each) => typeof each === 'number' || each === null)) {
        throw new Error(`${field} of row ${describe(identity)} is neither text, a setting, nor a number`);
      }
      merged[field] = figure(values);
    }
    return merged;
  });
}

function describe(identity) {
  return identity.map(([field, value]) => `${field}=${value}`).join(' ') || '(the only one)';
}

/** Progress lines under the bench's `== …` headings. */
export const { progress, progressDone } = progressLines('  ');

/** Milliseconds since `start` (from performance.now()). */
export function elapsedMs(start) {
  return performance.now() - start;
}
