/**
 * Port: the database transaction boundary. Use cases call `run` so a reader sees exactly where a
 * transaction begins and ends.
 */
export abstract class TransactionManager {
  /**
   * Runs `work` in one database transaction: COMMIT when it resolves, ROLLBACK when it throws.
   * A `run` inside another `run` joins the outer transaction (Spring's REQUIRED propagation).
   */
  abstract run<T>(work: () => Promise<T>): Promise<T>;

  /**
   * Registers `hook` to run inside the current transaction, once its work is done and just before COMMIT
   * (Spring's `TransactionPhase.BEFORE_COMMIT`). What the hook writes commits with the work; if the hook
   * throws, the whole transaction rolls back. Throws when no transaction is open.
   */
  abstract beforeCommit(hook: () => Promise<void>): void;

  /**
   * Registers `hook` to be called once the current transaction has committed; after a rollback it is
   * never called. Throws when no transaction is open: there would be no commit to wait for.
   */
  abstract afterCommit(hook: () => void): void;
}

export class NoActiveTransaction extends Error {
  constructor() {
    super(
      'beforeCommit() and afterCommit() need an open transaction: call them inside TransactionManager.run()',
    );
    this.name = 'NoActiveTransaction';
  }
}
