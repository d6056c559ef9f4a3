import { existsSync } from 'node:fs';

// The browser tests open the Kafka Lab in Debian's Chromium (playwright-core drives it; it never downloads
// a browser) against the real broker: they need both, found here. Without Chromium they are skipped with
// one line saying how to install it; under CI=true that is an error (.ci/run installs it).

export const HOW_TO_INSTALL_CHROMIUM =
  'install Debian’s Chromium (`sudo apt-get install chromium`), or point CHROMIUM_PATH at a Chromium or Chrome';

export function chromiumPath(): string {
  return process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
}

export default async function globalSetup(): Promise<void> {
  // Jest loads global setup without the moduleNameMapper that turns './x.js' into './x.ts': name the file.
  const serversSetup = '../servers/global-setup.ts';
  const servers = (await import(serversSetup)) as { default: () => Promise<void> };
  // In a run of every project the servers project has found them already (and may have started containers).
  if (globalThis.startedServers === undefined && process.env['REAL_SERVERS_SKIPPED'] !== 'true')
    await servers.default();
  if (existsSync(chromiumPath())) return;
  if (process.env['CI'] === 'true') {
    throw new Error(`CI=true but there is no Chromium at ${chromiumPath()}: ${HOW_TO_INSTALL_CHROMIUM}.`);
  }
  process.env['BROWSER_SKIPPED'] = 'true';
  console.log(
    `\nBrowser tests skipped: no Chromium at ${chromiumPath()}. To run them, ${HOW_TO_INSTALL_CHROMIUM}.`,
  );
}
