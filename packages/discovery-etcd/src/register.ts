import { checkNumber, DiscoveryError, InvalidOptionError } from '@mcpmx/core';
import { Etcd3, type Lease } from 'etcd3';
import { type EtcdEndpointRecord, parseEndpointRecord } from './endpoint-record.js';

/** Options for {@link register}. Give `client` or `hosts`. */
export interface RegisterOptions {
  /** An etcd3 client you own; `close()` does not close it. */
  client?: Etcd3;
  /** etcd endpoints; a client is created and closed by `close()`. */
  hosts?: string | readonly string[];
  /** Key prefix the discovery watches, e.g. `/mcpmx/servers/files/`. */
  prefix: string;
  /** Key under the prefix, unique per replica, e.g. `host-a-8080`. */
  key: string;
  record: EtcdEndpointRecord;
  /** Lease TTL: the record disappears this long after the process stops renewing. Default 10. */
  ttlSeconds?: number;
  /** Called when the lease is lost (etcd unreachable past the TTL). The record is gone then. */
  onLost?: (error: Error) => void;
}

/** A registration; `close()` revokes the lease, which deletes the record at once. */
export interface Registration {
  readonly key: string;
  /** The lease id as a decimal string. */
  leaseId(): Promise<string>;
  close(): Promise<void>;
}

/**
 * Announces an MCP server: puts `record` as JSON at `prefix + key`, attached to a lease that
 * the etcd3 client keeps alive. The record disappears when `close()` revokes the lease, or
 * `ttlSeconds` after the process dies.
 */
export async function register(options: RegisterOptions): Promise<Registration> {
  if (typeof options?.prefix !== 'string' || options.prefix.length === 0) {
    throw new InvalidOptionError('prefix', 'a non-empty key prefix', options?.prefix);
  }
  if (typeof options.key !== 'string' || options.key.length === 0) {
    throw new InvalidOptionError('key', 'a non-empty key', options.key);
  }
  if (typeof options.record !== 'object' || options.record === null) {
    throw new InvalidOptionError('record', 'an endpoint record object', options.record);
  }
  // The record is checked as a discovery will read it, so a bad one fails here, not later.
  const problem = parseEndpointRecord(JSON.stringify(options.record), {
    id: options.key,
    source: 'register',
    // A record may leave `server` to the discovery's option; only its shape is checked here.
    server: 'any',
    allowStdio: true,
  });
  if (typeof problem === 'string') {
    throw new InvalidOptionError('record', `a valid endpoint record (${problem})`, options.record);
  }
  if ((options.client === undefined) === (options.hosts === undefined)) {
    throw new InvalidOptionError('hosts', 'exactly one of hosts or client', options.hosts);
  }
  const ttlSeconds = checkNumber('ttlSeconds', options.ttlSeconds ?? 10, {
    min: 1,
    integer: true,
  });
  const ownsClient = options.client === undefined;
  const hosts = typeof options.hosts === 'string' ? [options.hosts] : [...(options.hosts ?? [])];
  const client = options.client ?? new Etcd3({ hosts, dialTimeout: 5_000 });
  const key = `${options.prefix}${options.key}`;
  let lease: Lease | undefined;
  try {
    lease = client.lease(ttlSeconds, { autoKeepAlive: true });
    lease.on('lost', (error) => options.onLost?.(error));
    await lease.put(key).value(JSON.stringify(options.record)).exec();
  } catch (error) {
    await lease?.revoke().catch(() => {});
    if (ownsClient) client.close();
    throw new DiscoveryError(
      `etcd:${options.prefix}`,
      `registering ${JSON.stringify(key)} failed (${error instanceof Error ? error.message : String(error)}). Check that etcd is reachable.`,
      { cause: error },
    );
  }
  const held = lease;
  let closing: Promise<void> | undefined;
  return {
    key,
    leaseId: () => held.grant(),
    close() {
      closing ??= (async () => {
        try {
          await held.revoke();
        } finally {
          held.removeAllListeners();
          if (ownsClient) client.close();
        }
      })();
      return closing;
    },
  };
}
