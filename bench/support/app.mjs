import { mkdirSync } from 'node:fs';
import { rssMb, startAppProcess } from '../../scripts/support/app-process.mjs';

export const benchDir = 'var/bench';

/**
 * The built service as `npm start` runs it, for a benchmark run. Its log goes to var/bench/app-<name>.log
 * rather than a pipe, so a busy load generator can never hold the service back; LOG_LEVEL=warn keeps the
 * per-order lines out of the figures, and the bench's database brings its own catalogue.
 */
export function startApp(name, environment) {
  mkdirSync(benchDir, { recursive: true });
  return startAppProcess({
    environment: { NODE_ENV: 'production', LOG_LEVEL: 'warn', SEED_DEMO_DATA: 'false', ...environment },
    logFile: `${benchDir}/app-${name}.log`,
  });
}

/** Samples a process's RSS every 250 ms until `stop()`, which resolves the highest figure seen. */
export function watchRss(pid) {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 250);
  return () => {
    clearInterval(timer);
    return Math.max(peak, rssMb(pid));
  };
}
