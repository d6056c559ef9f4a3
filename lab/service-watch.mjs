// The Service panel: what the order service at APP_URL says about itself, from GET /health and GET /metrics.
import { parsePrometheusText, serviceFigures } from './prometheus-text.mjs';

const TIMEOUT_MS = 800;

export async function readService(appUrl) {
  const health = await fetch(`${appUrl}/health`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(
    () => undefined,
  );
  if (!health) return { appUrl, running: false };
  const healthBody = await health.json().catch(() => ({}));
  const metrics = await fetch(`${appUrl}/metrics`, { signal: AbortSignal.timeout(TIMEOUT_MS) }).catch(
    () => undefined,
  );
  const figures = metrics?.ok ? serviceFigures(parsePrometheusText(await metrics.text())) : undefined;
  return {
    appUrl,
    running: true,
    health: healthBody.status ?? `HTTP ${health.status}`,
    metrics: figures ?? `GET /metrics answered ${metrics ? `HTTP ${metrics.status}` : 'nothing'}`,
  };
}
