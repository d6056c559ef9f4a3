/** One figure measured once per run; `null` where a run could not measure it. */
export interface Figure {
  readonly values: readonly (number | null)[];
  readonly median: number | null;
  readonly min: number | null;
  readonly max: number | null;
}

export declare function quantile(values: readonly number[], q: number): number;
export declare function figure(values: readonly (number | null)[]): Figure;
export declare function perRun(
  figures: readonly Figure[],
  combine: (...valuesOfOneRun: (number | null)[]) => number | null,
): Figure;
export declare function mergeRuns(
  runs: readonly (readonly Record<string, unknown>[])[],
  options?: { readonly settings?: readonly string[] },
): Record<string, unknown>[];
export declare const progress: (text: string, options?: { fraction?: number }) => void;
export declare const progressDone: (text: string) => void;
export declare function elapsedMs(start: number): number;
