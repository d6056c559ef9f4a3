/** A span as Zipkin's v2 JSON API holds it (the fields these helpers read). */
export interface ZipkinSpan {
  readonly traceId: string;
  readonly id: string;
  readonly parentId?: string;
  readonly name: string;
  readonly kind?: 'CLIENT' | 'SERVER' | 'PRODUCER' | 'CONSUMER';
  /** Microseconds since the epoch, and microseconds. */
  readonly timestamp: number;
  readonly duration?: number;
  readonly localEndpoint?: { readonly serviceName?: string };
  readonly tags?: Readonly<Record<string, string>>;
  readonly annotations?: ReadonlyArray<{ readonly timestamp: number; readonly value: string }>;
}

export declare const TRACED_GROUPS: readonly string[];

export declare function missingOrderHops(
  spans: readonly ZipkinSpan[],
  mode: 'in-memory' | 'kafka' | 'outbox' | 'sync',
): string[];

export declare function traceTree(spans: readonly ZipkinSpan[]): string[];
