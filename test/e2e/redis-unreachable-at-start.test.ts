import { describe, expect, it } from '@jest/globals';
import { StartupError } from '../../src/infrastructure/startup-error.js';
import { startTestService } from '../support/test-service.js';

// No Redis needed: this is what a learner sees who picks PRODUCT_RANKING=redis before starting one.
describe('PRODUCT_RANKING=redis with no Redis running', () => {
  it('refuses to start, names REDIS_URL and says how to start a Redis', async () => {
    const starting = startTestService({ PRODUCT_RANKING: 'redis', REDIS_URL: 'redis://localhost:1' });

    await expect(starting).rejects.toThrow(StartupError);
    await expect(starting).rejects.toThrow(
      /^Redis did not answer at REDIS_URL=redis:\/\/localhost:1 \(.*ECONNREFUSED.*\)\. Start one with `npm run services:start redis` \(or `docker compose up -d redis`\)/,
    );
  });

  it('starts without a Redis when nothing is set to use one', async () => {
    const { service } = await startTestService({ REDIS_URL: 'redis://localhost:1' });

    await service.stop();
  });
});
