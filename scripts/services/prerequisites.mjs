// Finds the programs the services run on, and installs a missing one from Debian's packages when this is a
// Debian-like machine and we are root (a fresh CI machine); anywhere else it says what to install.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { say, ServiceError } from './processes.mjs';

const programs = {
  java: { debianPackage: 'openjdk-17-jre-headless', description: 'Java 17 or newer' },
  mvn: { debianPackage: 'maven', description: 'Apache Maven' },
  mariadbd: { debianPackage: 'mariadb-server', description: 'the MariaDB server' },
  'mariadb-install-db': { debianPackage: 'mariadb-server', description: 'the MariaDB server' },
  mariadb: { debianPackage: 'mariadb-client', description: 'the MariaDB client' },
  'redis-server': { debianPackage: 'redis-server', description: 'the Redis server' },
  // Not a service: the browser the Kafka Lab's tests drive (playwright-core downloads none).
  chromium: { debianPackage: 'chromium', description: 'Chromium' },
};

// sbin folders too: Debian puts mariadbd in /usr/sbin, which a non-login shell may leave off PATH.
function findExecutable(name) {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin'];
  for (const folder of folders.filter(Boolean)) {
    const candidate = join(folder, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** The path of `name`, installing its Debian package first if it is missing and we can. */
export function requireExecutable(name, service) {
  const found = findExecutable(name);
  if (found) return found;
  const { debianPackage, description } = programs[name];
  if (process.getuid?.() === 0 && findExecutable('apt-get')) {
    say(service, `${name} is missing: installing the Debian package ${debianPackage}`);
    aptGet(['update', '-qq']);
    aptGet(['install', '-y', '-qq', '--no-install-recommends', debianPackage]);
    const installed = findExecutable(name);
    if (installed) return installed;
  }
  throw new ServiceError(
    `${service}: ${name} not found: install ${description} (Debian/Ubuntu package ${debianPackage}) and try again`,
  );
}

// apt's output goes to stderr (fd 2): stdout is reserved for the KEY=value lines.
function aptGet(args) {
  spawnSync('apt-get', args, {
    stdio: ['ignore', 2, 2],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

/** java, checked to be 17 or newer: Kafka 4 and Zipkin 3 do not run on older ones. */
export function requireJava(service) {
  const java = requireExecutable('java', service);
  const versionText = spawnSync(java, ['-version'], { encoding: 'utf8' }).stderr;
  const major = Number(versionText.match(/version "(\d+)/)?.[1]);
  if (!(major >= 17)) {
    throw new ServiceError(
      `${service}: needs Java 17 or newer (Kafka 4 and Zipkin 3 run on nothing older), and ${java} is: ` +
        versionText.split('\n')[0],
    );
  }
  return java;
}
