import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { testServers } from '@mcpmx/tooling-test-servers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLangChainTools } from '../src/index.js';

const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };
const fault = { command: process.execPath, args: [testServers.fault] };
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

describe('the tools follow the catalog', () => {
  let dir: string;
  let client: MultiServerClient | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-langchain-catalog-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('a server added to the config joins tools(), an agent calls it; a removed one leaves', async () => {
    const path = join(dir, 'mcp.json');
    const writeConfig = (servers: Record<string, unknown>) =>
      writeFile(path, JSON.stringify({ mcpServers: servers }));
    await writeConfig({ first: fault });
    client = createMultiServerClient({ config: path, pool: testPool });
    await client.start();
    const mcp = createLangChainTools(client);
    const before = mcp.tools();
    expect(mcp.tools()).toBe(before);
    const names = () => mcp.tools().map((tool) => tool.name);
    expect(names()).not.toContain('second__echo');

    const joined = nextChange(client, (change) => change.added.includes('second'));
    await writeConfig({ first: fault, second: fault });
    await joined;
    expect(names()).toEqual(expect.arrayContaining(['echo', 'second__echo']));
    const withSecond = mcp.tools();
    expect(withSecond).not.toBe(before);
    const served: string[] = [];
    client.on('call-end', (end) => served.push(end.server));
    const model = fakeModel()
      .respondWithTools([{ name: 'second__echo', args: { message: 'from the newcomer' } }])
      .respond((messages) => new AIMessage(String(messages.at(-1)?.content)));
    const agent = createReactAgent({ llm: model, tools: withSecond });
    const { messages } = await agent.invoke({ messages: [{ role: 'user', content: 'echo' }] });
    expect(messages.at(-1)?.content).toBe('Echo: from the newcomer');
    expect(served).toEqual(['second']);

    const left = nextChange(client, (change) => change.removed.includes('second'));
    await writeConfig({ first: fault });
    await left;
    expect(names()).not.toContain('second__echo');

    // The agent built before still offers the tool: the call fails, and the model reads why.
    const stale = fakeModel()
      .respondWithTools([{ name: 'second__echo', args: { message: 'too late' } }])
      .respond((messages) => new AIMessage(String(messages.at(-1)?.content)));
    const staleAgent = createReactAgent({ llm: stale, tools: withSecond });
    const late = await staleAgent.invoke({ messages: [{ role: 'user', content: 'echo' }] });
    const failure = late.messages.filter((message) => ToolMessage.isInstance(message)).at(-1);
    expect((failure as ToolMessage | undefined)?.status).toBe('error');
    expect(late.messages.at(-1)?.content).toContain(
      'Unknown tool "second__echo". Did you mean "echo"?',
    );
  });
});
