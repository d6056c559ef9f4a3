import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { deploymentFor, runningNodes } from '../../scripts/services/kafka.mjs';
import { mysqlPid } from '../../scripts/services/mysql.mjs';

/** Linux's clock ticks a second, in which /proc/<pid>/stat counts CPU time; `getconf CLK_TCK` says 100 almost everywhere. */
let ticksPerSecond;

/**
 * The CPU seconds (user + system) a process has used since it started, from /proc/<pid>/stat; undefined where
 * there is no /proc (macOS) or no such process.
 */
export function cpuSeconds(pid) {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command name, which is in parentheses and may itself hold spaces and
    // parentheses: utime and stime are the 12th and 13th after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/**
 * The single-node broker's and the database's processes, when `npm run services:start` started both (from
 * its pid files). Undefined otherwise (Docker, another machine): a process found only by its name might
 * be some other job's server, whose CPU time is not the orders'.
 */
export function serviceStartPids() {
  const brokers = runningNodes(deploymentFor({ cluster: false })).map(({ pid }) => pid);
  const database = mysqlPid();
  return brokers.length === 1 && database !== undefined ? [...brokers, database] : undefined;
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
