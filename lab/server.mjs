// `npm run lab`: the Kafka Lab, a page on http://127.0.0.1:3100 that shows the broker and the order service
// live. A driving adapter of the broker's state, outside src/: it reads what the broker and the service
// report (no figure is made up) and pushes it to the page once a second over Server-Sent Events.
//
//   LAB_PORT (3100)   KAFKA_BROKERS (found as the demos find it)   APP_URL (http://127.0.0.1:3000)
//   ZIPKIN_URL (http://localhost:9411), where a record's trace link points
import '../scripts/support/silence-kafkajs-timeout-warning.mjs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ORDER_TOPIC } from '../scripts/support/order-topic.mjs';
import { kafkaBrokers, servicesEnv } from '../scripts/support/services-env.mjs';
import { createBrokerWatch } from './broker-watch.mjs';
import { partitionForKey } from './key-partition.mjs';
import { createRecordTail } from './record-tail.mjs';
import { readService } from './service-watch.mjs';

const port = Number(process.env.LAB_PORT || 3100);
const brokers = kafkaBrokers();
const appUrl = (process.env.APP_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
const zipkinUrl = (process.env.ZIPKIN_URL || 'http://localhost:9411').replace(/\/$/, '');
const log = (line) => console.log(`[lab] ${line}`);

const watch = createBrokerWatch({ brokers });
const tail = createRecordTail({ kafka: watch.kafka, admin: () => watch.admin, log });
const pages = new Set(); // the open pages' event streams
let latest; // the last snapshot, for a page that opens between two
let tailChosen = false; // until a page picks a topic, the tail follows the order service's
let wasReachable;
let stopping = false;
const stopSleeping = new AbortController();

const publicFiles = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/lab.js': ['lab.js', 'text/javascript; charset=utf-8'],
  '/lab.css': ['lab.css', 'text/css; charset=utf-8'],
};

const server = createServer(async (request, response) => {
  const url = new URL(request.url, 'http://lab');
  if (request.method === 'GET' && url.pathname in publicFiles) {
    const [file, type] = publicFiles[url.pathname];
    response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
    response.end(await readFile(join(import.meta.dirname, 'public', file)));
  } else if (request.method === 'GET' && url.pathname === '/events') {
    openEventStream(request, response);
  } else if (request.method === 'GET' && url.pathname === '/partition') {
    answerPartition(url.searchParams, response);
  } else if (request.method === 'POST' && url.pathname === '/tail') {
    const topic = url.searchParams.get('topic') ?? '';
    tailChosen = true;
    await tail.follow(topic).catch((error) => log(`Records: ${error.message}`));
    sendJson(response, 200, { topic: tail.topic ?? null });
  } else {
    sendJson(response, 404, { error: `no ${request.method} ${url.pathname} here` });
  }
});

function openEventStream(request, response) {
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-store',
    connection: 'keep-alive',
  });
  pages.add(response);
  request.on('close', () => pages.delete(response));
  if (latest) response.write(eventText('snapshot', latest));
}

/** The partition kafkajs's default partitioner picks for `key` on `topic` (as many partitions as it has now). */
function answerPartition(parameters, response) {
  const topic = parameters.get('topic');
  const key = parameters.get('key') ?? '';
  const partitions = latest?.topics?.find(({ name }) => name === topic)?.partitions.length;
  if (!partitions) return sendJson(response, 404, { error: `no topic ${topic} on the broker` });
  return sendJson(response, 200, { topic, key, partitions, partition: partitionForKey(key, partitions) });
}

function sendJson(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

function eventText(event, data) {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function broadcast(event, data) {
  const text = eventText(event, data);
  for (const page of pages) page.write(text);
}

async function watchOnce() {
  const [{ snapshot, events }, service] = await Promise.all([
    watch.read({ tailTopic: tail.topic }),
    readService(appUrl),
  ]);
  reportReachability(snapshot.broker);
  const exists = (topic) => snapshot.topics?.some(({ name }) => name === topic);
  if (snapshot.broker.reachable && tail.topic === undefined && !tailChosen && exists(ORDER_TOPIC)) {
    await tail.follow(ORDER_TOPIC);
  }
  if (snapshot.broker.reachable && tail.topic !== undefined && !exists(tail.topic)) {
    log(`Records: ${tail.topic} was deleted; the tail stops`);
    await tail.follow('');
  }
  latest = { ...snapshot, records: tail.view(), service, zipkinUrl };
  broadcast('snapshot', latest);
  if (events.length > 0) broadcast('rebalance', events);
}

function reportReachability({ reachable, error }) {
  if (reachable === wasReachable) return;
  if (reachable) log(`broker ${brokers} reachable${wasReachable === false ? ' again' : ''}`);
  else {
    log(`broker ${brokers} unreachable (${error}).`);
    log('  Is Kafka running? `npm run services:start` starts it. The lab asks again every second.');
  }
  wasReachable = reachable;
}

async function watchUntilStopped() {
  while (!stopping) {
    const started = Date.now();
    await watchOnce().catch((error) => log(`could not read the broker's state: ${error.message}`));
    await sleep(Math.max(0, 1_000 - (Date.now() - started)), undefined, {
      signal: stopSleeping.signal,
    }).catch(() => undefined);
  }
}

async function shutDown(signal) {
  if (stopping) {
    log(`${signal} again: exiting at once`);
    process.exit(1);
  }
  stopping = true;
  stopSleeping.abort();
  log(`${signal}: stopping (Ctrl-C again to exit at once)`);
  for (const page of pages) page.end();
  server.close();
  try {
    const groupId = await tail.stop();
    if (groupId) log(`deleted the consumer group ${groupId}`);
  } catch (error) {
    log(`${error.message}: delete it with npm run kafka -- consumer-groups --delete --group <id>`);
  }
  await watch.close().catch(() => undefined);
  log('stopped');
  // kafkajs may keep a socket or timer a moment longer; nothing is left to do.
  setTimeout(() => process.exit(0), 1_000).unref();
}

server.on('error', (error) => {
  if (error.code === 'EADDRINUSE') {
    log(`port ${port} is in use: is the lab already running? Another port: LAB_PORT=3101 npm run lab`);
  } else {
    log(`cannot listen on 127.0.0.1:${port}: ${error.message}`);
  }
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  const source = process.env.KAFKA_BROKERS
    ? 'KAFKA_BROKERS'
    : servicesEnv().KAFKA_BROKERS
      ? 'var/services/services.env, from npm run services:start'
      : "Kafka's default port";
  log(`Kafka Lab on http://127.0.0.1:${port}  (Ctrl-C stops it)`);
  log(`  broker ${brokers} (${source}); service ${appUrl} (APP_URL)`);
});
process.on('SIGINT', () => void shutDown('SIGINT'));
process.on('SIGTERM', () => void shutDown('SIGTERM'));
await watchUntilStopped();
