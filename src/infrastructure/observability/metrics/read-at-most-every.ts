/**
 * Wraps `read` so that callers share one answer while a read is in flight (the gauges of one scrape) and
 * for `intervalMs` after it started (scrapes close together). A read that failed is not kept.
 */
export function readAtMostEvery<T>(
  intervalMs: number,
  read: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let last: { startedAt: number; result: Promise<T>; inFlight: boolean } | undefined;
  return () => {
    if (last === undefined || (!last.inFlight && now() - last.startedAt >= intervalMs)) {
      const current = { startedAt: now(), result: read(), inFlight: true };
      last = current;
      current.result.then(
        () => (current.inFlight = false),
        () => {
          if (last === current) last = undefined;
        },
      );
    }
    return last.result;
  };
}
