import { AsyncLocalStorage } from 'node:async_hooks';
import { injectable } from 'inversify';
import { RequestContext } from '../../application/shared/request-context.js';

/** AsyncLocalStorage follows the request through every `await`, timer and after-commit listener. */
@injectable()
export class AsyncLocalStorageRequestContext extends RequestContext {
  readonly #storage = new AsyncLocalStorage<string>();

  run<T>(requestId: string, work: () => T): T {
    return this.#storage.run(requestId, work);
  }

  currentRequestId(): string | undefined {
    return this.#storage.getStore();
  }
}
