// Zipkin, the trace viewer, without Docker: its server is one runnable jar on Maven Central
// (io.zipkin:zipkin-server, classifier exec), fetched once into .cache/zipkin/<version>/ and run with Java,
// keeping traces in memory (they are gone when it stops: enough to look at what the service just did).
import { existsSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import {
  isPortOpen,
  lastLines,
  logsDir,
  repoRoot,
  runningPid,
  say,
  secondsSince,
  ServiceError,
  startDetached,
  stateDir,
  stopProcess,
  waitUntil,
} from './processes.mjs';
import { requireExecutable, requireJava } from './prerequisites.mjs';

const zipkinVersion = '3.5.1';
export const zipkinPort = 9411;
export const zipkinUrl = `http://localhost:${zipkinPort}`;
const jarDir = join(repoRoot, '.cache/zipkin', zipkinVersion);
const jarFile = join(jarDir, `zipkin-server-${zipkinVersion}-exec.jar`);
const pidFile = join(stateDir, 'zipkin', 'zipkin.pid');
const logFile = join(logsDir, 'zipkin.log');
const readyTimeoutMs = 60_000;
// In-memory storage keeps this many spans, then drops the oldest traces; the heap is sized to match.
const maxSpans = 100_000;
const heap = '256m';

export function zipkinPid() {
  return runningPid(pidFile, 'zipkin-server');
}

/** True when something on the port answers Zipkin's GET /health with UP. */
async function answersHealth() {
  try {
    const response = await fetch(`${zipkinUrl}/health`, { signal: AbortSignal.timeout(2_000) });
    return response.ok && (await response.json()).status === 'UP';
  } catch {
    return false;
  }
}

export async function startZipkin() {
  const pid = zipkinPid();
  if (pid !== undefined) {
    say('zipkin', `already running (pid ${pid}) on ${zipkinUrl}`);
    return zipkinUrl;
  }
  if (await isPortOpen(zipkinPort)) {
    if (!(await answersHealth())) {
      throw new ServiceError(
        `zipkin: port ${zipkinPort} is in use by another program, which is not a Zipkin`,
      );
    }
    say('zipkin', `${zipkinUrl} already answers GET /health, served from outside these scripts: using it`);
    return zipkinUrl;
  }
  const java = requireJava('zipkin');
  if (!existsSync(jarFile)) downloadJar();

  const startedAt = Date.now();
  const server = startDetached({
    command: java,
    // Zipkin's settings are Spring Boot properties: the variables of its docs work as --NAME=value too.
    args: [
      `-Xmx${heap}`,
      '-jar',
      jarFile,
      `--QUERY_PORT=${zipkinPort}`,
      '--STORAGE_TYPE=mem',
      `--MEM_MAX_SPANS=${maxSpans}`,
    ],
    logFile,
    pidFile,
  });
  const outcome = await waitUntil(answersHealth, { timeoutMs: readyTimeoutMs, processes: [server] });
  if (outcome !== 'ready') {
    process.stderr.write(`--- last lines of ${logFile}\n${lastLines(logFile)}\n`);
    await stopProcess({ pidFile, marker: 'zipkin-server' });
    throw new ServiceError(
      `zipkin: ${outcome === 'exited' ? 'java exited during start-up' : 'not ready in time'}`,
    );
  }
  say('zipkin', `started pid ${server.pid}, ready in ${secondsSince(startedAt)}: UI at ${zipkinUrl}/zipkin/`);
  return zipkinUrl;
}

function downloadJar() {
  const mvn = requireExecutable('mvn', 'zipkin');
  say('zipkin', `downloading Zipkin ${zipkinVersion} from Maven Central into ${jarDir} (once, about 130 MB)`);
  // Into a side folder renamed at the end, so an interrupted download never looks complete.
  const partialDir = `${jarDir}.partial`;
  rmSync(partialDir, { recursive: true, force: true });
  const maven = spawnSync(
    mvn,
    [
      '-B',
      '-q',
      'dependency:copy',
      `-Dartifact=io.zipkin:zipkin-server:${zipkinVersion}:jar:exec`,
      `-DoutputDirectory=${partialDir}`,
    ],
    { encoding: 'utf8' },
  );
  if (maven.status !== 0) {
    throw new ServiceError(
      `zipkin: Maven could not fetch Zipkin ${zipkinVersion}:\n${maven.stdout}${maven.stderr}`,
    );
  }
  renameSync(partialDir, jarDir);
}

/** Resolves to false when it was not running. */
export async function stopZipkin() {
  const stopped = await stopProcess({ pidFile, marker: 'zipkin-server' });
  if (stopped) say('zipkin', stopped);
  return Boolean(stopped);
}
