/** The q-th quantile (0..1) of some numbers, by the nearest-rank method. */
export function quantile(values, q) {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** Prints a progress line that rewrites itself on a terminal, and plain lines elsewhere (CI logs). */
export function progress(text) {
  if (process.stdout.isTTY) process.stdout.write(`\r\x1b[2K  … ${text}`);
  else console.log(`  … ${text}`);
}

export function progressDone(text) {
  if (process.stdout.isTTY) process.stdout.write('\r\x1b[2K');
  console.log(`  ✓ ${text}`);
}

/** Milliseconds since `start` (from performance.now()). */
export function elapsedMs(start) {
  return performance.now() - start;
}
