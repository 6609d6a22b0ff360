import {
  createLeastOutstanding,
  createP2cPeakEwma,
  createRandomBalancer,
  createRoundRobin,
  createSmoothWeightedRoundRobin,
} from '@mcpmx/balancer';
import { consecutiveFailures, createCircuitBreaker } from '@mcpmx/breaker';
import type { Balancer } from '@mcpmx/core';
import { z } from 'zod';
import type { NamingPolicy } from '../catalog/federated-names.js';
import type { MultiServerClientOptions } from '../client-options.js';

/**
 * The balancers a config may name under `balancer`. Affinity (stateful servers, affinity keys)
 * always uses consistent hashing.
 */
export const BALANCERS = {
  'p2c-peak-ewma': () => createP2cPeakEwma(),
  'round-robin': () => createRoundRobin(),
  'weighted-round-robin': () => createSmoothWeightedRoundRobin(),
  'least-outstanding': () => createLeastOutstanding(),
  random: () => createRandomBalancer(),
} as const satisfies Readonly<Record<string, () => Balancer>>;

type BalancerName = keyof typeof BALANCERS;
const BALANCER_NAMES = Object.keys(BALANCERS) as [BalancerName, ...BalancerName[]];
const NAMING_POLICIES = ['prefix', 'prefix-on-conflict', 'none'] as const satisfies readonly [
  NamingPolicy,
  ...NamingPolicy[],
];

const integer = (min: number) =>
  z.int({ error: `an integer >= ${min}` }).min(min, { error: `an integer >= ${min}` });

/**
 * The mcpmx settings of a config file, the top-level keys besides `mcpServers` and
 * `discovery`. Passed to parseServersConfig, which checks them with the rest of the file
 * (after interpolation) and reports unknown keys with a did-you-mean. The client checks every
 * config it reads with it; `clientOptionsFromSettings` turns the checked settings into options.
 */
export const clientSettingsSchema = z.object({
  naming: z
    .strictObject({ policy: z.enum(NAMING_POLICIES), separator: z.string(), maxLength: integer(8) })
    .partial()
    .optional(),
  balancer: z.enum(BALANCER_NAMES).optional(),
  breaker: z
    .strictObject({
      consecutiveFailures: integer(1),
      halfOpenAfterMs: integer(1),
      maxHalfOpenAfterMs: integer(1),
    })
    .partial()
    .superRefine(({ halfOpenAfterMs, maxHalfOpenAfterMs }, context) => {
      if (halfOpenAfterMs === undefined || maxHalfOpenAfterMs === undefined) return;
      if (maxHalfOpenAfterMs >= halfOpenAfterMs) return;
      context.addIssue({
        code: 'custom',
        path: ['maxHalfOpenAfterMs'],
        message: `a value >= breaker.halfOpenAfterMs (${halfOpenAfterMs})`,
      });
    })
    .optional(),
  retry: z
    .strictObject({
      retries: integer(0),
      budgetMs: integer(0),
      initialMs: integer(0),
      maxMs: integer(0),
    })
    .partial()
    .optional(),
  cache: z
    .strictObject({ enabled: z.boolean(), ttlMs: integer(1), maxEntries: integer(1) })
    .partial()
    .optional(),
  timeoutMs: integer(1).optional(),
  refreshDebounceMs: integer(0).optional(),
});

export type ClientSettings = z.output<typeof clientSettingsSchema>;

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/** Turns checked settings into client options; the defaults of each part live here. */
export function clientOptionsFromSettings(
  settings: ClientSettings,
): Partial<MultiServerClientOptions> {
  const options: Partial<MultiServerClientOptions> = {};
  if (settings.naming) options.naming = defined({ ...settings.naming });
  if (settings.balancer) {
    const create = BALANCERS[settings.balancer];
    options.createBalancer = () => create();
  }
  const breaker = settings.breaker;
  if (breaker) {
    const initialMs = breaker.halfOpenAfterMs ?? 5000;
    options.createBreaker = () =>
      createCircuitBreaker({
        policy: consecutiveFailures(breaker.consecutiveFailures ?? 5),
        halfOpenAfter: {
          initialMs,
          factor: 2,
          maxMs: breaker.maxHalfOpenAfterMs ?? Math.max(60_000, breaker.halfOpenAfterMs ?? 0),
        },
      });
  }
  const retry = settings.retry;
  if (retry) {
    options.retry = defined({
      retries: retry.retries,
      budgetMs: retry.budgetMs,
      backoff: defined({ initialMs: retry.initialMs, maxMs: retry.maxMs }),
    });
  }
  if (settings.cache) options.cache = defined({ ...settings.cache });
  if (settings.timeoutMs !== undefined) options.timeoutMs = settings.timeoutMs;
  if (settings.refreshDebounceMs !== undefined) {
    options.refreshDebounceMs = settings.refreshDebounceMs;
  }
  return options;
}
