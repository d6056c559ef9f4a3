import {
  NoActiveTransaction,
  TransactionManager,
} from '../../../src/application/shared/transaction-manager.js';

/**
 * Behaves like a real transaction manager from the caller's side — before-commit hooks run inside `run`,
 * after-commit hooks after a successful `run` and never after a failed one — and keeps a journal of what happened, in order.
 *
 * It cannot undo writes: a "rollback" here leaves whatever a fake repository already stored. Unit tests
 * of "a rejected order writes nothing" therefore prove that the use case writes only after every rule
 * has passed; the real rollback is proved on SQLite in test/integration.
 */
export class FakeTransactionManager extends TransactionManager {
  readonly journal: string[] = [];
  #open: { before: Array<() => Promise<void>>; after: Array<() => void> } | undefined;

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#open) return work();
    const hooks = { before: [] as Array<() => Promise<void>>, after: [] as Array<() => void> };
    this.#open = hooks;
    this.journal.push('begin');
    try {
      const result = await work();
      for (let next = 0; next < hooks.before.length; next++) await hooks.before[next]!();
      this.journal.push('commit');
      this.#open = undefined;
      hooks.after.forEach((hook) => hook());
      return result;
    } catch (error) {
      this.journal.push('rollback');
      this.#open = undefined;
      throw error;
    }
  }

  beforeCommit(hook: () => Promise<void>): void {
    if (!this.#open) throw new NoActiveTransaction();
    this.#open.before.push(hook);
  }

  afterCommit(hook: () => void): void {
    if (!this.#open) throw new NoActiveTransaction();
    this.#open.after.push(hook);
  }
}
