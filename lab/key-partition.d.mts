export declare function partitionForKey(key: string, partitionCount: number): number;
