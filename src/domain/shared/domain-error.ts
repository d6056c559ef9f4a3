/**
 * Base of every broken business rule. `code` is stable: the HTTP layer maps each error class to a
 * status in one place, and clients may branch on the code.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}
