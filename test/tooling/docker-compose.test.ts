import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';

// No test starts these containers (CI has no Docker engine), so this file keeps docker-compose.yml
// honest: it must agree with .env.example, which is what a learner copies to reach the containers.

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

interface ComposeService {
  image?: string;
  profiles?: string[];
  ports?: (string | { published: string | number; target: number })[];
  environment?: Record<string, string | number | boolean | null>;
  volumes?: (string | { type?: string; source?: string })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
  depends_on?: string[] | Record<string, { condition?: string }>;
}

interface PublishedPort {
  host: number;
  container: number;
}

interface Listener {
  name: string;
  host: string;
  port: number;
}

const root = join(import.meta.dirname, '../..');
// Compose understands YAML merge keys (`<<: *anchor`); the yaml package needs to be told.
const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const envExample = readEnvExample(readFileSync(join(root, '.env.example'), 'utf8'));

const singleBroker = 'kafka';
const clusterBrokers = ['kafka-1', 'kafka-2', 'kafka-3'];
const allBrokers = [singleBroker, ...clusterBrokers];
const kafkaUis = Object.keys(compose.services).filter((name) =>
  setting(name, 'KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS'),
);
const internalTopicSettings = [
  'KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR',
  'KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR',
  'KAFKA_TRANSACTION_STATE_LOG_MIN_ISR',
];

describe('docker-compose.yml', () => {
  it('pins every image to an exact version', () => {
    const unpinned = Object.entries(compose.services)
      .filter(([, service]) => !isPinned(service.image))
      .map(([name, service]) => `${name}: ${service.image ?? '(no image)'}`);

    expect(unpinned).toEqual([]);
  });

  it('declares every named volume a service mounts', () => {
    const declared = Object.keys(compose.volumes ?? {});
    const undeclared = Object.entries(compose.services).flatMap(([name, service]) =>
      namedVolumes(service)
        .filter((volume) => !declared.includes(volume))
        .map((volume) => `${name}: ${volume}`),
    );

    expect(undeclared).toEqual([]);
  });

  it('publishes each host port once, so the single broker and the cluster can run side by side', () => {
    const publishers = new Map<number, string[]>();
    for (const name of Object.keys(compose.services)) {
      for (const { host } of publishedPorts(name)) {
        publishers.set(host, [...(publishers.get(host) ?? []), name]);
      }
    }
    const clashes = [...publishers].filter(([, names]) => names.length > 1);

    expect(clashes).toEqual([]);
  });

  it('starts kafka, mysql, redis, kafka-ui and zipkin, and nothing else, with a plain `docker compose up`', () => {
    const withoutProfile = Object.keys(compose.services).filter((name) => !service(name).profiles?.length);

    expect(withoutProfile.sort()).toEqual(['kafka', 'kafka-ui', 'mysql', 'redis', 'zipkin']);
  });

  it('gives mysql, redis and every broker a healthcheck, which the services after them wait for', () => {
    const withoutHealthcheck = ['mysql', 'redis', ...allBrokers].filter(
      (name) => healthcheckCommand(name) === '',
    );

    expect(withoutHealthcheck).toEqual([]);
  });

  it.each(allBrokers)('health-checks %s on a port it listens on', (name) => {
    const bootstrapServer = /--bootstrap-server[ =](\S+)/.exec(healthcheckCommand(name))?.[1] ?? '(none)';
    const listeningPorts = listeners(name, 'KAFKA_LISTENERS').map((listener) => listener.port);

    expect(listeningPorts).toContain(portOf(bootstrapServer));
  });

  it.each(allBrokers)(
    'names in the quorum voters of %s only brokers, by their node id and controller port',
    (name) => {
      const wrongVoters = quorumVoters(name).filter(({ nodeId, host, port }) => {
        if (!compose.services[host]) return true;
        const controllerListener = requiredSetting(host, 'KAFKA_CONTROLLER_LISTENER_NAMES');
        const controllerPort = listeners(host, 'KAFKA_LISTENERS').find(
          (listener) => listener.name === controllerListener,
        )?.port;
        return requiredSetting(host, 'KAFKA_NODE_ID') !== nodeId || controllerPort !== port;
      });

      expect(wrongVoters).toEqual([]);
    },
  );

  describe('agrees with .env.example', () => {
    it(`lets the app reach kafka at KAFKA_BROKERS=${envExample.active.KAFKA_BROKERS}`, () => {
      expectReachableFromTheHost(singleBroker, required(envExample.active, 'KAFKA_BROKERS'));
    });

    const clusterAddresses = required(envExample.commented, 'KAFKA_BROKERS').split(',');

    it('names one address per cluster broker on its commented cluster line', () => {
      expect(clusterAddresses).toHaveLength(clusterBrokers.length);
    });

    it('creates topics on the cluster with as many copies as its brokers keep (KAFKA_REPLICATION_FACTOR)', () => {
      const clusterCopies = clusterBrokers.map((name) => setting(name, 'KAFKA_DEFAULT_REPLICATION_FACTOR'));

      expect(clusterCopies).toEqual(
        clusterBrokers.map(() => required(envExample.commented, 'KAFKA_REPLICATION_FACTOR')),
      );
    });

    it.each(clusterBrokers.map((name, index) => [name, clusterAddresses[index] ?? '(missing)']))(
      'lets the app reach %s at %s, from the cluster line',
      (name, address) => expectReachableFromTheHost(name, address),
    );

    it('gives mysql the user, password, database and port of the commented DATABASE_URL', () => {
      const url = new URL(required(envExample.commented, 'DATABASE_URL'));

      expect({
        MYSQL_USER: setting('mysql', 'MYSQL_USER'),
        MYSQL_PASSWORD: setting('mysql', 'MYSQL_PASSWORD'),
        MYSQL_DATABASE: setting('mysql', 'MYSQL_DATABASE'),
      }).toEqual({
        MYSQL_USER: url.username,
        MYSQL_PASSWORD: url.password,
        MYSQL_DATABASE: url.pathname.slice(1),
      });
      // 3306 is the port MySQL listens on inside the image.
      expect(publishedPorts('mysql')).toContainEqual({ host: Number(url.port), container: 3306 });
    });

    it(`lets the app reach redis at REDIS_URL=${envExample.active.REDIS_URL}, a Redis 7`, () => {
      const url = new URL(required(envExample.active, 'REDIS_URL'));

      // 6379 is the port Redis listens on inside the image.
      expect(publishedPorts('redis')).toContainEqual({ host: Number(url.port), container: 6379 });
      expect(service('redis').image).toMatch(/^redis:7\./);
    });
  });

  describe('Kafka UI', () => {
    it('has a UI for the single broker and one for the cluster', () => {
      expect(kafkaUis).toEqual(['kafka-ui', 'kafka-ui-cluster']);
    });

    it.each(kafkaUis)('%s bootstraps from listeners the brokers advertise to other containers', (name) => {
      const unknownAddresses = bootstrapServers(name).filter((address) => {
        const broker = address.split(':')[0] ?? '';
        if (!compose.services[broker]) return true;
        return !listeners(broker, 'KAFKA_ADVERTISED_LISTENERS').some(
          (listener) => `${listener.host}:${listener.port}` === address,
        );
      });

      expect(unknownAddresses).toEqual([]);
    });

    it.each(kafkaUis)('%s waits until the brokers it reads are healthy', (name) => {
      const brokers = bootstrapServers(name).map((address) => address.split(':')[0] ?? '');

      expect(dependencies(name)).toEqual(
        Object.fromEntries(brokers.map((broker) => [broker, 'service_healthy'])),
      );
    });
  });

  describe('the single broker', () => {
    it("has the benchmark's PROXIED door: published as it listens, advertised at the proxy's port", () => {
      const listening = listeners(singleBroker, 'KAFKA_LISTENERS').find((l) => l.name === 'PROXIED');
      const advertised = listeners(singleBroker, 'KAFKA_ADVERTISED_LISTENERS').find(
        (l) => l.name === 'PROXIED',
      );

      // The same ports as `npm run services:start` (scripts/services/kafka.mjs, benchProxyListener).
      expect(listening?.port).toBe(9094);
      expect(publishedPorts(singleBroker)).toContainEqual({ host: 9094, container: 9094 });
      expect(advertised).toEqual({ name: 'PROXIED', host: 'localhost', port: 9095 });
    });

    it('keeps one copy of each internal topic, as one broker can hold no more', () => {
      expect(settings(singleBroker, internalTopicSettings)).toEqual({
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      });
    });
  });

  describe('the cluster profile', () => {
    it('holds kafka-1, kafka-2 and kafka-3 but not the single broker', () => {
      const inProfile = Object.keys(compose.services).filter((name) =>
        service(name).profiles?.includes('cluster'),
      );

      expect(inProfile).toEqual(expect.arrayContaining(clusterBrokers));
      expect(inProfile).not.toContain(singleBroker);
    });

    it.each(clusterBrokers)('%s keeps three copies of everything and wants two in sync', (name) => {
      expect(
        settings(name, [
          'KAFKA_DEFAULT_REPLICATION_FACTOR',
          'KAFKA_MIN_INSYNC_REPLICAS',
          ...internalTopicSettings,
        ]),
      ).toEqual({
        KAFKA_DEFAULT_REPLICATION_FACTOR: '3',
        KAFKA_MIN_INSYNC_REPLICAS: '2',
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '3',
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '3',
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '2',
      });
    });

    it('is one cluster: one id, one quorum of its three brokers, a distinct node id each', () => {
      const [first, ...others] = clusterBrokers.map((name) => ({
        clusterId: setting(name, 'CLUSTER_ID'),
        voters: setting(name, 'KAFKA_CONTROLLER_QUORUM_VOTERS'),
      }));
      const nodeIds = new Set(clusterBrokers.map((name) => setting(name, 'KAFKA_NODE_ID')));

      for (const other of others) expect(other).toEqual(first);
      expect(quorumVoters('kafka-1').map((voter) => voter.host)).toEqual(clusterBrokers);
      expect(nodeIds.size).toBe(clusterBrokers.length);
    });
  });
});

/** The app on the host connects to `address`; the broker must advertise it and publish its port. */
function expectReachableFromTheHost(name: string, address: string): void {
  const advertised = listeners(name, 'KAFKA_ADVERTISED_LISTENERS');
  const hostListener = advertised.find((listener) => `${listener.host}:${listener.port}` === address);

  expect(advertised.map((listener) => `${listener.host}:${listener.port}`)).toContain(address);
  const containerPort = listeners(name, 'KAFKA_LISTENERS').find(
    (listener) => listener.name === hostListener?.name,
  )?.port;
  expect(publishedPorts(name)).toContainEqual({ host: portOf(address), container: containerPort });
}

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function setting(name: string, variable: string): string | undefined {
  const value = service(name).environment?.[variable];
  return value === undefined || value === null ? undefined : String(value);
}

function requiredSetting(name: string, variable: string): string {
  const value = setting(name, variable);
  if (value === undefined) throw new Error(`docker-compose.yml: service "${name}" does not set ${variable}`);
  return value;
}

function settings(name: string, variables: string[]): Record<string, string | undefined> {
  return Object.fromEntries(variables.map((variable) => [variable, setting(name, variable)]));
}

/** `HOST://localhost:9092,INTERNAL://:19092` → one entry per listener; an empty host means every interface. */
function listeners(name: string, variable: 'KAFKA_LISTENERS' | 'KAFKA_ADVERTISED_LISTENERS'): Listener[] {
  return requiredSetting(name, variable)
    .split(',')
    .map((listener) => {
      const match = /^(\w+):\/\/([^:]*):(\d+)$/.exec(listener.trim());
      if (!match) throw new Error(`docker-compose.yml: ${name} ${variable} has a malformed "${listener}"`);
      return { name: match[1]!, host: match[2]!, port: Number(match[3]) };
    });
}

/** `1@kafka-1:9093,2@kafka-2:9093` → node id, host and port of each controller. */
function quorumVoters(name: string): { nodeId: string; host: string; port: number }[] {
  return requiredSetting(name, 'KAFKA_CONTROLLER_QUORUM_VOTERS')
    .split(',')
    .map((voter) => {
      const [nodeId = '', address = ''] = voter.split('@');
      return { nodeId, host: address.split(':')[0] ?? '', port: portOf(address) };
    });
}

function bootstrapServers(name: string): string[] {
  return requiredSetting(name, 'KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS').split(',');
}

/** Short syntax `[ip:]host:container[/protocol]` or long syntax `{ published, target }`. */
function publishedPorts(name: string): PublishedPort[] {
  return (service(name).ports ?? []).map((port) => {
    if (typeof port !== 'string') return { host: Number(port.published), container: port.target };
    const parts = port.replace(/\/(tcp|udp)$/, '').split(':');
    return { host: Number(parts.at(-2)), container: Number(parts.at(-1)) };
  });
}

/** The command as one line, or '' when there is none or it is switched off. */
function healthcheckCommand(name: string): string {
  const { healthcheck } = service(name);
  if (!healthcheck?.test || healthcheck.disable) return '';
  const command = [healthcheck.test].flat();
  return command[0] === 'NONE' ? '' : command.join(' ');
}

function dependencies(name: string): Record<string, string> {
  const dependsOn = service(name).depends_on ?? {};
  // The list form waits only for the containers to start, not for them to be healthy.
  if (Array.isArray(dependsOn)) {
    return Object.fromEntries(dependsOn.map((dependency) => [dependency, 'started']));
  }
  return Object.fromEntries(
    Object.entries(dependsOn).map(([dependency, { condition }]) => [dependency, condition ?? 'started']),
  );
}

function namedVolumes(service: ComposeService): string[] {
  return (service.volumes ?? []).flatMap((volume) => {
    const source = typeof volume === 'string' ? volume.split(':')[0] : volume.source;
    // Paths (./docker/…, /var/…) are bind mounts, not named volumes.
    return source && !/^[./~]/.test(source) ? [source] : [];
  });
}

/** Pinned: a digest, or a tag with a whole major.minor.patch version (`latest` and `8.4` move). */
function isPinned(image: string | undefined): boolean {
  if (!image) return false;
  if (image.includes('@sha256:')) return true;
  const tag = /:([^:/]+)$/.exec(image)?.[1];
  return tag !== undefined && /^v?\d+\.\d+\.\d+/.test(tag);
}

function portOf(address: string): number {
  return Number(address.split(':').at(-1));
}

function required(variables: Record<string, string>, name: string): string {
  const value = variables[name];
  if (value === undefined) throw new Error(`.env.example has no ${name} line`);
  return value;
}

/** Active `KEY=value` lines, and commented-out `# KEY=value` lines; a note after the value is dropped. */
function readEnvExample(text: string): { active: Record<string, string>; commented: Record<string, string> } {
  const active: Record<string, string> = {};
  const commented: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const match = /^(# )?([A-Z][A-Z0-9_]*)=(\S*)/.exec(line);
    if (match) (match[1] ? commented : active)[match[2]!] = match[3]!;
  }
  return { active, commented };
}
