// Types for app-process.mjs, for the TypeScript tests that start the built app.

/** One JSON log line of the app (pino): `msg` plus the fields the line carries. */
export interface LogLine {
  readonly msg: string;
  readonly [field: string]: unknown;
}

export interface AppResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  readonly body: unknown;
}

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface AppProcess {
  readonly port: number;
  readonly baseUrl: string;
  readonly pid: number;
  /** Every log line so far (empty when the log goes to a file). */
  readonly lines: readonly LogLine[];
  readonly exited: Promise<Exit>;
  readonly running: boolean;
  waitForLog(description: string, matches: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  hasLogged(message: string): boolean;
  get(path: string): Promise<AppResponse>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<AppResponse>;
  rssMb(): number;
  stop(graceMs?: number): Promise<Exit>;
  kill(): Promise<Exit>;
}

export declare const APP_NODE_FLAGS: readonly string[];

export declare function buildApp(): void;

export declare function startAppProcess(options?: {
  environment?: Record<string, string>;
  nodeArgs?: string[];
  logFile?: string;
  readyTimeoutMs?: number;
}): Promise<AppProcess>;

export declare function rssMb(pid: number): number;
