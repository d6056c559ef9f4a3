// Named by a variable: Jest loads global teardown without the moduleNameMapper that turns './x.js' into './x.ts'.
const scratchNamesModule: string = './scratch-names.ts';
type ScratchNames = typeof import('./scratch-names.js');

/** Deletes the run's scratch topics and groups, then stops the containers global-setup started, if any. */
export default async function globalTeardown(): Promise<void> {
  const brokers = process.env['KAFKA_BROKERS'];
  if (brokers && process.env['REAL_SERVERS_SKIPPED'] !== 'true') {
    const { deleteScratchTopicsAndGroups } = (await import(scratchNamesModule)) as ScratchNames;
    await deleteScratchTopicsAndGroups(brokers);
  }
  await globalThis.startedServers?.stop?.();
}
