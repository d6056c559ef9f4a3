import { jest } from '@jest/globals';

// A consumer group takes a few seconds to form, and a producer gives up on a dead broker after ~8 s.
jest.setTimeout(60_000);
