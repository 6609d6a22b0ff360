import { type Command, InvalidArgumentError } from 'commander';
import type { FrontDoorLimits } from './front-door-limits.js';

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

/** The limits the flags set (commander's camelCase names), for startHttpGateway. */
export function limitsFromFlags(flags: Record<string, unknown>): Partial<FrontDoorLimits> {
  const limits: Partial<FrontDoorLimits> = {};
  for (const { key, flag } of FLAGS) {
    const name = flag
      .slice(2, flag.indexOf(' '))
      .replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    const value = flags[name];
    if (typeof value === 'number') limits[key] = value;
  }
  return limits;
}
