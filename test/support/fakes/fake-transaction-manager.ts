import {
  NoActiveTransaction,
  TransactionManager,
} from '../../../src/application/shared/transaction-manager.js';

/**
 * Behaves like a real transaction manager from the caller's side — hooks run after a successful `run`,
 * never after a failed one — and keeps a journal of what happened, in order.
 *
 * It cannot undo writes: a "rollback" here leaves whatever a fake repository already stored. Unit tests
 * of "a rejected order writes nothing" therefore prove that the use case writes only after every rule
 * has passed; the real rollback is proved on SQLite in test/integration.
 */
export class FakeTransactionManager extends TransactionManager {
  readonly journal: string[] = [];
  #hooks: Array<() => void> | undefined;

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#hooks) return work();
    const hooks: Array<() => void> = [];
    this.#hooks = hooks;
    this.journal.push('begin');
    try {
      const result = await work();
      this.journal.push('commit');
      this.#hooks = undefined;
      hooks.forEach((hook) => hook());
      return result;
    } catch (error) {
      this.journal.push('rollback');
      this.#hooks = undefined;
      throw error;
    }
  }

  afterCommit(hook: () => void): void {
    if (!this.#hooks) throw new NoActiveTransaction();
    this.#hooks.push(hook);
  }
}
