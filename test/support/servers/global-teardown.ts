/** Stops the containers that global-setup started, if it started any. */
export default async function globalTeardown(): Promise<void> {
  await globalThis.startedServers?.stop?.();
}
