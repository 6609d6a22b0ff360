import type { Discovery } from '@mcpmx/core';
import { type ConsulDiscoveryOptions, createConsulDiscovery } from '@mcpmx/discovery-consul';
import { createDnsDiscovery, type DnsDiscoveryOptions } from '@mcpmx/discovery-dns';
import { createEtcdDiscovery, type EtcdDiscoveryOptions } from '@mcpmx/discovery-etcd';
import { z } from 'zod';

/**
 * A discovery package a config may name by `type`: its factory, and the options a config file
 * may set (what JSON can express; `clock`, `fetch` or an etcd `client` come from code only).
 * The keys are checked against the package's own options type, so a renamed option fails to
 * compile here; the values are checked by the package's factory.
 */
function discoveryPackage<Options>(
  create: (options: Options) => Discovery,
  keys: readonly [keyof Options & string, ...(keyof Options & string)[]],
) {
  return { create, keys };
}

/** The discovery packages a config's `discovery` blocks may name, by `type`. */
export const DISCOVERY_TYPES = {
  dns: discoveryPackage<DnsDiscoveryOptions>(createDnsDiscovery, [
    'name',
    'server',
    'resolver',
    'refreshMs',
    'minRefreshMs',
    'maxRefreshMs',
    'lookupTimeoutMs',
    'transport',
    'path',
    'scheme',
    'resolveAddresses',
    'id',
  ]),
  consul: discoveryPackage<ConsulDiscoveryOptions>(createConsulDiscovery, [
    'url',
    'service',
    'server',
    'tag',
    'passingOnly',
    'waitMs',
    'token',
    'minIntervalMs',
    'backoff',
    'requestGraceMs',
    'maxResponseBytes',
    'id',
  ]),
  etcd: discoveryPackage<EtcdDiscoveryOptions>(createEtcdDiscovery, [
    'hosts',
    'prefix',
    'server',
    'retry',
    'allowStdio',
    'id',
  ]),
} as const;

type DiscoveryType = keyof typeof DISCOVERY_TYPES;

/**
 * A block of one type: only that package's keys, and options its factory accepts. The factory
 * is the one place that knows the values it takes, so it checks them here; a factory only
 * checks its options and starts nothing, so the instance made for the check is dropped.
 */
function blockSchema<Type extends DiscoveryType>(type: Type) {
  const { create, keys } = DISCOVERY_TYPES[type];
  const options = Object.fromEntries(keys.map((key) => [key, z.unknown().optional()]));
  return z
    .strictObject({ type: z.literal(type), ...options })
    .superRefine(({ type: _type, ...given }, context) => {
      try {
        (create as (options: unknown) => Discovery)(given);
      } catch (error) {
        // The package's message names the option and what it expected.
        context.addIssue({
          code: 'custom',
          message: `valid ${type} discovery options (${(error as Error).message})`,
        });
      }
    });
}

/**
 * One `discovery` block, e.g. `{ "type": "dns", "name": "_mcp._tcp.example.internal",
 * "server": "search" }`: the package by `type`, and its options. Passed to parseServersConfig,
 * which checks each block after interpolation.
 */
export const discoveryBlockSchema = z.discriminatedUnion('type', [
  blockSchema('dns'),
  blockSchema('consul'),
  blockSchema('etcd'),
]);

export type AppDiscoveryBlock = z.output<typeof discoveryBlockSchema>;

/** Creates a discovery source for each checked block. Nothing is started here. */
export function discoverySourcesFromBlocks(blocks: readonly AppDiscoveryBlock[]): Discovery[] {
  return blocks.map(({ type, ...options }) =>
    (DISCOVERY_TYPES[type].create as (options: unknown) => Discovery)(options),
  );
}
