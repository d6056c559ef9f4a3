/**
 * Port: remembers which request the current work belongs to, across `await`s and after-commit work,
 * so every log line and every outgoing message can name the request that started it.
 */
export abstract class RequestContext {
  abstract run<T>(requestId: string, work: () => T): T;

  abstract currentRequestId(): string | undefined;
}
