// The three servers the bench needs, found as the demos find the broker: the environment's variable, else
// what `npm run services:start` wrote in var/services/services.env, else the address `docker compose up -d`
// gives. Each one is asked for a TCP connection before anything starts, so a missing server is named at once.
import { connect } from 'node:net';
import { servicesEnv, withoutPassword } from '../../scripts/support/services-env.mjs';

const SERVERS = [
  { name: 'Kafka', variable: 'KAFKA_BROKERS', compose: 'localhost:9092' },
  { name: 'MySQL', variable: 'DATABASE_URL', compose: 'mysql://orders:orders@localhost:3306/orders' },
  { name: 'Redis', variable: 'REDIS_URL', compose: 'redis://localhost:6379' },
];

/**
 * Puts KAFKA_BROKERS, DATABASE_URL and REDIS_URL in `process.env` (so the apps and Kafka tools the bench
 * starts inherit them) and checks that each answers. Returns one line per server: name, address, where
 * the address came from, and why it does not answer (`failure`, undefined when it does).
 */
export async function findServices(written = servicesEnv()) {
  return Promise.all(
    SERVERS.map(async ({ name, variable, compose }) => {
      const [value, source] = process.env[variable]
        ? [process.env[variable], `$${variable}`]
        : written[variable]
          ? [written[variable], 'var/services/services.env']
          : [compose, "docker compose's address"];
      process.env[variable] = value;
      const failure = await tcpFailure(hostAndPort(value));
      return { name, address: withoutPassword(value), source, failure };
    }),
  );
}

/** What the learner reads when a server does not answer: which one, where its address came from, what to run. */
export function servicesMissingMessage(servers) {
  const lines = servers
    .filter((server) => server.failure)
    .map(({ name, address, source, failure }) => `  ${name.padEnd(7)}${address} (${source}): ${failure}`);
  return [
    'The bench needs Kafka, MySQL and Redis, and these do not answer:',
    ...lines,
    'Start them with `npm run services:start` (or, with Docker, `docker compose up -d`), then run the bench again.',
  ].join('\n');
}

/** The first broker of a list, or a URL's host and port. */
function hostAndPort(address) {
  if (!address.includes('://')) {
    const [host, port] = address.split(',')[0].split(':');
    return { host, port: Number(port) };
  }
  const url = new URL(address);
  const defaults = { 'mysql:': 3306, 'redis:': 6379 };
  return { host: url.hostname, port: Number(url.port) || defaults[url.protocol] };
}

/** Why a TCP connection to host:port fails within 3 s, or undefined when it opens. */
function tcpFailure({ host, port }) {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('no answer within 3 s');
    });
    socket.once('error', (error) => {
      resolve(error.code === 'ECONNREFUSED' ? 'connection refused' : error.message);
    });
  });
}
