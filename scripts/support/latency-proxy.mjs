// A small TCP proxy between the app and the broker, run as a child process of the benchmark or a demo
// (so that the load generator's CPU use cannot delay the bytes it forwards). The parent switches its state over IPC:
//   { state: 'healthy' }                 bytes pass straight through
//   { state: 'slow', delayMs: 50 }       every chunk waits delayMs in each direction: a round trip gains 2×
//   { state: 'down' }                    every connection is cut and new ones are refused, as a dead broker's
// Usage: node latency-proxy.mjs <listen port> <target port>
import net from 'node:net';

const [listenPort, targetPort] = process.argv.slice(2).map(Number);
const connections = new Set();
let delayMs = 0;
let server;

function forward(from, to) {
  from.on('data', (chunk) => {
    // Timers of equal delay fire in the order they were set, so chunks keep their order.
    if (delayMs === 0) to.write(chunk);
    else setTimeout(() => to.write(chunk), delayMs);
  });
}

function accept(client) {
  const broker = net.connect(targetPort, 'localhost');
  const pair = [client, broker];
  connections.add(pair);
  for (const socket of pair) {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => {
      connections.delete(pair);
      for (const other of pair) other.destroy();
    });
  }
  forward(client, broker);
  forward(broker, client);
}

function listen() {
  return new Promise((resolve, reject) => {
    server = net.createServer(accept);
    server.once('error', reject);
    server.listen(listenPort, 'localhost', resolve);
  });
}

async function setState({ state, delayMs: delay = 0 }) {
  if (state === 'down') {
    delayMs = 0;
    const closed = new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
    server = undefined;
    // close() stops new connections at once but calls back only when the open ones have ended.
    for (const pair of connections) for (const socket of pair) socket.destroy();
    await closed;
    return;
  }
  delayMs = state === 'slow' ? delay : 0;
  if (!server) await listen();
}

process.on('message', (message) => {
  setState(message).then(
    () => process.send({ ok: true }),
    (error) => process.send({ ok: false, error: error.message }),
  );
});
await listen();
process.send({ ok: true });
