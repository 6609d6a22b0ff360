import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMultiServerClient } from '@mcpmx/client';
import { createSessionPool } from '@mcpmx/pool';
import { Client } from '@modelcontextprotocol/client';
import { EchoTransport } from '../lib/echo-transport.js';
import { interleaved, median, quantiles } from '../lib/measure.js';
import { type BenchOptions, fixed, type Section } from '../lib/report.js';

export interface CallOverheadOptions extends BenchOptions {
  rounds?: number;
  /**
   * Another checkout of mcpmx, built (its `packages/client/dist`): its @mcpmx/client runs as a
   * fourth client in the same rounds, so two builds are compared side by side in one process.
   */
  against?: string;
}

const CONCURRENCIES = [1, 16] as const;
const BARE = 'bare SDK v2';
const POOL = '@mcpmx/pool';
const MCPMX = '@mcpmx/client';
const AGAINST = 'the other build';
const ENDPOINT = {
  // Only a description: createTransport decides what the sessions talk to.
  transport: { type: 'stdio' as const, command: 'in-process' },
};

/**
 * What mcpmx adds to a call, without the noise of processes and pipes: echo through a bare SDK
 * v2 client, through @mcpmx/pool and through @mcpmx/client, each over its own EchoTransport
 * (a minimal server in the same process that answers on the next event-loop turn), in many
 * short interleaved rounds. The figure is the median over rounds of the difference in µs per
 * call from the bare client measured in the same round.
 */
export async function callOverhead(options: CallOverheadOptions): Promise<Section> {
  const rounds = options.rounds ?? (options.quick ? 15 : 120);
  const durationMs = 40;
  const bare = new Client({ name: 'bench-bare', version: '0.0.0' });
  const poolOptions = {
    maxSessions: 1,
    healthCheckIntervalMs: 0,
    // The echo server speaks the handshake the bare client uses.
    protocol: 'legacy' as const,
    createTransport: () => new EchoTransport(),
  };
  const pool = createSessionPool({ id: 'echo#0', server: 'echo', ...ENDPOINT }, poolOptions);
  const clientOptions = {
    endpoints: [{ id: 'echo#0', server: 'echo', ...ENDPOINT }],
    pool: poolOptions,
  };
  const mcpmx = createMultiServerClient(clientOptions);
  const other =
    options.against === undefined
      ? undefined
      : (await loadOtherClient(options.against))(clientOptions);
  let result: Awaited<ReturnType<typeof interleaved>>;
  try {
    await bare.connect(new EchoTransport());
    await bare.listTools();
    await pool.listTools();
    await mcpmx.start();
    await other?.start();
    const message = { message: 'bench' };
    result = await interleaved(
      {
        [BARE]: () => bare.callTool({ name: 'echo', arguments: message }),
        [POOL]: () => pool.callTool({ name: 'echo', arguments: message }),
        [MCPMX]: () => mcpmx.callTool('echo', message),
        ...(other ? { [AGAINST]: () => other.callTool('echo', message) } : {}),
      },
      { rounds, durationMs, warmupMs: 1000, concurrencies: CONCURRENCIES },
    );
  } finally {
    await bare.close().catch(() => undefined);
    await pool.close();
    await mcpmx.close();
    await other?.close();
  }

  const micros = (name: string, concurrency: number) =>
    (result.samples.get(`${name}@${concurrency}`) ?? []).map((rate) => 1e6 / rate);
  const extra = (name: string, concurrency: number, over = BARE) => {
    const base = micros(over, concurrency);
    return micros(name, concurrency).map((value, i) => value - (base[i] ?? Number.NaN));
  };
  const spread = (values: readonly number[]) => {
    const [low, high] = quantiles(values, [0.25, 0.75]);
    return `${fixed(low as number, 1)} to ${fixed(high as number, 1)}`;
  };
  const rows = CONCURRENCIES.map((concurrency) => ({
    concurrency,
    bare: median(micros(BARE, concurrency)),
    pool: median(micros(POOL, concurrency)),
    mcpmx: median(micros(MCPMX, concurrency)),
    poolExtra: extra(POOL, concurrency),
    mcpmxExtra: extra(MCPMX, concurrency),
    overOther: other ? extra(MCPMX, concurrency, AGAINST) : undefined,
  }));
  return {
    id: 'call-overhead',
    title: 'Call overhead in process: what @mcpmx/pool and @mcpmx/client add to a call',
    setup:
      'Echo through a bare SDK v2 client, `@mcpmx/pool` and `@mcpmx/client`, each over its own ' +
      '`EchoTransport`: a minimal server in the same process that answers on the next ' +
      'event-loop turn, with no server SDK, pipes or processes, so what differs is client-side ' +
      `work. Closed loop, 1 and 16 in flight, ${rounds} interleaved rounds of ${durationMs} ms ` +
      'per client and concurrency after a 1 s warm-up. Per round, each client’s µs per call ' +
      'minus the bare client’s in the same round; the table gives the median and the middle ' +
      'half of those differences. Script: `call-overhead.js` (`--against <checkout>` adds ' +
      'another build’s @mcpmx/client to the same rounds).',
    tables: [
      {
        headers: [
          'in flight',
          'bare SDK v2 µs/call',
          '@mcpmx/pool µs/call',
          '@mcpmx/client µs/call',
          'pool − bare µs (middle half)',
          'client − bare µs (middle half)',
        ],
        rows: rows.map((row) => [
          String(row.concurrency),
          fixed(row.bare, 1),
          fixed(row.pool, 1),
          fixed(row.mcpmx, 1),
          `${fixed(median(row.poolExtra), 1)} (${spread(row.poolExtra)})`,
          `${fixed(median(row.mcpmxExtra), 1)} (${spread(row.mcpmxExtra)})`,
        ]),
      },
      ...(other === undefined
        ? []
        : [
            {
              headers: [
                'in flight',
                'this build µs/call',
                `the other build (${options.against}) µs/call`,
                'this − other µs (middle half)',
              ],
              rows: rows.map((row) => [
                String(row.concurrency),
                fixed(row.mcpmx, 1),
                fixed(median(micros(AGAINST, row.concurrency)), 1),
                `${fixed(median(row.overOther ?? []), 2)} (${spread(row.overOther ?? [])})`,
              ]),
            },
          ]),
    ],
    findings: rows.map((row) => {
      const extra = median(row.mcpmxExtra);
      const pool = median(row.poolExtra);
      const signed = (value: number) =>
        `${fixed(Math.abs(value), 1)} µs ${value < 0 ? 'less' : 'more'}`;
      return (
        `At ${row.concurrency} in flight a call through @mcpmx/client costs ${signed(extra)} ` +
        `than through the bare SDK client (${fixed((100 * Math.abs(extra)) / row.bare, 0)} % of ` +
        `a bare call here); through @mcpmx/pool alone, ${signed(pool)}.`
      );
    }),
  };
}

type ClientFactory = (options: Parameters<typeof createMultiServerClient>[0]) => {
  start(): Promise<unknown>;
  callTool(name: string, args: Record<string, unknown>): Promise<unknown>;
  close(): Promise<void>;
};

/** The createMultiServerClient of another checkout's build, with its own dependencies. */
async function loadOtherClient(checkout: string): Promise<ClientFactory> {
  const entry = pathToFileURL(resolve(checkout, 'packages/client/dist/index.js')).href;
  const loaded = (await import(entry)) as { createMultiServerClient?: ClientFactory };
  if (typeof loaded.createMultiServerClient !== 'function') {
    throw new TypeError(`--against: ${entry} exports no createMultiServerClient (is it built?)`);
  }
  return loaded.createMultiServerClient;
}
