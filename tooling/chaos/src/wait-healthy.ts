import type { MultiServerClient } from '@mcpmx/client';

/**
 * Resolves once the client can use `replica` again: its pool reads `up` and its breaker is
 * closed. Rejects after `timeoutMs`, naming what was still wrong.
 */
export function waitHealthy(client: MultiServerClient, replica: string, timeoutMs: number) {
  return new Promise<void>((resolve, reject) => {
    const state = () => client.telemetry().replicas.find((r) => r.replica === replica);
    // Half-open is usable: it admits a probe. (A replica the balancer still rates slow may
    // wait a while for that probe; peak EWMA decays over 10 s.)
    const healthy = () => {
      const current = state();
      return (
        current?.status === 'up' && current.breaker !== 'open' && current.breaker !== 'isolated'
      );
    };
    if (healthy()) return resolve();
    const check = () => {
      if (!healthy()) return;
      clearTimeout(timer);
      for (const off of offs) off();
      resolve();
    };
    // An open breaker turns half-open when read after its open period, with no event: the
    // soak's scheduler reads it every 100 ms.
    const ticker = setInterval(check, 100);
    const offs = [
      client.on('replica-status', check),
      client.on('breaker-state', check),
      () => clearInterval(ticker),
    ];
    const timer = setTimeout(() => {
      for (const off of offs) off();
      const current = state();
      reject(
        new Error(
          `${replica} was not usable again within ${timeoutMs} ms (status ${current?.status ?? 'not registered'}, breaker ${current?.breaker ?? '-'})`,
        ),
      );
    }, timeoutMs);
  });
}
