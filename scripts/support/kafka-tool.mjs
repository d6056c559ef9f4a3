import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const toolsScript = join(import.meta.dirname, '../services/kafka-tools.mjs');

/**
 * Kafka's own CLI tool, as `npm run kafka -- <tool> …` runs it (from the cached jars, or inside the docker
 * compose broker), talking to `brokers` unless `args` name a bootstrap server. `input` goes to its stdin.
 * Returns what it printed on stdout; throws with its stderr when it fails.
 */
export function kafkaTool([tool, ...args], { brokers = process.env.KAFKA_BROKERS, input } = {}) {
  try {
    return execFileSync(process.execPath, [toolsScript, tool, ...args], {
      encoding: 'utf8',
      input,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...(brokers && { KAFKA_BROKERS: brokers }) },
    });
  } catch (error) {
    throw new Error(`npm run kafka -- ${tool} ${args.join(' ')} failed:\n${error.stderr || error.message}`, {
      cause: error,
    });
  }
}
