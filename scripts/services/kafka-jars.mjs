// Assembles Apache Kafka (broker and CLI tools) from Maven Central into .cache/kafka/<version>/libs, once,
// and builds the `java` command lines that run a class from those jars.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, say, ServiceError } from './processes.mjs';
import { requireExecutable, requireJava } from './prerequisites.mjs';

const kafkaFolder = join(import.meta.dirname, 'kafka');
const pomFile = join(kafkaFolder, 'pom.xml');
export const kafkaVersion = readFileSync(pomFile, 'utf8').match(/<kafka\.version>(.+)<\/kafka\.version>/)[1];
const libsDir = join(repoRoot, '.cache/kafka', kafkaVersion, 'libs');

export const log4jConfigs = {
  broker: join(kafkaFolder, 'broker-log4j2.properties'),
  tools: join(kafkaFolder, 'tools-log4j2.properties'),
};

/** Makes sure java and the jars are there. Returns how many jars the cache holds. */
export function ensureKafkaJars(service) {
  requireJava(service);
  if (!existsSync(libsDir)) downloadJars(service);
  return readdirSync(libsDir).length;
}

function downloadJars(service) {
  const mvn = requireExecutable('mvn', service);
  say(service, `downloading Kafka ${kafkaVersion} from Maven Central into ${libsDir} (once, about 55 MB)`);
  // Maven writes into a side folder renamed at the end, so an interrupted download never looks complete.
  const partialDir = `${libsDir}.partial`;
  rmSync(partialDir, { recursive: true, force: true });
  const maven = spawnSync(
    mvn,
    [
      '-B',
      '-q',
      '-f',
      pomFile,
      'dependency:copy-dependencies',
      '-DincludeScope=runtime',
      `-DoutputDirectory=${partialDir}`,
    ],
    { encoding: 'utf8' },
  );
  if (maven.status !== 0) {
    throw new ServiceError(
      `${service}: Maven could not fetch Kafka ${kafkaVersion}:\n${maven.stdout}${maven.stderr}`,
    );
  }
  renameSync(partialDir, libsDir);
}

/** Arguments for `java` that run `mainClass` from the cached jars. */
export function javaArguments({ mainClass, args, heap, log4jConfig }) {
  return [
    `-Xmx${heap}`,
    `-Dlog4j2.configurationFile=${log4jConfig}`,
    '-cp',
    join(libsDir, '*'),
    mainClass,
    ...args,
  ];
}
