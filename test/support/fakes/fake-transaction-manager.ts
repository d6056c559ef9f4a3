import {
  NoActiveTransaction,
  TransactionManager,
} from '../../../src/application/shared/transaction-manager.js';

/**
 * Behaves like a real transaction manager from the caller's side — hooks run after a successful `run`,
 * never after a failed one — and keeps a journal of what happened, in order.
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
