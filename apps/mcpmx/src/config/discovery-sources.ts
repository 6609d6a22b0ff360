import type { Discovery } from '@mcpmx/core';
import type { ConsulDiscoveryOptions } from '@mcpmx/discovery-consul';
import type { DnsDiscoveryOptions } from '@mcpmx/discovery-dns';
import type { EtcdDiscoveryOptions } from '@mcpmx/discovery-etcd';
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

/**
 * The discovery packages a config's `discovery` blocks may name, by `type`. Loaded only for a
 * config that has blocks: a config without them (the usual case) never loads etcd's gRPC
 * client or the others, and the CLI starts that much sooner.
 */
async function loadDiscoveryTypes() {
  const [dns, consul, etcd] = await Promise.all([
    import('@mcpmx/discovery-dns'),
    import('@mcpmx/discovery-consul'),
    import('@mcpmx/discovery-etcd'),
  ]);
  return {
    dns: discoveryPackage<DnsDiscoveryOptions>(dns.createDnsDiscovery, [
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
    consul: discoveryPackage<ConsulDiscoveryOptions>(consul.createConsulDiscovery, [
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
    etcd: discoveryPackage<EtcdDiscoveryOptions>(etcd.createEtcdDiscovery, [
      'hosts',
      'prefix',
      'server',
      'retry',
      'allowStdio',
      'id',
    ]),
  } as const;
}

type DiscoveryTypes = Awaited<ReturnType<typeof loadDiscoveryTypes>>;
type DiscoveryType = keyof DiscoveryTypes;

/**
 * A block of one type: only that package's keys, and options its factory accepts. The factory
 * is the one place that knows the values it takes, so it checks them here; a factory only
 * checks its options and starts nothing, so the instance made for the check is dropped.
 */
function blockSchema<Type extends DiscoveryType>(types: DiscoveryTypes, type: Type) {
  const { create, keys } = types[type];
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
 * The discovery packages, for a config with `discovery` blocks: `schema` checks one block, e.g.
 * `{ "type": "dns", "name": "_mcp._tcp.example.internal", "server": "search" }` (the package by
 * `type`, and its options; parseServersConfig applies it to each block after interpolation),
 * and `create` makes a discovery source of each checked block (nothing is started).
 */
export async function loadDiscoveryBlocks() {
  const types = await loadDiscoveryTypes();
  const schema = z.discriminatedUnion('type', [
    blockSchema(types, 'dns'),
    blockSchema(types, 'consul'),
    blockSchema(types, 'etcd'),
  ]);
  const create = (blocks: readonly z.output<typeof schema>[]): Discovery[] =>
    blocks.map(({ type, ...options }) =>
      (types[type].create as (options: unknown) => Discovery)(options),
    );
  return { schema, create };
}
