import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient } from '@mcpmx/client';
import type { ToolDescriptor } from '@mcpmx/core';

/** One federated tool of the reference fleet: the name callers use, and whose it is. */
export interface ReferenceTool {
  /** `server/tool`, with the server-side name: how the query set names tools. */
  key: string;
  server: string;
  tool: ToolDescriptor;
}

const require = createRequire(import.meta.url);
const entry = (name: string) => require.resolve(`@modelcontextprotocol/${name}/dist/index.js`);

/**
 * The MCP reference servers that install from npm and list their tools without an account:
 * the API-backed ones get placeholder credentials (listing calls no API), postgres a closed
 * port (it connects on a query only). Redis is left out: it exits when it cannot connect.
 */
function referenceServers(dir: string): Record<string, string[]> {
  return {
    everything: [entry('server-everything'), 'stdio'],
    filesystem: [entry('server-filesystem'), dir],
    memory: [entry('server-memory')],
    'sequential-thinking': [entry('server-sequential-thinking')],
    github: [entry('server-github')],
    gitlab: [entry('server-gitlab')],
    slack: [entry('server-slack')],
    'brave-search': [entry('server-brave-search')],
    'google-maps': [entry('server-google-maps')],
    everart: [entry('server-everart')],
    postgres: [entry('server-postgres'), 'postgresql://127.0.0.1:1/none'],
  };
}

const PLACEHOLDERS = {
  GITHUB_PERSONAL_ACCESS_TOKEN: 'placeholder',
  GITLAB_PERSONAL_ACCESS_TOKEN: 'placeholder',
  SLACK_BOT_TOKEN: 'placeholder',
  SLACK_TEAM_ID: 'placeholder',
  BRAVE_API_KEY: 'placeholder',
  GOOGLE_MAPS_API_KEY: 'placeholder',
  EVERART_API_KEY: 'placeholder',
};

/** The reference servers as an `mcpServers` config, for a gateway (`dir`: filesystem's root). */
export function referenceConfig(dir: string): { mcpServers: Record<string, unknown> } {
  return {
    mcpServers: Object.fromEntries(
      Object.entries(referenceServers(dir)).map(([server, args]) => [
        server,
        { command: process.execPath, args, env: { PATH: process.env.PATH ?? '', ...PLACEHOLDERS } },
      ]),
    ),
  };
}

/**
 * Starts every reference server through @mcpmx/client (its catalog, its federated names), and
 * returns the tools of those that came up, with the servers that did not.
 */
export async function referenceCatalog(): Promise<{ tools: ReferenceTool[]; down: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), 'mcpmx-reference-'));
  // The same config a gateway gets, parsed by the client as a config object.
  const client = createMultiServerClient({ config: referenceConfig(dir), startTimeoutMs: 20_000 });
  try {
    const started = await client.start();
    const catalog = client.catalog();
    const tools = client.listTools().map((tool) => {
      const owner = catalog.resolveTool(tool.name);
      if (!owner) throw new Error(`the catalog lists ${tool.name} but cannot resolve it`);
      return { key: `${owner.server}/${owner.name}`, server: owner.server, tool };
    });
    return { tools, down: started.failed.map(({ server }) => server) };
  } finally {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  }
}
