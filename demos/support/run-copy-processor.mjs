// Runs copy-processor.mjs as a child process, for demo 15 and workshop exercise 10.
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { waitFor } from '../../scripts/support/wait-for.mjs';

const PROCESSOR = join(import.meta.dirname, 'copy-processor.mjs');

/**
 * Runs the processor until it has committed input offset `lastOffset`, then stops it; or, with `crashAt`,
 * until it reaches the crash point at that offset: there it is killed with SIGKILL, after its produce
 * and before its offsets are committed. Resolves to the offsets it produced and the one it crashed at.
 */
export async function runCopyProcessor({ brokers, input, output, group, mode, lastOffset, crashAt }) {
  const args = [brokers, input, output, group, mode, ...(crashAt === undefined ? [] : [crashAt])];
  const child = fork(PROCESSOR, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const produced = [];
  let crashed;
  let exited = false;
  child.on('message', (message) => {
    if (message.committed !== undefined) produced.push(message.committed);
    if (message.crashPoint !== undefined) {
      crashed = message.crashPoint;
      produced.push(crashed);
      child.kill('SIGKILL');
    }
  });
  const exit = new Promise((resolve) => child.on('exit', resolve));
  void exit.then(() => (exited = true));
  await waitFor(
    `the ${mode} processor`,
    () => (crashed !== undefined || produced.at(-1) === lastOffset || exited ? true : undefined),
    { timeoutMs: 40_000 },
  );
  if (crashed === undefined && !exited) child.send('stop');
  await exit;
  if (crashed === undefined && produced.at(-1) !== lastOffset) {
    throw new Error(`the ${mode} processor exited before committing offset ${lastOffset}`);
  }
  return { produced, crashed };
}
