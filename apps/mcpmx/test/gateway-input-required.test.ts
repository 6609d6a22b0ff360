import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import {
  type InputRequiredServer,
  referenceServers,
  startInputRequiredServer,
} from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { cliPath } from './run-cli.js';

const texts = (result: { content?: unknown }) =>
  ((result.content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('\n');

/** A raw 2026-07-28 tools/call to the gateway (envelope, routing headers), its JSON answer. */
const modernCall = (url: string, name: string, extra: Record<string, unknown> = {}) =>
  modernRequest(url, 'tools/call', name, { name, arguments: { env: 'staging' }, ...extra });

/** A raw 2026-07-28 request to the gateway (envelope, routing headers), its JSON answer. */
async function modernRequest(
  url: string,
  method: string,
  routingName: string,
  params: Record<string, unknown>,
) {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': method,
      'mcp-name': routingName,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method,
      params: {
        ...params,
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '0.0.0' },
        },
      },
    }),
  });
  const text = await response.text();
  // JSON, or one SSE event carrying it.
  const json = text.startsWith('{') ? text : (/^data: (.*)$/m.exec(text)?.[1] ?? text);
  return JSON.parse(json) as {
    result?: {
      resultType?: string;
      requestState?: string;
      inputRequests?: Record<string, unknown>;
      content?: unknown;
    };
    error?: { code: number; message: string };
  };
}

describe('2026-07-28 input_required through the gateway (MRTR)', () => {
  let upstream: InputRequiredServer;
  let client: MultiServerClient | undefined;
  let gateway: HttpGateway | undefined;
  let downstream: MultiServerClient | undefined;
  beforeAll(async () => {
    upstream = await startInputRequiredServer('a');
  });
  afterAll(async () => {
    await upstream?.close();
  });
  afterEach(async () => {
    await downstream?.close();
    await gateway?.close();
    await client?.close();
    downstream = undefined;
    gateway = undefined;
    client = undefined;
  });

  const start = async () => {
    client = createMultiServerClient({
      endpoints: [
        { id: 'mrtr#a', server: 'mrtr', transport: { type: 'streamable-http', url: upstream.url } },
      ],
      pool: { healthCheckIntervalMs: 0 },
      advertise: { elicitation: true, sampling: true, roots: true },
    });
    await client.start();
    gateway = await startHttpGateway({ client, dashboard: false });
    return gateway;
  };

  it('an upstream input_required goes down; the downstream retry goes back to the same call', async () => {
    const { url } = await start();
    const asked: string[] = [];
    downstream = createMultiServerClient({
      endpoints: [
        {
          id: 'gateway#0',
          server: 'gateway',
          transport: { type: 'streamable-http', url: `${url}/mcp` },
        },
      ],
      pool: { healthCheckIntervalMs: 0, protocol: '2026-07-28' },
      onElicitation: (request) => {
        asked.push(request.message);
        return { action: 'accept', content: { confirm: true } };
      },
      roots: [{ uri: 'file:///srv/down' }],
      onSampling: () => ({
        role: 'assistant',
        model: 'm',
        content: { type: 'text', text: 'from below' },
      }),
    });
    await downstream.start();
    const before = upstream.legs;
    expect(texts(await downstream.callTool('deploy', { env: 'prod' }))).toBe(
      'deployed to prod by a (no note)',
    );
    expect(asked).toEqual(['Deploy to prod?']);
    // Two legs upstream, on the one replica, whose own requestState came back to it intact.
    expect(upstream.legs - before).toBe(2);
    expect(upstream.foreignStates).toBe(0);
    expect(texts(await downstream.callTool('where-am-i', {}))).toBe('file:///srv/down');
    expect(texts(await downstream.callTool('think', { prompt: 'meaning?' }))).toBe(
      'model said: from below',
    );
  });

  it('refuses a requestState it did not sign, or one edited, and accepts its own', async () => {
    const { url } = await start();
    const forged = await modernCall(url, 'deploy', { requestState: 'forged', inputResponses: {} });
    expect(forged.error?.message).toMatch(/requestState was not issued by this gateway/);

    const first = await modernCall(url, 'deploy');
    expect(first.result?.resultType).toBe('input_required');
    const state = first.result?.requestState ?? '';
    const [key] = Object.keys(first.result?.inputRequests ?? {});
    const answer = { [key ?? '']: { action: 'accept', content: { confirm: true, note: 'ok' } } };
    const [payload, mac] = state.split('.');
    const edited = Buffer.from(payload ?? '', 'base64url')
      .toString()
      .replace('"mrtr"', '"other"');
    const tampered = await modernCall(url, 'deploy', {
      requestState: `${Buffer.from(edited).toString('base64url')}.${mac}`,
      inputResponses: answer,
    });
    expect(tampered.error?.message).toMatch(/requestState was not issued by this gateway/);

    const done = await modernCall(url, 'deploy', { requestState: state, inputResponses: answer });
    expect(texts(done.result ?? {})).toBe('deployed to staging by a (ok)');
    // The call it named has ended: the same state again is refused, naming why.
    const again = await modernCall(url, 'deploy', { requestState: state, inputResponses: answer });
    expect(again.error?.message).toMatch(/has ended/);
  });

  it('over stdio too (mcpmx serve, the built bin, a 2026-07-28 client)', {
    timeout: 60_000,
  }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mcpmx-mrtr-'));
    try {
      const config = join(dir, 'mcp.json');
      await writeFile(config, JSON.stringify({ mcpServers: { mrtr: { url: upstream.url } } }));
      downstream = createMultiServerClient({
        endpoints: [
          {
            id: 'gateway#0',
            server: 'gateway',
            transport: {
              type: 'stdio',
              command: process.execPath,
              args: [cliPath, 'serve', '--config', config, '--advertise', 'elicitation'],
            },
          },
        ],
        // Pinned: the 2025-11-25 relay would answer this too, through a server request.
        pool: { healthCheckIntervalMs: 0, protocol: '2026-07-28' },
        onElicitation: () => ({ action: 'accept', content: { confirm: true, note: 'stdio' } }),
      });
      await downstream.start();
      expect(texts(await downstream.callTool('deploy', { env: 'dev' }))).toBe(
        'deployed to dev by a (stdio)',
      );
    } finally {
      await downstream?.close();
      downstream = undefined;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a 2025-11-25 upstream's elicitation request reaches a 2026-07-28 client as input_required", {
    timeout: 60_000,
  }, async () => {
    client = createMultiServerClient({
      endpoints: [
        {
          id: 'everything#0',
          server: 'everything',
          transport: {
            type: 'stdio',
            command: process.execPath,
            args: [referenceServers.everything, 'stdio'],
          },
        },
      ],
      pool: { healthCheckIntervalMs: 0 },
      advertise: { elicitation: true },
    });
    await client.start();
    gateway = await startHttpGateway({ client, dashboard: false });
    const asked: string[] = [];
    downstream = createMultiServerClient({
      endpoints: [
        {
          id: 'gateway#0',
          server: 'gateway',
          transport: { type: 'streamable-http', url: `${gateway.url}/mcp` },
        },
      ],
      pool: { healthCheckIntervalMs: 0, protocol: '2026-07-28' },
      refreshDebounceMs: 10,
      onElicitation: (request) => {
        asked.push(request.message);
        return { action: 'accept', content: { name: 'Grace Hopper', check: true } };
      },
    });
    await downstream.start();
    // server-everything adds the tool once it has seen the gateway advertise elicitation.
    await expect
      .poll(() => downstream?.catalog().resolveTool('trigger-elicitation-request') !== undefined, {
        timeout: 15_000,
      })
      .toBe(true);
    const result = await downstream.callTool('trigger-elicitation-request', {});
    expect(texts(result)).toContain('Grace Hopper');
    expect(asked).toHaveLength(1);
  });
});

/** A 2026-07-28 SDK v2 client that can elicit and sample, and what it was asked. */
function modernSdkClient() {
  const sdk = new Client(
    { name: 'modern-sdk', version: '0.0.0' },
    {
      capabilities: { elicitation: { form: {} }, sampling: {} },
      versionNegotiation: { mode: { pin: '2026-07-28' } },
    },
  );
  const asked: string[] = [];
  sdk.setRequestHandler('elicitation/create', async (request) => {
    asked.push(`elicit: ${(request.params as { message?: string }).message}`);
    return { action: 'accept', content: { confirm: true, note: 'sdk' } };
  });
  sdk.setRequestHandler('sampling/createMessage', async () => {
    asked.push('sample');
    return { model: 'm', role: 'assistant', content: { type: 'text', text: 'calm seas' } };
  });
  return { sdk, asked };
}

/** A resource read and a prompt get whose upstream asks for input, through the gateway. */
async function readAndGet(sdk: Client, asked: string[], upstream: InputRequiredServer) {
  const before = upstream.legs;
  const read = await sdk.readResource({ uri: 'mrtr://vault' });
  expect(read.contents).toEqual([{ uri: 'mrtr://vault', text: 'a vault opened (sdk)' }]);
  const prompt = await sdk.getPrompt({ name: 'briefing', arguments: { topic: 'ops' } });
  expect(prompt.messages[0]?.content).toEqual({
    type: 'text',
    text: 'briefing on ops by a: calm seas',
  });
  expect(asked).toEqual(['elicit: Open the vault?', 'sample']);
  // Two legs upstream each, whose own requestState came back to the same server intact.
  expect(upstream.legs - before).toBe(4);
  expect(upstream.foreignStates).toBe(0);
}

describe('2026-07-28 input_required on resources/read and prompts/get through the gateway', () => {
  let upstream: InputRequiredServer;
  let dir: string;
  let config: string;
  const CONFIG = () => ({ mcpServers: { mrtr: { url: upstream.url } } });
  beforeAll(async () => {
    upstream = await startInputRequiredServer('a');
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-mrtr-read-'));
    config = join(dir, 'mcp.json');
    await writeFile(config, JSON.stringify(CONFIG()));
  });
  afterAll(async () => {
    await upstream?.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('over Streamable HTTP (mcpmx serve --http, the built bin)', () => {
    let gateway: GatewayProcess | undefined;
    let sdk: Client | undefined;
    afterEach(async () => {
      await sdk?.close();
      await gateway?.close();
      sdk = undefined;
      gateway = undefined;
    });

    it('the upstream input_required goes down, and the retry continues the same read or get', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG(), ['--advertise', 'elicitation,sampling']);
      const client = modernSdkClient();
      sdk = client.sdk;
      await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
      await readAndGet(sdk, client.asked, upstream);
    });

    it('refuses a requestState it did not sign on a read or a get, and accepts its own', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG(), ['--advertise', 'elicitation,sampling']);
      const read = (extra: Record<string, unknown> = {}) =>
        modernRequest(gateway?.url ?? '', 'resources/read', 'mrtr://vault', {
          uri: 'mrtr://vault',
          ...extra,
        });
      const forgedRead = await read({ requestState: 'forged', inputResponses: {} });
      expect(forgedRead.error?.message).toMatch(
        /requestState was not issued by this gateway .*read the resource again without it/,
      );
      const forgedGet = await modernRequest(gateway.url, 'prompts/get', 'briefing', {
        name: 'briefing',
        arguments: { topic: 'x' },
        requestState: `${Buffer.from('{"call":"x"}').toString('base64url')}.AAAA`,
        inputResponses: {},
      });
      expect(forgedGet.error?.message).toMatch(/requestState was not issued by this gateway/);

      const first = await read();
      expect(first.result?.resultType).toBe('input_required');
      const state = first.result?.requestState ?? '';
      // The gateway's own state, not the upstream's (which names the upstream server).
      expect(state).not.toContain('a:vault');
      const [key] = Object.keys(first.result?.inputRequests ?? {});
      const answer = { [key ?? '']: { action: 'accept', content: { confirm: true, note: 'raw' } } };
      const done = await read({ requestState: state, inputResponses: answer });
      expect(done.result).toMatchObject({
        contents: [{ uri: 'mrtr://vault', text: 'a vault opened (raw)' }],
      });
      const again = await read({ requestState: state, inputResponses: answer });
      expect(again.error?.message).toMatch(/resources\/read this requestState continues has ended/);
    });
  });

  it('over stdio too (mcpmx serve, the built bin)', { timeout: 60_000 }, async () => {
    const { sdk, asked } = modernSdkClient();
    try {
      await sdk.connect(
        new StdioClientTransport({
          command: process.execPath,
          args: [cliPath, 'serve', '--config', config, '--advertise', 'elicitation,sampling'],
          stderr: 'pipe',
        }),
      );
      await readAndGet(sdk, asked, upstream);
    } finally {
      await sdk.close();
    }
  });
});
