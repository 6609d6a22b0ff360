import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, type ConfigIssue } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import {
  type ConfigDiscoveryOptions,
  type ConfigInput,
  createConfigDiscovery,
  inputVariable,
  loadServersConfig,
  type ServersConfig,
} from '../src/index.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Reads a fixture through createConfigDiscovery, as the client does: the parse, or its error. */
async function load(
  path: string,
  options: Omit<ConfigDiscoveryOptions, 'path'> = {},
): Promise<ServersConfig> {
  const discovery = createConfigDiscovery({ path, ...options });
  let failure: unknown;
  discovery.on('error', ({ error }) => {
    failure = (error as { cause?: unknown }).cause ?? error;
  });
  try {
    await discovery.start();
  } finally {
    await discovery.stop();
  }
  const config = discovery.config();
  if (!config) throw failure;
  return config;
}

async function issuesOfLoad(
  path: string,
  options: Omit<ConfigDiscoveryOptions, 'path'> = {},
): Promise<readonly ConfigIssue[]> {
  const error = await load(path, options).then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(ConfigError.isInstance(error)).toBe(true);
  return (error as ConfigError).issues;
}

const transports = (config: ServersConfig) =>
  Object.fromEntries(config.endpoints.map((endpoint) => [endpoint.server, endpoint.transport]));

describe('the config shapes people already have, read from their files', () => {
  it('Claude Desktop: mcpServers with command, args and env', async () => {
    const config = await load(join(fixtures, 'claude-desktop/claude_desktop_config.json'), {
      env: { GITHUB_TOKEN: 'ghp-1' },
    });
    expect(transports(config)).toEqual({
      filesystem: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/me/Desktop'],
      },
      github: {
        type: 'stdio',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-github'],
        env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp-1' },
      },
    });
    expect(config.secrets).toEqual(['ghp-1']);
  });

  it('Cursor: url and headers, with ${env:VAR} in headers and args', async () => {
    const config = await load(join(fixtures, 'cursor/.cursor/mcp.json'), {
      env: { API_TOKEN: 'tok-1', HOME: '/home/me' },
    });
    expect(transports(config)).toEqual({
      web: {
        type: 'streamable-http',
        url: 'https://mcp.example.com/mcp',
        headers: { Authorization: 'Bearer tok-1' },
      },
      local: { type: 'stdio', command: 'node', args: ['/home/me/server.js'], env: { MODE: 'dev' } },
    });
  });

  it('LangChain: "transport" names stdio and streamable_http', async () => {
    const config = await load(join(fixtures, 'langchain/mcp.json'));
    expect(transports(config)).toEqual({
      math: { type: 'stdio', command: 'python', args: ['math_server.py'] },
      weather: { type: 'streamable-http', url: 'http://localhost:8000/mcp' },
    });
  });

  it('Claude Code .mcp.json: "type" http, sse and stdio, with headers', async () => {
    const config = await load(join(fixtures, 'claude-code/.mcp.json'), {
      env: { API_KEY: 'key-1' },
    });
    expect(transports(config)).toEqual({
      api: {
        type: 'streamable-http',
        url: 'https://api.example.com/mcp',
        headers: { Authorization: 'Bearer key-1' },
      },
      events: { type: 'sse', url: 'https://events.example.com/sse' },
      local: { type: 'stdio', command: 'npx', args: ['-y', 'some-server'], env: {} },
    });
  });
});

describe("VS Code's .vscode/mcp.json: servers, inputs, ${input:id}, envFile", () => {
  const vscode = join(fixtures, 'vscode/.vscode/mcp.json');

  it('reads inputs from MCPMX_INPUT_<ID>, defaults, and the envFile next to the config', async () => {
    expect(inputVariable('api-key')).toBe('MCPMX_INPUT_API_KEY');
    const config = await load(vscode, { env: { MCPMX_INPUT_API_KEY: 'k-123', DEPLOY: 'prod' } });
    expect(transports(config)).toEqual({
      remote: {
        type: 'streamable-http',
        url: 'https://mcp.example.com/eu-west-1/mcp',
        headers: { Authorization: 'Bearer k-123', 'X-Env': 'prod' },
      },
      local: {
        type: 'stdio',
        command: 'node',
        args: ['server.js', '--key', 'k-123'],
        // ${workspaceFolder}: the folder that holds .vscode/.
        cwd: join(fixtures, 'vscode'),
        env: {
          DB_URL: 'postgres://localhost/db',
          QUOTED: 'line one\nline two',
          SINGLE: 'as ${written}',
          OVERRIDE: 'from-config',
        },
      },
    });
    // Input values and the env file's values are secrets, as values read from env are.
    expect(config.secrets).toEqual(
      expect.arrayContaining(['k-123', 'prod', 'postgres://localhost/db', 'line one\nline two']),
    );
    expect(config.secrets).not.toContain('eu-west-1'); // a default is config text
  });

  it('VS Code\'s "dev" (watch, debug) is accepted and ignored; one that is not an object is named', async () => {
    const text = (dev: unknown) =>
      JSON.stringify({ servers: { local: { type: 'stdio', command: 'node', dev } } });
    const config = await loadServersConfig(text({ watch: 'src/**/*.ts' }), { source: 'mcp.json' });
    expect(config.endpoints.map((endpoint) => endpoint.transport)).toEqual([
      { type: 'stdio', command: 'node' },
    ]);
    const error = await loadServersConfig(text('yes'), { source: 'mcp.json' }).catch((e) => e);
    expect(ConfigError.isInstance(error)).toBe(true);
    expect((error as ConfigError).issues).toEqual([
      expect.objectContaining({ path: 'servers.local.dev', found: 'yes' }),
    ]);
  });

  it('asks the resolver for inputs without a value in the environment, once each', async () => {
    const asked: ConfigInput[] = [];
    const config = await load(vscode, {
      env: { DEPLOY: 'prod', MCPMX_INPUT_REGION: 'us-east-2' },
      resolveInput: async (input) => {
        asked.push(input);
        return 'typed-key';
      },
    });
    expect(asked).toEqual([
      {
        id: 'api-key',
        description: 'API key',
        password: true,
        variable: 'MCPMX_INPUT_API_KEY',
      },
    ]);
    expect(config.endpoints[0]?.transport).toMatchObject({
      url: 'https://mcp.example.com/us-east-2/mcp',
      headers: { Authorization: 'Bearer typed-key' },
    });
    expect(config.secrets).toEqual(expect.arrayContaining(['typed-key', 'us-east-2']));
  });

  it('asks only for inputs in use: not for unused ones, nor those of a disabled server', async () => {
    const asked: string[] = [];
    const config = await loadServersConfig(
      {
        inputs: ['used', 'unused', 'off'].map((id) => ({ type: 'promptString', id })),
        servers: {
          on: { command: 'node', args: ['${input:used}'] },
          off: { command: 'node', args: ['${input:off}'], disabled: true },
        },
      },
      {
        resolveInput: (input) => {
          asked.push(input.id);
          return `answer-${input.id}`;
        },
      },
    );
    expect(asked).toEqual(['used']);
    expect(config.endpoints.map((endpoint) => endpoint.transport)).toEqual([
      { type: 'stdio', command: 'node', args: ['answer-used'] },
    ]);
  });

  it('an input with no value is an issue naming the input and its variable', async () => {
    const issues = await issuesOfLoad(vscode, { env: { DEPLOY: 'prod' } });
    const expected =
      'a value for input "api-key": set MCPMX_INPUT_API_KEY, or run where it can be asked for';
    expect(issues).toEqual([
      { path: 'servers.remote.headers.Authorization', expected, found: '${input:api-key}' },
      { path: 'servers.local.args[2]', expected, found: '${input:api-key}' },
    ]);
  });

  it('a missing envFile, an envFile on a URL server, and bad inputs are issues', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-vscode-'));
    try {
      const path = join(dir, 'mcp.json');
      await writeFile(
        path,
        JSON.stringify({
          inputs: [
            { type: 'pickString', id: 'choice', options: ['a'] },
            { type: 'promptString', id: 'dup' },
            { type: 'promptString', id: 'dup' },
          ],
          servers: {
            a: { command: 'node', envFile: 'missing.env' },
            b: { url: 'https://x.example/mcp', envFile: '.env' },
            c: { command: 'node', args: ['${input:nope}', '${workspaceFolder:x}'] },
          },
        }),
      );
      const issues = await issuesOfLoad(path);
      expect(issues).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            path: 'inputs[0].type',
            expected: '"promptString" (the only kind of input mcpmx can ask for)',
          }),
          expect.objectContaining({ path: 'inputs[0].options' }),
          { path: 'inputs[2].id', expected: 'an id not declared before', found: 'dup' },
          {
            path: 'servers.a.envFile',
            expected: `a readable env file (ENOENT ${join(dir, 'missing.env')})`,
            found: 'missing.env',
          },
          expect.objectContaining({ path: 'servers.b.envFile', found: '.env' }),
          {
            path: 'servers.c.args[0]',
            expected: 'an input "nope" declared under "inputs"',
            found: '${input:nope}',
          },
          {
            path: 'servers.c.args[1]',
            expected:
              'a reference of the form ${NAME}, ${NAME:-default}, ${env:NAME} or ${input:ID}',
            found: '${workspaceFolder:x}',
          },
        ]),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('an env file line that is not KEY=value is an issue naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-vscode-'));
    try {
      const path = join(dir, 'mcp.json');
      await writeFile(
        path,
        JSON.stringify({ servers: { a: { command: 'node', envFile: 'bad.env' } } }),
      );
      await writeFile(join(dir, 'bad.env'), 'GOOD=1\nnot a line\n');
      expect(await issuesOfLoad(path)).toEqual([
        {
          path: 'servers.a.envFile',
          expected: `a KEY=value line at line 2 of the env file ${join(dir, 'bad.env')}`,
          found: 'bad.env',
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a config with both mcpServers and servers, or neither, says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-vscode-'));
    try {
      const both = join(dir, 'both.json');
      await writeFile(both, JSON.stringify({ mcpServers: {}, servers: {} }));
      expect(await issuesOfLoad(both)).toEqual([
        {
          path: 'servers',
          expected: 'either "mcpServers" or "servers" (as VS Code names it), not both',
          found: 'both',
        },
      ]);
      const neither = join(dir, 'neither.json');
      await writeFile(neither, JSON.stringify({ inputs: [] }));
      expect(await issuesOfLoad(neither)).toEqual([
        {
          path: 'mcpServers',
          expected: `an object of servers (or "servers", as VS Code's .vscode/mcp.json names it)`,
          found: undefined,
        },
      ]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
