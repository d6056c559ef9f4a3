import type { User } from './user.js';

/** Port: where users and their point balances live. */
export abstract class UserRepository {
  /** Loads the user and locks the row until the current transaction ends, so points are never spent twice. */
  abstract findByIdForUpdate(id: number): Promise<User | null>;

  /** Whether the user exists, without loading or locking them. */
  abstract exists(id: number): Promise<boolean>;

  abstract save(user: User): Promise<void>;
}
