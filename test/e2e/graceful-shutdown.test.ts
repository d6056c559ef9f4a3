import { Agent, request as httpRequest } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { TransactionalEventDispatcher } from '../../src/application/shared/events/transactional-event-dispatcher.js';
import { TransactionManager } from '../../src/application/shared/transaction-manager.js';
import { OrderCompleted } from '../../src/domain/order/order-completed.js';
import { deferred } from '../support/deferred.js';
import { startTestService } from '../support/test-service.js';

interface Reply {
  readonly status: number;
  readonly connection: string | undefined;
  readonly body: { id: string };
}

function postOrder(port: number, agent: Agent): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify({ userId: 1, items: [{ productId: 1, quantity: 1 }] });
    const request = httpRequest(
      { port, agent, method: 'POST', path: '/orders', headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            connection: response.headers.connection,
            body: JSON.parse(text) as { id: string },
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

const turnsOfTheEventLoop = async (count: number) => {
  for (let turn = 0; turn < count; turn += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('graceful shutdown', () => {
  it('finishes the in-flight order, its listeners and its consumers before the database closes', async () => {
    const shop = await startTestService();
    const port = await shop.service.listen(0);
    const journal: string[] = [];
    const listenerMayFinish = deferred();
    shop.service.container.get(TransactionalEventDispatcher).subscribe(OrderCompleted, {
      handle: async () => {
        journal.push('slow listener started');
        await listenerMayFinish.promise;
        journal.push('slow listener finished');
      },
    });
    // Hold SQLite's only connection, so the order below is in flight when shutdown begins.
    const databaseMayContinue = deferred();
    const blocker = shop.service.container.get(TransactionManager).run(() => databaseMayContinue.promise);
    const agent = new Agent({ keepAlive: true });

    const reply = postOrder(port, agent);
    await turnsOfTheEventLoop(5);
    const stopping = shop.service.stop().then(() => journal.push('stop resolved'));
    databaseMayContinue.resolve();
    await blocker;
    const { status, connection, body } = await reply;
    journal.push('response received');
    await turnsOfTheEventLoop(20);
    journal.push('listener released');
    listenerMayFinish.resolve();
    await stopping;

    expect(status).toBe(201);
    expect(connection).toBe('close'); // a keep-alive client is told the connection ends with this response
    expect(journal).toEqual([
      'response received',
      'slow listener started',
      'listener released',
      'slow listener finished',
      'stop resolved',
    ]);
    const messages = shop.logs.map((line) => line.msg);
    const received = shop.logs.findIndex(
      (line) => line.msg === 'data platform received order' && line['orderId'] === body.id,
    );
    expect(received).toBeGreaterThan(-1);
    expect(received).toBeLessThan(messages.lastIndexOf('stopped'));
    await expect(fetch(`http://localhost:${port}/health`)).rejects.toThrow();
    agent.destroy();
    await shop.stop();
  });
});
