import { describe, expect, it } from '@jest/globals';
import { startTestService } from '../support/test-service.js';

describe('graceful shutdown', () => {
  it('lets committed orders reach their consumers before the database closes', async () => {
    const shop = await startTestService();
    const port = await shop.service.listen(0);

    const response = await fetch(`http://localhost:${port}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }] }),
    });
    const order = (await response.json()) as { id: string };
    await shop.stop(); // at once: the after-commit listener and the consumer may still be running

    expect(response.status).toBe(201);
    const messages = shop.logs.map((line) => line.msg);
    const received = shop.logs.findIndex(
      (line) => line.msg === 'data platform received order' && line['orderId'] === order.id,
    );
    expect(received).toBeGreaterThan(-1);
    expect(received).toBeLessThan(messages.lastIndexOf('stopped'));
    await expect(fetch(`http://localhost:${port}/health`)).rejects.toThrow();
  });
});
