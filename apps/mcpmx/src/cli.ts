#!/usr/bin/env node
import { Command, InvalidArgumentError } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { TOKEN_VARIABLE } from './config/token-variable.js';
import { addLimitFlags, limitsFromFlags } from './front-door/limit-flags.js';
import type { ToolMode } from './lazy-tools.js';
import { parseAdvertise } from './relay/advertise-flag.js';
import { parseWholeNumber, sessionsFromFlags } from './sessions/session-flags.js';

// Each command loads what it runs when it runs (the client, the SDK, the dashboard...), so that
// `--help`, `--version` and a mistyped flag answer at once.
const commands = () => import('./terminal.js');

/** A comma-separated flag value as its names, blanks dropped. */
function splitNames(value: string): string[] {
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/** `--env-allow A,B_*` on every command that takes `--config`: what `${NAME}` may read. */
const ENV_ALLOW = [
  '--env-allow <names>',
  `the only variables \${NAME} in the config may read, comma-separated, "*" for any run (API_*); never ${TOKEN_VARIABLE}`,
  splitNames,
] as const;
type EnvAllow = { envAllow?: string[] };

function parseToolMode(value: string): ToolMode {
  if (value === 'eager' || value === 'lazy') return value;
  throw new InvalidArgumentError(`expected "eager" or "lazy" (got "${value}")`);
}

const program = new Command()
  .name('mcpmx')
  .description('Use many MCP servers as one: discovery, pooling, routing, federation.')
  .version(packageJson.version)
  .showHelpAfterError();

program
  .command('demo')
  .description(
    'start real MCP servers on loopback and show federation, balancing, failover, fan-out and caching',
  )
  .option('--short', 'a shorter workload')
  .option('--keep', 'leave the servers and the dashboard up after the summary, until Ctrl-C')
  .action(async (options: { short?: boolean; keep?: boolean }) => {
    const { runDemo } = await import('./demo/run-demo.js');
    await runDemo(options);
  });

// The front-door limit flags (--max-connections, --headers-timeout, ...) come first.
addLimitFlags(program.command('serve'))
  .description('serve every configured server as one MCP server (stdio, or Streamable HTTP)')
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .option(...ENV_ALLOW)
  .option('--http <port>', 'serve Streamable HTTP at /mcp on this port instead of stdio')
  .option('--host <address>', 'HTTP bind address', '127.0.0.1')
  .option('--token <token>', 'bearer token for HTTP (default $MCPMX_TOKEN); required off loopback')
  .option(
    '--session-idle-timeout <ms>',
    'a 2025-11-25 HTTP session with no request open for this long ends (default 600000)',
    parseWholeNumber,
  )
  .option(
    '--max-sessions <n>',
    '2025-11-25 HTTP sessions open at once; more get 503 with Retry-After (default 100)',
    parseWholeNumber,
  )
  .option(
    '--tools <mode>',
    'how tools are listed: "eager" (every tool) or "lazy" (search_tools, describe_tool and call_tool, plus --pin); default: the config\'s gateway.tools, else eager',
    parseToolMode,
  )
  .option(
    '--pin <names>',
    'in lazy mode, tools listed as they are too, comma-separated',
    splitNames,
  )
  .option(
    '--audit <file>',
    'append one JSON line per tools/call (time, principal, tool, server, outcome) to this file ("-": stderr)',
  )
  .option('--audit-arguments', "with --audit, record each call's arguments too")
  .option(
    '--advertise <capabilities>',
    'tell upstream servers the gateway can do these, relayed to the downstream client of each call: elicitation,sampling,roots (default: over stdio what the downstream client declares, over HTTP what the open sessions declare)',
    parseAdvertise,
  )
  .action(
    async (
      options: {
        advertise?: ReturnType<typeof parseAdvertise>;
        audit?: string;
        auditArguments?: boolean;
        tools?: ToolMode;
        pin?: string[];
        config: string;
        http?: string;
        host: string;
        token?: string;
        sessionIdleTimeout?: number;
        maxSessions?: number;
      } & EnvAllow,
    ) => {
      const httpPort = options.http === undefined ? undefined : Number(options.http);
      if (
        httpPort !== undefined &&
        !(Number.isInteger(httpPort) && httpPort >= 0 && httpPort < 65536)
      ) {
        throw new Error(`--http must be a port number 0-65535 (got "${options.http}")`);
      }
      const { serve } = await import('./serve.js');
      await serve({
        config: options.config,
        httpPort,
        host: options.host,
        token: options.token ?? process.env[TOKEN_VARIABLE],
        limits: limitsFromFlags(options),
        sessions: sessionsFromFlags(options),
        advertise: options.advertise,
        // Unset, the config's gateway.tools and gateway.pin apply.
        tools: { mode: options.tools, pinned: options.pin },
        audit: options.audit,
        auditArguments: options.auditArguments,
        envAllow: options.envAllow,
      });
    },
  );

program
  .command('tools')
  .description('list the federated tools of every configured server')
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .option(...ENV_ALLOW)
  .option('--json', 'print JSON (with input schemas and annotations) instead of a table')
  .action(async (options: { config: string; json?: boolean } & EnvAllow) => {
    await (await commands()).listToolsCommand(options);
  });

program
  .command('call <tool>')
  .description(
    'call one tool through the router and print its result (and, on stderr, which server and replica answered)',
  )
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .option(...ENV_ALLOW)
  .option('--args <json>', 'the arguments, as a JSON object', '{}')
  .option('--json', 'print the whole result as JSON, with the server and replica that answered')
  .action(
    async (tool: string, options: { config: string; args: string; json?: boolean } & EnvAllow) => {
      const ok = await (await commands()).callCommand({ ...options, tool });
      if (!ok) process.exitCode = 1;
    },
  );

program
  .command('status')
  .description(
    'show servers and replicas: status, breaker, in-flight, last error; exits 2 when a server is down, 3 when a replica is',
  )
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .option(...ENV_ALLOW)
  .option('--json', 'print JSON instead of a table')
  .action(async (options: { config: string; json?: boolean } & EnvAllow) => {
    // 0 every replica up, 2 a server down, 3 a replica down (see the README); 1 an error.
    process.exitCode = await (await commands()).statusCommand(options);
  });

program
  .command('login <server>')
  .description(
    'log in to an OAuth-protected server of the config (authorization code + PKCE, a loopback redirect); the tokens are stored for every later command',
  )
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .option(...ENV_ALLOW)
  .option('--no-browser', 'print the login URL only; do not open a browser')
  .action(async (server: string, options: { config: string; browser: boolean } & EnvAllow) => {
    const { loginCommand } = await import('./login.js');
    await loginCommand({ ...options, server, env: process.env });
  });

program
  .command('logout <server>')
  .description("forget a server's stored OAuth tokens and client registration")
  .requiredOption('-c, --config <path>', 'an mcpServers config file')
  .option(...ENV_ALLOW)
  .action(async (server: string, options: { config: string } & EnvAllow) => {
    const { logoutCommand } = await import('./login.js');
    await logoutCommand({ ...options, server, env: process.env, browser: false });
  });

// When the reader of our output goes away (a closed pipe: EPIPE), end as on SIGTERM, so the
// commands that started servers close them first instead of crashing and orphaning them.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.kill(process.pid, 'SIGTERM');
    else throw error;
  });
}

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`mcpmx: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
