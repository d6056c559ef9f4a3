// Loaded before the service's own code: `node --import ./dist/infrastructure/observability/tracing/start.js
// dist/main.js`, as `npm start` and the tooling's app-process.mjs run it. OpenTelemetry's instrumentations
// patch express and kafkajs as they are loaded, so the SDK must be running before main.js imports them: a
// first import inside main.ts would be too late, since ES modules load all their static imports first.
//
// The module hook is what lets them see an `import`: without it, require-in-the-middle only sees
// `require()`, and express, imported by our ES modules, stays unpatched (tried: no express spans, and the
// HTTP span is named `POST` without its route).
import { register } from 'node:module';
import { StartupError } from '../../startup-error.js';
import { tracingConfigFrom } from './tracing-config.js';

try {
  const config = tracingConfigFrom(process.env);
  if (config !== undefined) {
    register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
    // Loaded only when on: the SDK and its instrumentations are a lot of code to load for nothing.
    const { startTracing } = await import('./tracing-sdk.js');
    startTracing(config);
  }
} catch (error) {
  if (!(error instanceof StartupError)) throw error;
  console.error(error.message);
  process.exit(1);
}
