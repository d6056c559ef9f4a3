export declare function scratchSqliteFile(name: string, options?: { keep?: boolean }): string;

export declare function createScratchMysqlDatabase(
  prefix: string,
  serverUrl?: string,
): Promise<{ name: string; url: string; drop: () => Promise<void> }>;
