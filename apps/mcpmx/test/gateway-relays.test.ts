import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type GatewayProcess, startGatewayProcess } from './gateway-process.js';
import { cliPath } from './run-cli.js';

const CONFIG = {
  mcpServers: {
    everything: { command: process.execPath, args: [referenceServers.everything, 'stdio'] },
  },
};
const ADVERTISE = ['--advertise', 'elicitation,sampling,roots'];
const ALL = { elicitation: { form: {} }, sampling: {}, roots: {} };

type Capabilities = ConstructorParameters<typeof Client>[1] extends infer O
  ? O extends { capabilities?: infer C }
    ? C
    : never
  : never;

const texts = (result: { content?: unknown }) =>
  ((result.content ?? []) as { type: string; text?: string }[])
    .map((part) => part.text ?? '')
    .join('\n');

const DOWNSTREAM_ROOTS = [{ uri: 'file:///tmp/downstream-root', name: 'downstream' }];

/** A downstream SDK client with elicitation, sampling and roots handlers (as its capabilities say). */
function downstream(
  name: string,
  capabilities: Capabilities = ALL,
  roots: { uri: string; name?: string }[] = DOWNSTREAM_ROOTS,
) {
  const sdk = new Client({ name, version: '0.0.0' }, { capabilities });
  const asked: { method: string; params: unknown }[] = [];
  if (capabilities?.elicitation) {
    sdk.setRequestHandler('elicitation/create', async (request) => {
      asked.push({ method: request.method, params: request.params });
      return { action: 'accept', content: { name: 'Ada Lovelace', check: true } };
    });
  }
  if (capabilities?.sampling) {
    sdk.setRequestHandler('sampling/createMessage', async (request) => {
      asked.push({ method: request.method, params: request.params });
      return {
        model: 'downstream-model',
        role: 'assistant',
        content: { type: 'text', text: 'sampled downstream' },
      };
    });
  }
  if (capabilities?.roots) {
    sdk.setRequestHandler('roots/list', async (request) => {
      asked.push({ method: request.method, params: request.params });
      return { roots };
    });
  }
  return { sdk, asked };
}

/** Waits (bounded) until the gateway lists `tool`: server-everything adds it after initialize. */
async function waitForTool(sdk: Client, tool: string) {
  await expect
    .poll(async () => (await sdk.listTools()).tools.map((entry) => entry.name), {
      timeout: 15_000,
      interval: 100,
    })
    .toContain(tool);
}

/** The relays every transport must pass: elicitation, sampling, roots, and a decline. */
async function checkRelays(
  open: (name: string, capabilities?: Capabilities) => Promise<ReturnType<typeof downstream>>,
) {
  const { sdk, asked } = await open('relay-test');
  await waitForTool(sdk, 'trigger-elicitation-request');
  const elicited = await sdk.callTool({ name: 'trigger-elicitation-request', arguments: {} });
  expect(asked.map((entry) => entry.method)).toContain('elicitation/create');
  expect(texts(elicited)).toContain('Ada Lovelace');

  await waitForTool(sdk, 'trigger-sampling-request');
  const sampled = await sdk.callTool({
    name: 'trigger-sampling-request',
    arguments: { prompt: 'hello model' },
  });
  expect(texts(sampled)).toContain('sampled downstream');
  const samplingRequest = asked.find((entry) => entry.method === 'sampling/createMessage');
  expect(JSON.stringify(samplingRequest?.params)).toContain('hello model');

  await waitForTool(sdk, 'get-roots-list');
  await expectUpstreamRoots(sdk, ['file:///tmp/downstream-root']);
}

/**
 * Waits (bounded) until server-everything's get-roots-list shows exactly `uris`: the roots it
 * asked for outside any call, which the gateway answers from its downstream clients' roots and
 * announces (roots list_changed) when they change.
 */
async function expectUpstreamRoots(sdk: Client, uris: string[]) {
  await expect
    .poll(
      async () => {
        const listed = texts(await sdk.callTool({ name: 'get-roots-list', arguments: {} }));
        return [...listed.matchAll(/file:\/\/\S+/g)].map((match) => match[0]).sort();
      },
      { timeout: 15_000, interval: 100 },
    )
    .toEqual([...uris].sort());
}

describe('the gateway relays server requests to the downstream client of the call', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-relays-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('over Streamable HTTP (mcpmx serve --http, the built bin)', () => {
    let gateway: GatewayProcess | undefined;
    const sdks: Client[] = [];
    afterEach(async () => {
      for (const sdk of sdks.splice(0)) await sdk.close().catch(() => undefined);
      await gateway?.close();
      gateway = undefined;
    });
    const open = async (
      name: string,
      capabilities?: Capabilities,
      roots?: { uri: string; name?: string }[],
    ) => {
      const client = downstream(name, capabilities, roots);
      sdks.push(client.sdk);
      await client.sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway?.url}/mcp`)));
      return client;
    };

    it('elicitation, sampling and roots reach the session that called, and come back', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG, ADVERTISE);
      await checkRelays(open);
    });

    it('roots asked outside a call are those every session lists, and widen when one leaves', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG, ADVERTISE);
      const a = await open('roots-a', ALL, [
        { uri: 'file:///tmp/a' },
        { uri: 'file:///tmp/shared' },
      ]);
      await waitForTool(a.sdk, 'get-roots-list');
      await expectUpstreamRoots(a.sdk, ['file:///tmp/a', 'file:///tmp/shared']);
      const b = await open('roots-b', ALL, [
        { uri: 'file:///tmp/shared' },
        { uri: 'file:///tmp/b' },
      ]);
      await expectUpstreamRoots(a.sdk, ['file:///tmp/shared']);
      // A session without roots does not narrow them.
      await open('no-roots', { sampling: {} });
      await expectUpstreamRoots(b.sdk, ['file:///tmp/shared']);
      // b ends its session (DELETE): only a's roots count again.
      await (b.sdk.transport as StreamableHTTPClientTransport).terminateSession();
      await expectUpstreamRoots(a.sdk, ['file:///tmp/a', 'file:///tmp/shared']);
    });

    it('a session without elicitation gets nothing: the upstream hears a decline', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG, ADVERTISE);
      const { sdk, asked } = await open('no-elicitation', { sampling: {} });
      await waitForTool(sdk, 'trigger-elicitation-request');
      const result = await sdk.callTool({ name: 'trigger-elicitation-request', arguments: {} });
      expect(texts(result)).toMatch(/declined/i);
      expect(asked).toEqual([]);
    });

    it('a downstream cancel of the call cancels the relayed request downstream', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG, ADVERTISE);
      const sdk = new Client({ name: 'cancel-test', version: '0.0.0' }, { capabilities: ALL });
      sdks.push(sdk);
      let askedResolve: () => void = () => undefined;
      const askedOnce = new Promise<void>((resolve) => {
        askedResolve = resolve;
      });
      let abortedResolve: () => void = () => undefined;
      const aborted = new Promise<void>((resolve) => {
        abortedResolve = resolve;
      });
      sdk.setRequestHandler('elicitation/create', (_request, ctx) => {
        askedResolve();
        return new Promise((_, reject) => {
          ctx.mcpReq.signal.addEventListener('abort', () => {
            abortedResolve();
            reject(new Error('cancelled'));
          });
        });
      });
      await sdk.connect(new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`)));
      await waitForTool(sdk, 'trigger-elicitation-request');
      const aborter = new AbortController();
      const call = sdk.callTool(
        { name: 'trigger-elicitation-request', arguments: {} },
        { signal: aborter.signal },
      );
      await askedOnce;
      aborter.abort('changed my mind');
      await expect(call).rejects.toThrow();
      // The gateway's call ended, so the handler's signal aborted the relayed elicitation.
      await aborted;
      // And the gateway keeps serving the session.
      expect((await sdk.listTools()).tools.length).toBeGreaterThan(0);
    });

    it('without --advertise, upstreams are promised what the open sessions declared: a sampling session brings the sampling tool, and it leaves with it', {
      timeout: 90_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG, []);
      const names = async (sdk: Client) => (await sdk.listTools()).tools.map((tool) => tool.name);
      // A session that declares nothing: upstreams are promised nothing.
      const plain = await open('plain', {});
      const listed = await names(plain.sdk);
      expect(listed).toContain('echo');
      expect(listed).not.toContain('trigger-sampling-request');
      expect(listed).not.toContain('trigger-elicitation-request');

      // A session that samples: its initialize is answered once the upstreams were renewed, so
      // its first tools/list already has the sampling tool, and the call is relayed to it.
      const sampler = await open('sampler', { sampling: {} });
      const first = await names(sampler.sdk);
      expect(first).toContain('trigger-sampling-request');
      expect(first).not.toContain('trigger-elicitation-request');
      const sampled = await sampler.sdk.callTool({
        name: 'trigger-sampling-request',
        arguments: { prompt: 'hello union' },
      });
      expect(texts(sampled)).toContain('sampled downstream');
      expect(sampler.asked.map((entry) => entry.method)).toEqual(['sampling/createMessage']);
      expect(JSON.stringify(sampler.asked[0]?.params)).toContain('hello union');

      // The sampler ends its session: after the (debounced) renewal, no upstream is promised
      // sampling, so the tool leaves the catalog the plain session sees.
      await (sampler.sdk.transport as StreamableHTTPClientTransport).terminateSession();
      await expect
        .poll(async () => names(plain.sdk), { timeout: 30_000, interval: 200 })
        .not.toContain('trigger-sampling-request');
      expect(await names(plain.sdk)).toContain('echo');
      expect(gateway.output()).not.toMatch(/could not tell the upstreams/);
    });

    it('without --advertise, a session that declares roots brings the roots tool, and the upstream gets its roots', {
      timeout: 60_000,
    }, async () => {
      gateway = await startGatewayProcess(CONFIG, []);
      const { sdk } = await open('roots-only', { roots: {} }, [{ uri: 'file:///tmp/union-root' }]);
      const names = (await sdk.listTools()).tools.map((tool) => tool.name);
      expect(names).toContain('get-roots-list');
      expect(names).not.toContain('trigger-sampling-request');
      await expectUpstreamRoots(sdk, ['file:///tmp/union-root']);
    });
  });

  it('over stdio (mcpmx serve, the built bin)', { timeout: 60_000 }, async () => {
    const config = join(dir, 'mcp.json');
    await writeFile(config, JSON.stringify(CONFIG));
    const sdks: Client[] = [];
    try {
      await checkRelays(async (name, capabilities) => {
        const client = downstream(name, capabilities);
        sdks.push(client.sdk);
        await client.sdk.connect(
          new StdioClientTransport({
            command: process.execPath,
            args: [cliPath, 'serve', '--config', config, ...ADVERTISE],
            stderr: 'pipe',
          }),
        );
        return client;
      });
    } finally {
      for (const sdk of sdks) await sdk.close();
    }
  });
});

describe('over stdio, upstreams are told what the downstream client declared (no --advertise)', () => {
  let dir: string;
  let config: string;
  const sdks: Client[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-advertise-'));
    config = join(dir, 'mcp.json');
    await writeFile(config, JSON.stringify(CONFIG));
  });
  afterEach(async () => {
    for (const sdk of sdks.splice(0)) await sdk.close().catch(() => undefined);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const open = async (name: string, capabilities: Capabilities, args: string[] = []) => {
    const client = downstream(name, capabilities);
    sdks.push(client.sdk);
    await client.sdk.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [cliPath, 'serve', '--config', config, ...args],
        stderr: 'pipe',
      }),
    );
    return client;
  };
  const names = async (sdk: Client) => (await sdk.listTools()).tools.map((tool) => tool.name);

  it('a client without sampling: the upstream is not told sampling, so its sampling tool is absent', {
    timeout: 60_000,
  }, async () => {
    const { sdk } = await open('form-only', { elicitation: { form: {} } });
    // server-everything adds its capability tools together, once initialized.
    await waitForTool(sdk, 'trigger-elicitation-request');
    const listed = await names(sdk);
    expect(listed).not.toContain('trigger-sampling-request');
    expect(listed).not.toContain('get-roots-list');
    // Form mode only: the upstream was not told url mode either.
    expect(listed).not.toContain('trigger-url-elicitation');
  });

  it('a client with sampling: the upstream is told, and its sampling request is relayed', {
    timeout: 60_000,
  }, async () => {
    const { sdk, asked } = await open('sampler', { sampling: {} });
    await waitForTool(sdk, 'trigger-sampling-request');
    const sampled = await sdk.callTool({
      name: 'trigger-sampling-request',
      arguments: { prompt: 'hello from below' },
    });
    expect(texts(sampled)).toContain('sampled downstream');
    expect(asked.map((entry) => entry.method)).toEqual(['sampling/createMessage']);
    expect(await names(sdk)).not.toContain('trigger-elicitation-request');
  });

  it('--advertise overrides what the client declared', { timeout: 60_000 }, async () => {
    const { sdk } = await open('overridden', { sampling: {} }, ['--advertise', 'elicitation']);
    await waitForTool(sdk, 'trigger-elicitation-request');
    expect(await names(sdk)).not.toContain('trigger-sampling-request');
  });
});
