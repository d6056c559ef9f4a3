export declare class WaitTimedOut extends Error {}

export declare function waitFor<T>(
  what: string,
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  options?: { timeoutMs?: number; intervalMs?: number },
): Promise<T>;
