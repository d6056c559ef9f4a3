/** Port: structured logging. The first argument holds fields (ids, counts), the second a human sentence. */
export abstract class Logger {
  abstract debug(fields: Record<string, unknown>, message: string): void;
  abstract info(fields: Record<string, unknown>, message: string): void;
  abstract warn(fields: Record<string, unknown>, message: string): void;
  abstract error(fields: Record<string, unknown>, message: string): void;
}
