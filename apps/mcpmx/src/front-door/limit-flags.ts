import { type Command, InvalidArgumentError } from 'commander';
import { DEFAULT_DASHBOARD_OPTIONS } from '../dashboard/dashboard-defaults.js';
import { type FrontDoorLimits, resolveFrontDoorLimits } from './front-door-limits.js';
import { readOpenFileLimit } from './open-file-limit.js';

/** The `mcpmx serve` flag for each front-door limit (defaults: see FrontDoorLimits). */
const FLAGS: readonly { key: keyof FrontDoorLimits; flag: string; description: string }[] = [
  {
    key: 'maxConnections',
    flag: '--max-connections <n>',
    description:
      'HTTP connections open at once (default: a quarter of the open-file limit, at most 1024)',
  },
  {
    key: 'maxConnectionsPerAddress',
    flag: '--max-connections-per-address <n>',
    description:
      'HTTP connections open at once from one address (default: a quarter of --max-connections)',
  },
  {
    key: 'maxConcurrentRequests',
    flag: '--max-concurrent-requests <n>',
    description: 'requests served at once; more get 503 with Retry-After (default: see README)',
  },
  {
    key: 'headersTimeoutMs',
    flag: '--headers-timeout <ms>',
    description: "time to send a request's headers, idle connections included (default 10000)",
  },
  {
    key: 'requestTimeoutMs',
    flag: '--request-timeout <ms>',
    description: 'time to send a whole request (default 30000)',
  },
  {
    key: 'keepAliveTimeoutMs',
    flag: '--keep-alive-timeout <ms>',
    description: 'idle keep-alive connections are closed after this (default 5000)',
  },
  {
    key: 'maxRequestBodyBytes',
    flag: '--max-request-body <bytes>',
    description: 'largest /mcp request body; larger get 413 (default 4194304)',
  },
];

function parseCount(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError(`expected a whole number, got "${value}"`);
  return Number(value);
}

/** Adds the front-door limit flags to `serve`. */
export function addLimitFlags(command: Command): Command {
  for (const { flag, description } of FLAGS) command.option(flag, description, parseCount);
  return command;
}

/**
 * The limits the flags set (commander's camelCase names), for startHttpGateway; checked here
 * as the gateway will check them (with its default dashboard), so an error names the flag
 * (`--max-connections must be ...`), not the option behind it.
 */
export function limitsFromFlags(flags: Record<string, unknown>): Partial<FrontDoorLimits> {
  const limits: Partial<FrontDoorLimits> = {};
  const names: Partial<Record<keyof FrontDoorLimits, string>> = {};
  for (const { key, flag } of FLAGS) {
    const bare = flag.slice(0, flag.indexOf(' '));
    names[key] = bare;
    const value =
      flags[bare.slice(2).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase())];
    if (typeof value === 'number') limits[key] = value;
  }
  resolveFrontDoorLimits(limits, {
    openFileLimit: readOpenFileLimit(),
    longLivedSockets: DEFAULT_DASHBOARD_OPTIONS.maxClients,
    names,
  });
  return limits;
}
