// Reproduces Linkerd's "Beyond Round Robin" experiment in simulation and prints, per
// strategy, p50/p99/p99.9 latency and the success rate under the timeout, against the
// all-healthy run. Usage: node dist/simulate-beyond-round-robin.js [--seed N]
import { parseArgs } from 'node:util';
import type { Balancer, Clock, Random } from '@mcpmx/core';
import { createLeastOutstanding } from './least-outstanding.js';
import { createP2cPeakEwma } from './peak-ewma.js';
import { createRandomBalancer } from './random-balancer.js';
import { createRoundRobin } from './round-robin.js';
import { BEYOND_ROUND_ROBIN, simulate } from './simulator/simulate.js';

const { values } = parseArgs({
  options: { seed: { type: 'string', default: String(BEYOND_ROUND_ROBIN.seed) } },
});
const scenario = { ...BEYOND_ROUND_ROBIN, seed: Number(values.seed) };
const strategies: Record<string, (clock: Clock, random: Random) => Balancer> = {
  'round-robin': () => createRoundRobin(),
  random: (_clock, random) => createRandomBalancer({ random }),
  'least-outstanding': (_clock, random) => createLeastOutstanding({ random }),
  'p2c-peak-ewma': (clock, random) => createP2cPeakEwma({ clock, random }),
};

const ms = (value: number) => `${value.toFixed(0)} ms`;
console.log(
  `scenario: ${scenario.backends} backends, log-normal median ${scenario.medianMs} ms (σ ${scenario.sigma}), ` +
    `${scenario.requestsPerSecond} req/s open loop for ${scenario.durationMs / 1000} s, timeout ${scenario.timeoutMs} ms; ` +
    `backend 0 ×${scenario.degraded?.factor} slower from ${(scenario.degraded?.fromMs ?? 0) / 1000} s to ${(scenario.degraded?.toMs ?? 0) / 1000} s; seed ${scenario.seed}\n`,
);
console.log(
  '| strategy | p50 | p99 | p99.9 | success | to slow backend | all-healthy p99 | p99 ratio |',
);
console.log('|---|---|---|---|---|---|---|---|');
for (const [name, create] of Object.entries(strategies)) {
  const healthy = simulate({ ...scenario, degraded: undefined }, create);
  const result = simulate(scenario, create);
  console.log(
    `| ${name} | ${ms(result.p50)} | ${ms(result.p99)} | ${ms(result.p999)} | ${(result.successRate * 100).toFixed(2)}% | ` +
      `${(result.sentToDegraded * 100).toFixed(2)}% | ${ms(healthy.p99)} | ${(result.p99 / healthy.p99).toFixed(2)}× |`,
  );
}
