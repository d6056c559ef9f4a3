import { LockMode } from '@mikro-orm/core';
import { inject, injectable } from 'inversify';
import { User } from '../../../../domain/user/user.js';
import { UserRepository } from '../../../../domain/user/user-repository.js';
import { Database } from '../database.js';
import { UserRow } from '../schema.js';

@injectable()
export class MikroOrmUserRepository extends UserRepository {
  constructor(@inject(Database) private readonly database: Database) {
    super();
  }

  async findByIdForUpdate(id: number): Promise<User | null> {
    const row = await this.database.em().findOne(UserRow, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    return row ? User.fromPrimitives(row) : null;
  }

  async exists(id: number): Promise<boolean> {
    return (await this.database.em().count(UserRow, { id })) > 0;
  }

  async save(user: User): Promise<void> {
    const { id, ...columns } = user.toPrimitives();
    await this.database.em().nativeUpdate(UserRow, { id }, columns);
  }
}
