/**
 * The service cannot start, for a reason the person starting it can fix (a bad setting, a server that
 * does not answer). `main` prints the message alone, without a stack trace.
 */
export class StartupError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'StartupError';
  }
}

/** Error messages end up in logs: never repeat a password from a connection URL. */
export function withoutPassword(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}
