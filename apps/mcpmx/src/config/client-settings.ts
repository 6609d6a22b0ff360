import {
  createLeastOutstanding,
  createP2cPeakEwma,
  createRandomBalancer,
  createRoundRobin,
  createSmoothWeightedRoundRobin,
} from '@mcpmx/balancer';
import { consecutiveFailures, createCircuitBreaker } from '@mcpmx/breaker';
import type { MultiServerClientOptions, NamingPolicy } from '@mcpmx/client';
import type { Balancer, ConfigIssue } from '@mcpmx/core';

/**
 * The balancers a config may name under `balancer`. Affinity (stateful servers, affinity keys)
 * always uses consistent hashing.
 */
export const BALANCERS: Readonly<Record<string, () => Balancer>> = {
  'p2c-peak-ewma': () => createP2cPeakEwma(),
  'round-robin': () => createRoundRobin(),
  'weighted-round-robin': () => createSmoothWeightedRoundRobin(),
  'least-outstanding': () => createLeastOutstanding(),
  random: () => createRandomBalancer(),
};

const NAMING_POLICIES: readonly NamingPolicy[] = ['prefix', 'prefix-on-conflict', 'none'];

type Reader = {
  object(
    path: string,
    value: unknown,
    keys: readonly string[],
  ): Record<string, unknown> | undefined;
  number(path: string, value: unknown, min: number): number | undefined;
  integer(path: string, value: unknown, min: number): number | undefined;
  boolean(path: string, value: unknown): boolean | undefined;
  string(path: string, value: unknown): string | undefined;
  oneOf<T extends string>(path: string, value: unknown, options: readonly T[]): T | undefined;
};

function reader(issues: ConfigIssue[]): Reader {
  const fail = (path: string, expected: string, found: unknown) => {
    issues.push({ path, expected, found });
    return undefined;
  };
  return {
    object(path, value, keys) {
      if (value === undefined) return undefined;
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        return fail(path, 'an object', value);
      }
      for (const key of Object.keys(value)) {
        if (!keys.includes(key)) fail(`${path}.${key}`, `one of the keys ${keys.join(', ')}`, key);
      }
      return value as Record<string, unknown>;
    },
    number(path, value, min) {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < min) {
        return fail(path, `a number >= ${min}`, value);
      }
      return value;
    },
    integer(path, value, min) {
      if (value === undefined) return undefined;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
        return fail(path, `an integer >= ${min}`, value);
      }
      return value;
    },
    boolean(path, value) {
      if (value === undefined) return undefined;
      if (typeof value !== 'boolean') return fail(path, 'true or false', value);
      return value;
    },
    string(path, value) {
      if (value === undefined) return undefined;
      if (typeof value !== 'string') return fail(path, 'a string', value);
      return value;
    },
    oneOf(path, value, options) {
      if (value === undefined) return undefined;
      if (typeof value !== 'string' || !options.includes(value as never)) {
        return fail(path, `one of ${options.map((option) => `"${option}"`).join(', ')}`, value);
      }
      return value as never;
    },
  };
}

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

/**
 * Turns the mcpmx settings of a config file (`naming`, `balancer`, `breaker`, `retry`, `cache`,
 * `timeoutMs`, `refreshDebounceMs`) into client options. Every problem is pushed to `issues`
 * with its path, what was expected and what was found; unknown keys are problems too.
 */
export function clientOptionsFromSettings(
  settings: Readonly<Record<string, unknown>>,
  issues: ConfigIssue[],
): Partial<MultiServerClientOptions> {
  const read = reader(issues);
  const options: Partial<MultiServerClientOptions> = {};
  const known = [
    'naming',
    'balancer',
    'breaker',
    'retry',
    'cache',
    'timeoutMs',
    'refreshDebounceMs',
  ] as const;
  for (const key of Object.keys(settings)) {
    if (!known.includes(key as never)) {
      issues.push({
        path: key,
        expected: `a top-level key among mcpServers, discovery, ${known.join(', ')}`,
        found: key,
      });
    }
  }

  const naming = read.object('naming', settings.naming, ['policy', 'separator', 'maxLength']);
  if (naming) {
    options.naming = defined({
      policy: read.oneOf('naming.policy', naming.policy, NAMING_POLICIES),
      separator: read.string('naming.separator', naming.separator),
      maxLength: read.integer('naming.maxLength', naming.maxLength, 8),
    });
  }

  const balancer = read.oneOf('balancer', settings.balancer, Object.keys(BALANCERS));
  if (balancer) {
    const create = BALANCERS[balancer];
    if (create) options.createBalancer = () => create();
  }

  const breaker = read.object('breaker', settings.breaker, [
    'consecutiveFailures',
    'halfOpenAfterMs',
    'maxHalfOpenAfterMs',
  ]);
  if (breaker) {
    const failures = read.integer('breaker.consecutiveFailures', breaker.consecutiveFailures, 1);
    const initialMs = read.integer('breaker.halfOpenAfterMs', breaker.halfOpenAfterMs, 1);
    const maxMs = read.integer('breaker.maxHalfOpenAfterMs', breaker.maxHalfOpenAfterMs, 1);
    if (initialMs !== undefined && maxMs !== undefined && maxMs < initialMs) {
      issues.push({
        path: 'breaker.maxHalfOpenAfterMs',
        expected: `a value >= breaker.halfOpenAfterMs (${initialMs})`,
        found: maxMs,
      });
    }
    options.createBreaker = () =>
      createCircuitBreaker({
        policy: consecutiveFailures(failures ?? 5),
        halfOpenAfter: defined({
          initialMs: initialMs ?? 5000,
          factor: 2,
          maxMs: maxMs ?? Math.max(60_000, initialMs ?? 0),
        }),
      });
  }

  const retry = read.object('retry', settings.retry, ['retries', 'budgetMs', 'initialMs', 'maxMs']);
  if (retry) {
    options.retry = defined({
      retries: read.integer('retry.retries', retry.retries, 0),
      budgetMs: read.integer('retry.budgetMs', retry.budgetMs, 0),
      backoff: defined({
        initialMs: read.integer('retry.initialMs', retry.initialMs, 0),
        maxMs: read.integer('retry.maxMs', retry.maxMs, 0),
      }),
    });
  }

  const cache = read.object('cache', settings.cache, ['enabled', 'ttlMs', 'maxEntries']);
  if (cache) {
    options.cache = defined({
      enabled: read.boolean('cache.enabled', cache.enabled),
      ttlMs: read.integer('cache.ttlMs', cache.ttlMs, 1),
      maxEntries: read.integer('cache.maxEntries', cache.maxEntries, 1),
    });
  }

  const timeoutMs = read.integer('timeoutMs', settings.timeoutMs, 1);
  if (timeoutMs !== undefined) options.timeoutMs = timeoutMs;
  const debounce = read.integer('refreshDebounceMs', settings.refreshDebounceMs, 0);
  if (debounce !== undefined) options.refreshDebounceMs = debounce;
  return options;
}
