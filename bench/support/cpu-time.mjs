import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Linux's clock ticks a second, in which /proc/<pid>/stat counts CPU time; `getconf CLK_TCK` says 100 almost everywhere. */
let ticksPerSecond;

/**
 * The CPU seconds (user + system) a process has used since it started, from /proc/<pid>/stat; undefined where
 * there is no /proc (macOS) or no such process.
 */
export function cpuSeconds(pid) {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are
    // the 14th and 15th of the line, the 12th and 13th after it.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * The processes of this machine's broker(s) and database, found by their command lines, whether started by
 * `npm run services:start` or by Docker (a container's processes are visible to the host); none on macOS.
 */
export function serverPids() {
  const pidsOf = (...pgrepArguments) => {
    try {
      return execFileSync('pgrep', pgrepArguments, { encoding: 'utf8' }).trim().split('\n').map(Number);
    } catch {
      return []; // pgrep exits 1 when nothing matches
    }
  };
  return [...pidsOf('-f', 'kafka\\.Kafka'), ...pidsOf('-x', 'mariadbd|mysqld')];
}

/**
 * Starts counting the CPU time of `pids`; `stop()` resolves the CPU seconds each used meanwhile, in the order
 * given (undefined for one that could not be read).
 */
export function watchCpu(pids) {
  const before = pids.map(cpuSeconds);
  return () =>
    pids.map((pid, index) => {
      const after = cpuSeconds(pid);
      return after === undefined || before[index] === undefined ? undefined : after - before[index];
    });
}
