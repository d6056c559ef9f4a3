import { AsyncLocalStorage } from 'node:async_hooks';
import { inject, injectable } from 'inversify';
import { Logger } from '../../../application/shared/logger.js';
import { NoActiveTransaction, TransactionManager } from '../../../application/shared/transaction-manager.js';
import { inSpanIfTraced, markSpan } from '../../observability/tracing/spans.js';
import { Database } from './database.js';

interface OpenTransaction {
  readonly beforeCommitHooks: Array<() => Promise<void>>;
  readonly afterCommitHooks: Array<() => void>;
}

/**
 * Transactions on MikroORM, with the before- and after-commit hooks the application relies on.
 *
 * Before-commit hooks are awaited at the end of the `em.transactional(...)` callback, so they write in
 * the same transaction. After-commit hooks are plain code after `await em.transactional(...)`: once that
 * promise resolves, COMMIT has succeeded. If it rejects, the transaction rolled back and the after-commit
 * hooks are simply never called.
 *
 * On SQLite the driver has a single connection, handed to one transaction at a time; a second
 * transaction waits for it, so SQLite writers are serialized in-process (and SQLite itself allows one
 * writer per file). Row locks (`FOR UPDATE`) matter on MySQL, where transactions really run side by side.
 */
@injectable()
export class MikroOrmTransactionManager extends TransactionManager {
  readonly #current = new AsyncLocalStorage<OpenTransaction>();

  constructor(
    @inject(Database) private readonly database: Database,
    @inject(Logger) private readonly logger: Logger,
  ) {
    super();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#current.getStore()) {
      return work(); // join the transaction already open
    }
    const transaction: OpenTransaction = { beforeCommitHooks: [], afterCommitHooks: [] };
    const result = await inSpanIfTraced('transaction', () =>
      this.#current.run(transaction, () =>
        this.database.orm.em.transactional(async (em) => {
          const result = await work();
          await em.flush(); // so that the hooks see what the work changed through the unit of work, too
          // Still inside the transaction. A hook may register another one, hence no for…of over a copy.
          for (let next = 0; next < transaction.beforeCommitHooks.length; next++) {
            await transaction.beforeCommitHooks[next]!();
          }
          return result;
        }),
      ),
    );
    // COMMIT succeeded. Hooks run outside the transaction (it is over) but inside the caller's context;
    // in a trace, under an `after commit` span: what they start (a Kafka send) shows up beneath it.
    markSpan('after commit', () => {
      for (const hook of transaction.afterCommitHooks) {
        try {
          hook();
        } catch (error) {
          this.logger.error({ err: error }, 'after-commit hook failed');
        }
      }
    });
    return result;
  }

  beforeCommit(hook: () => Promise<void>): void {
    this.openTransaction().beforeCommitHooks.push(hook);
  }

  afterCommit(hook: () => void): void {
    this.openTransaction().afterCommitHooks.push(hook);
  }

  private openTransaction(): OpenTransaction {
    const transaction = this.#current.getStore();
    if (!transaction) throw new NoActiveTransaction();
    return transaction;
  }
}
