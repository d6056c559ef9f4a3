import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { missingOrderHops, traceTree, type ZipkinSpan } from '../../scripts/support/order-trace.mjs';
import { waitFor } from '../../scripts/support/wait-for.mjs';

export interface ZipkinCollector {
  /** What to set OTEL_EXPORTER_ZIPKIN_ENDPOINT to. */
  readonly endpoint: string;
  /** Every span received so far. */
  readonly spans: readonly ZipkinSpan[];
  /** Waits until the trace `traceId` holds spans that `complete` accepts; resolves them. */
  traceOf(
    traceId: string,
    complete: (spans: readonly ZipkinSpan[]) => boolean,
    timeoutMs?: number,
  ): Promise<ZipkinSpan[]>;
  close(): Promise<void>;
}

/** A stand-in for Zipkin's span intake (`POST /api/v2/spans`, JSON): it keeps what the service exports. */
export async function startZipkinCollector(): Promise<ZipkinCollector> {
  const spans: ZipkinSpan[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/api/v2/spans') {
        spans.push(...(JSON.parse(body) as ZipkinSpan[]));
        response.writeHead(202).end();
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/api/v2/spans`,
    spans,
    traceOf: (traceId, complete, timeoutMs = 20_000) =>
      waitFor(
        `the spans of trace ${traceId}`,
        () => {
          const ofTrace = spans.filter((span) => span.traceId === traceId);
          return complete(ofTrace) ? ofTrace : undefined;
        },
        { timeoutMs, intervalMs: 100 },
      ),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/**
 * Waits for the trace of the one order placed (the `POST /orders` server span names it) to hold every hop
 * `mode` must show; fails with the list of what is missing. Resolves the trace's spans.
 */
export async function completeOrderTrace(
  collector: ZipkinCollector,
  mode: Parameters<typeof missingOrderHops>[1],
  timeoutMs = 20_000,
): Promise<ZipkinSpan[]> {
  const request = await waitFor(
    'the POST /orders span',
    () =>
      collector.spans.find((span) => span.kind === 'SERVER' && span.name.toLowerCase() === 'post /orders'),
    { timeoutMs, intervalMs: 100 },
  );
  try {
    return await collector.traceOf(
      request.traceId,
      (spans) => missingOrderHops(spans, mode).length === 0,
      timeoutMs,
    );
  } catch {
    const spans = collector.spans.filter((span) => span.traceId === request.traceId);
    throw new Error(
      `the order's trace is incomplete:\n  ${missingOrderHops(spans, mode).join('\n  ')}\n` +
        `its spans:\n  ${traceTree(spans).join('\n  ')}`,
    );
  }
}
