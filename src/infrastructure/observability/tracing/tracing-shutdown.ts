// Kept apart from tracing-sdk.ts, so main.js can stop tracing without loading the SDK when it is off.
let shutdown: () => Promise<void> = async () => undefined;

export function onTracingShutdown(stop: () => Promise<void>): void {
  shutdown = stop;
}

/** Sends the spans still buffered (the exporter sends in batches), then stops. Nothing to do when off. */
export function stopTracing(): Promise<void> {
  return shutdown();
}
