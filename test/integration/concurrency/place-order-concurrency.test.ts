import { describe } from '@jest/globals';
import { placeOrderConcurrencyTests } from '../../support/place-order-concurrency.js';

// On SQLite one connection serializes transactions, so this proves the use case's logic under
// interleaving, not the row locks: the MySQL run (test/integration/mysql) does that.
describe('PlaceOrder under concurrent requests (SQLite)', () => {
  placeOrderConcurrencyTests({ open: async () => ({ environment: {}, drop: async () => undefined }) });
});
