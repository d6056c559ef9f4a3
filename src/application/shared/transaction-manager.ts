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
   * Registers `hook` to be called once the current transaction has committed; after a rollback it is
   * never called. Throws when no transaction is open: there would be no commit to wait for.
   */
  abstract afterCommit(hook: () => void): void;
}

export class NoActiveTransaction extends Error {
  constructor() {
    super('afterCommit() needs an open transaction: call it inside TransactionManager.run()');
    this.name = 'NoActiveTransaction';
  }
}
