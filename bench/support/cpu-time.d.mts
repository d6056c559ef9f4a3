export declare function cpuSeconds(pid: number): number | undefined;
export declare function serverPids(): number[];
export declare function watchCpu(pids: readonly number[]): () => (number | undefined)[];
