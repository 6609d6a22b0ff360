import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import {
  type InputRequiredServer,
  referenceServers,
  startInputRequiredServer,
} from '@mcpmx/tooling-test-servers';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type HttpGateway, startHttpGateway } from '../src/http-gateway.js';
import { cliPath } from './run-cli.js';

const texts = (result: { content?: unknown }) =>
  ((result.content ?? []) as { text?: string }[]).map((part) => part.text ?? '').join('\n');

/** A raw 2026-07-28 tools/call to the gateway (envelope, routing headers), its JSON answer. */
async function modernCall(url: string, name: string, extra: Record<string, unknown> = {}) {
  const response = await fetch(`${url}/mcp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json, text/event-stream',
      'mcp-protocol-version': '2026-07-28',
      'mcp-method': 'tools/call',
      'mcp-name': name,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: {
        name,
        arguments: { env: 'staging' },
        _meta: {
          'io.modelcontextprotocol/protocolVersion': '2026-07-28',
          'io.modelcontextprotocol/clientCapabilities': { elicitation: {} },
          'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '0.0.0' },
        },
        ...extra,
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
