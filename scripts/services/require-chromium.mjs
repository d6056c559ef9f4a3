// CI's step before `npm test`: the Chromium the browser tests drive (test/browser, playwright-core, which
// downloads no browser). Debian's package, installed when missing as the services' programs are
// (prerequisites.mjs). Prints its path on stdout, for CHROMIUM_PATH; $CHROMIUM_PATH, when set, wins.
import { requireExecutable } from './prerequisites.mjs';
import { ServiceError } from './processes.mjs';

try {
  process.stdout.write(`${process.env.CHROMIUM_PATH || requireExecutable('chromium', 'chromium')}\n`);
} catch (error) {
  process.stderr.write(`${error instanceof ServiceError ? error.message : error.stack}\n`);
  process.exitCode = 1;
}
