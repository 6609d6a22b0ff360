import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { testServers } from '@mcpmx/tooling-test-servers';
import { generateText, stepCountIs } from 'ai';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAiSdkTools, PROVIDER_TOOL_NAME } from '../src/index.js';
import { call, lastOutputValue, say, scriptedModel, toolOutputs } from './scripted-model.js';

const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };
const fault = (prefix = '') => ({
  command: process.execPath,
  args: [testServers.fault],
  ...(prefix === '' ? {} : { env: { FAULT_TOOL_PREFIX: prefix } }),
});
type Change = { added: string[]; removed: string[] };
/** The next catalog-changed event that satisfies `test`. */
const nextChange = (client: MultiServerClient, test: (change: Change) => boolean) =>
  new Promise<Change>((resolve) => {
    const off = client.on('catalog-changed', (change) => {
      if (!test(change)) return;
      off();
      resolve(change);
    });
  });

describe('the tool set follows the catalog', () => {
  let dir: string;
  let client: MultiServerClient | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-ai-sdk-catalog-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('a server added to the config joins the set, and a removed one leaves it', async () => {
    const path = join(dir, 'mcp.json');
    const writeConfig = (servers: Record<string, unknown>) =>
      writeFile(path, JSON.stringify({ mcpServers: servers }));
    await writeConfig({ first: fault() });
    client = createMultiServerClient({ config: path, pool: testPool });
    await client.start();
    const tools = createAiSdkTools(client);
    const before = tools.tools();
    expect(Object.keys(before)).toContain('echo');
    expect(tools.tools()).toBe(before); // unchanged catalog, same set

    const joined = nextChange(client, (change) => change.added.includes('second'));
    await writeConfig({ first: fault(), second: fault() });
    await joined;
    const both = tools.tools();
    expect(both).not.toBe(before);
    // Both servers offer echo: the holder keeps `echo`, the newcomer is prefixed.
    expect(Object.keys(both)).toEqual(expect.arrayContaining(['echo', 'second__echo']));

    const model = scriptedModel([
      () => [call('second__echo', { message: 'from the newcomer' })],
      (prompt) => [say(String(lastOutputValue(prompt)))],
    ]);
    const served: string[] = [];
    client.on('call-end', (end) => served.push(end.server));
    const result = await generateText({
      model,
      tools: tools.tools(),
      prompt: 'echo through the new server',
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Echo: from the newcomer');
    expect(served).toEqual(['second']);

    const left = nextChange(client, (change) => change.removed.includes('second'));
    await writeConfig({ first: fault() });
    await left;
    expect(Object.keys(tools.tools())).not.toContain('second__echo');

    // A set taken before the change still names the tool: the call is an error the model reads.
    const stale = scriptedModel([
      () => [call('second__echo', { message: 'too late' })],
      (prompt) => [say(JSON.stringify(toolOutputs(prompt)[0]?.output))],
    ]);
    const late = await generateText({
      model: stale,
      tools: both,
      prompt: 'echo',
      stopWhen: stepCountIs(3),
    });
    expect(JSON.parse(late.text)).toEqual({
      type: 'error-text',
      value: 'Unknown tool "second__echo". Did you mean "echo"?',
    });
    const [error] = late.steps[0]?.content.filter((part) => part.type === 'tool-error') ?? [];
    expect(error?.error).toMatchObject({ code: 'MCPMX_UNKNOWN_TOOL' });
  });

  it('federated names longer than providers accept get provider-safe keys that route back', async () => {
    const server = 'inventory-service-for-the-northern-european-warehouses';
    client = createMultiServerClient({
      config: { mcpServers: { [server]: fault('warehouse_stock_level_') } },
      naming: { policy: 'prefix', maxLength: 128 },
      pool: testPool,
    });
    await client.start();
    const federated = `${server}__warehouse_stock_level_echo`;
    expect(client.listTools().map((tool) => tool.name)).toContain(federated);
    const tools = createAiSdkTools(client);
    const key = tools.toolKey(federated);
    expect(key).toMatch(PROVIDER_TOOL_NAME);
    expect(key).not.toBe(federated);
    expect(tools.federatedName(key ?? '')).toBe(federated);
    for (const name of Object.keys(tools.tools())) expect(name).toMatch(PROVIDER_TOOL_NAME);

    const model = scriptedModel([
      () => [call(key ?? '', { message: 'long names' })],
      (prompt) => [say(String(lastOutputValue(prompt)))],
    ]);
    const result = await generateText({
      model,
      tools: tools.tools(),
      prompt: 'echo',
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Echo: long names');
  });
});
