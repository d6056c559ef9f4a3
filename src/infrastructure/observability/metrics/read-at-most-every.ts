/**
 * Wraps `read` so that it runs at most once per `intervalMs`: calls within that window (the gauges of one
 * scrape, or scrapes close together) share one answer. A read that failed is not kept.
 */
export function readAtMostEvery<T>(
  intervalMs: number,
  read: () => Promise<T>,
  now: () => number = Date.now,
): () => Promise<T> {
  let last: { startedAt: number; result: Promise<T> } | undefined;
  return () => {
    if (last === undefined || now() - last.startedAt >= intervalMs) {
      const result = read();
      const current = { startedAt: now(), result };
      last = current;
      result.catch(() => {
        if (last === current) last = undefined;
      });
    }
    return last.result;
  };
}
