export declare function cpuSeconds(pid: number): number | undefined;
export declare function serviceStartPids(): number[] | undefined;
export declare function watchCpu(pids: readonly number[]): () => (number | undefined)[];
