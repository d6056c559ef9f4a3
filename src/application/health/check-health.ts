import { injectable, multiInject } from 'inversify';
import { HealthIndicator, type ComponentHealth } from './health-indicator.js';

export interface ServiceHealth {
  readonly status: 'UP' | 'DOWN';
  readonly components: Readonly<Record<string, ComponentHealth>>;
}

const CHECK_TIMEOUT_MS = 2_000;

/** The service is UP when every component is; a check that hangs counts as DOWN. */
@injectable()
export class CheckHealth {
  constructor(@multiInject(HealthIndicator) private readonly indicators: readonly HealthIndicator[]) {}

  async execute(): Promise<ServiceHealth> {
    const results = await Promise.all(
      this.indicators.map(
        async (indicator) => [indicator.component, await checkWithTimeout(indicator)] as const,
      ),
    );
    const components = Object.fromEntries(results);
    const status = results.every(([, health]) => health.status === 'UP') ? 'UP' : 'DOWN';
    return { status, components };
  }
}

async function checkWithTimeout(indicator: HealthIndicator): Promise<ComponentHealth> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<ComponentHealth>((resolve) => {
    timer = setTimeout(
      () => resolve({ status: 'DOWN', details: { error: 'health check timed out' } }),
      CHECK_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([indicator.check(), timeout]);
  } catch (error) {
    return { status: 'DOWN', details: { error: error instanceof Error ? error.message : String(error) } };
  } finally {
    clearTimeout(timer);
  }
}
