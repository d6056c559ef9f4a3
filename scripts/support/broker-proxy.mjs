import { fork } from 'node:child_process';
import { once } from 'node:events';

/**
 * The broker as the app sees it in the benchmark and in chapters 07 and 08's demos: its bootstrap address
 * is `address`, a latency proxy in front of the broker's PROXIED listener, which advertises the proxy's
 * port back (scripts/services/kafka.mjs, docker-compose.yml). Every connection the app opens therefore goes through the proxy, and the caller can
 * make the broker healthy, slow or unreachable without touching it.
 */
export async function startBrokerProxy({ listenPort = 9095, brokerPort = 9094 } = {}) {
  const child = fork(new URL('./latency-proxy.mjs', import.meta.url), [listenPort, brokerPort], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = once(child, 'exit').then(([code]) => {
    // Its port taken (EADDRINUSE), say: the error is on stderr above; without this the caller would wait forever.
    throw new Error(`latency proxy on port ${listenPort} exited with code ${code}`);
  });
  exited.catch(() => undefined);
  const reply = async () => {
    const [message] = await Promise.race([once(child, 'message'), exited]);
    if (!message.ok) throw new Error(`latency proxy: ${message.error}`);
  };
  await reply();
  const setState = async (state) => {
    child.send(state);
    await reply();
  };
  return {
    address: `localhost:${listenPort}`,
    healthy: () => setState({ state: 'healthy' }),
    slow: (delayMs) => setState({ state: 'slow', delayMs }),
    down: () => setState({ state: 'down' }),
    stop: async () => {
      child.kill();
      await exited.catch(() => undefined);
    },
  };
}
