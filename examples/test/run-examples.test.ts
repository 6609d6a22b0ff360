import { afterEach, describe, expect, it, vi } from 'vitest';

// The README examples that need nothing outside this machine, run as they are written
// (importing a file runs it). The others are type-checked only (`pnpm typecheck`), because they
// need a service at a fixed address (Consul, DNS, etcd, a metrics port), a network install
// (`npx -y …`), or your own `./mcp.json`. tooling/pack-test type-checks them again against the
// packed tarballs, and runs a client over a real stdio server there.

const logged = vi.spyOn(console, 'log').mockImplementation(() => undefined);
afterEach(() => logged.mockClear());

describe('README examples that run here', () => {
  it.each([
    'aggregator/fan-out-and-cache.ts',
    'balancer/pick.ts',
    'breaker/circuit-breaker.ts',
    'core/redactor.ts',
    'pool/custom-transport.ts',
    'registry/settings-schema.ts',
    'tooling/consul-double.ts',
  ])('%s runs', async (file) => {
    const url = new URL(`../${file}`, import.meta.url).href;
    await expect(import(url)).resolves.toBeDefined();
  });

  it('client/start-result.ts: start() resolves with the server whose command is missing as failed', async () => {
    const warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      await import(new URL('../client/start-result.ts', import.meta.url).href);
      expect(warned).toHaveBeenCalledWith(expect.stringMatching(/^missing is down: /));
      expect(logged).toHaveBeenCalledWith('up:', 'flaky');
    } finally {
      warned.mockRestore();
    }
  });

  it('client/server-requests.ts: elicitation, sampling and roots answered by its handlers', async () => {
    await import(new URL('../client/server-requests.ts', import.meta.url).href);
    expect(logged).toHaveBeenCalledWith(true, true);
    expect(logged).toHaveBeenCalledWith(true); // the per-server roots won
  });

  it("client/per-call-handlers.ts: the call's own handler answered", async () => {
    await import(new URL('../client/per-call-handlers.ts', import.meta.url).href);
    expect(logged).toHaveBeenCalledWith(true);
  });

  it('client/subscriptions.ts: the listener heard the update', async () => {
    await import(new URL('../client/subscriptions.ts', import.meta.url).href);
    expect(logged).toHaveBeenCalledWith(
      'demo://resource/static/document/architecture.md changed on everything',
    );
  });

  it('fault-server/chaos-drill.ts: a replica killed with SIGKILL, the call still answered', {
    timeout: 60_000,
  }, async () => {
    await import(new URL('../fault-server/chaos-drill.ts', import.meta.url).href);
    expect(logged).toHaveBeenCalledWith(true); // the flaky server's tool error came back
  });
});
