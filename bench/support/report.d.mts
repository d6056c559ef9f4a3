import type { Figure } from './stats.mjs';

/** A part's rows merged across runs (stats.mjs's mergeRuns): identity fields as they were, figures for the rest. */
type MergedRow = Readonly<Record<string, unknown>>;

export declare function fixed(value: number | null | undefined, digits?: number): string;
export declare function shown(figure: Figure, format?: (value: number | null) => string): string;
export declare function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string;
export declare function orderApiTable(runs: readonly MergedRow[]): string;
export declare function targetsTable(
  results: {
    readonly orderApi: readonly MergedRow[];
    readonly publisher: MergedRow;
    readonly relay: MergedRow;
    readonly consumers: readonly MergedRow[];
  },
  moreRows?: readonly (readonly string[])[],
): string;
export declare function publisherTable(publisher: MergedRow): string;
export declare function relayTable(relay: MergedRow): string;
export declare function consumersTable(runs: readonly MergedRow[]): string;
export declare function environmentLines(options: {
  readonly database: unknown;
  readonly redisVersion: string;
}): Promise<string[]>;
export declare const SHARED_MACHINE: string;
