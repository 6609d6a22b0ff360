import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIMessage, type BaseMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { InvalidOptionError, RemoteError } from '@mcpmx/core';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLangChainTools } from '../src/index.js';

const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };
const toolMessages = (messages: BaseMessage[]) =>
  messages.filter((message): message is ToolMessage => ToolMessage.isInstance(message));

describe('a LangGraph prebuilt agent over server-memory and the fault server, through @mcpmx/client', () => {
  let dir: string;
  let client: MultiServerClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-langchain-'));
    client = createMultiServerClient({
      config: {
        mcpServers: {
          memory: {
            command: process.execPath,
            args: [referenceServers.memory],
            env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') },
          },
          fault: { command: process.execPath, args: [testServers.fault] },
        },
      },
      pool: testPool,
    });
    const { failed } = await client.start();
    expect(failed).toEqual([]);
  });
  afterAll(async () => {
    await client?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the model stores an entity in server-memory, reads the graph back and answers from it', async () => {
    const served: string[] = [];
    const off = client.on('call-end', (end) => served.push(`${end.server}:${end.target}`));
    const model = fakeModel()
      .respondWithTools([
        {
          name: 'create_entities',
          args: {
            entities: [
              { name: 'Grace', entityType: 'person', observations: ['found the first bug'] },
            ],
          },
        },
      ])
      .respondWithTools([{ name: 'read_graph', args: {} }])
      .respond((messages) => {
        const graph = JSON.parse(String(toolMessages(messages).at(-1)?.content));
        const grace = graph.entities.find((entity: { name: string }) => entity.name === 'Grace');
        return new AIMessage(`Grace ${grace.observations[0]}.`);
      });
    const agent = createReactAgent({ llm: model, tools: createLangChainTools(client).tools() });
    const { messages } = await agent.invoke({
      messages: [
        { role: 'user', content: 'Remember that Grace found the first bug, then recall her.' },
      ],
    });
    off();
    expect(messages.at(-1)?.content).toBe('Grace found the first bug.');
    expect(served).toEqual(['memory:create_entities', 'memory:read_graph']);
    const [created, read] = toolMessages(messages);
    expect(created?.status).toBe('success');
    expect(read?.artifact).toMatchObject({ content: [{ type: 'text' }] });
    expect(model.callCount).toBe(3);
  });

  it('an isError result is a ToolMessage with status error the model reads; the loop finishes', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'fail', args: { message: 'disk full on /var' } }])
      .respond((messages) => {
        const failure = toolMessages(messages).at(-1);
        return new AIMessage(`${failure?.status}: ${failure?.content}`);
      });
    const agent = createReactAgent({ llm: model, tools: createLangChainTools(client).tools() });
    const { messages } = await agent.invoke({ messages: [{ role: 'user', content: 'fail' }] });
    expect(messages.at(-1)?.content).toBe('error: disk full on /var');
    expect(toolMessages(messages)[0]?.artifact).toMatchObject({ isError: true });
  });

  it("each tool's schema is the MCP tool's JSON Schema, and LangChain validates against it", async () => {
    const echo = createLangChainTools(client)
      .tools()
      .find((tool) => tool.name === 'echo');
    const mcp = client.listTools().find((tool) => tool.name === 'echo');
    expect(echo?.schema).toEqual(mcp?.inputSchema);
    expect(echo?.description).toBe(mcp?.description);
    await expect(echo?.invoke({ message: 42 })).rejects.toThrow(
      'Received tool input did not match expected schema',
    );
  });

  it('invoked with plain arguments: the content, or a RemoteError for an isError result', async () => {
    const tools = createLangChainTools(client).tools();
    const echo = tools.find((tool) => tool.name === 'echo');
    const fail = tools.find((tool) => tool.name === 'fail');
    expect(await echo?.invoke({ message: 'plain' })).toBe('Echo: plain');
    const error = await fail?.invoke({ message: 'no space left' }).catch((caught) => caught);
    expect(RemoteError.isInstance(error)).toBe(true);
    expect(error.message).toBe('tool "fail" reported an error: no space left');
  });

  it('aborting the run mid-call cancels the call on the server', async () => {
    const stats = async () =>
      (await client.callTool('stats')).structuredContent as {
        executions: Record<string, number>;
        cancellations: number;
      };
    const before = await stats();
    const controller = new AbortController();
    // Abort once the server runs the handler (its stats say so), as a user would mid-call.
    const off = client.on('request-start', (event) => {
      if (event.target !== 'slow') return;
      void vi
        .waitFor(
          async () => {
            const now = await stats();
            expect(now.executions.slow ?? 0).toBe((before.executions.slow ?? 0) + 1);
          },
          { timeout: 5000, interval: 20 },
        )
        .then(() => controller.abort(new Error('the user stopped the agent')));
    });
    const model = fakeModel()
      .respondWithTools([{ name: 'slow', args: { ms: 60_000 } }])
      .respond(new AIMessage('done'));
    const agent = createReactAgent({ llm: model, tools: createLangChainTools(client).tools() });
    const started = Date.now();
    await expect(
      agent.invoke(
        { messages: [{ role: 'user', content: 'wait' }] },
        { signal: controller.signal },
      ),
    ).rejects.toThrow('the user stopped the agent');
    off();
    expect(Date.now() - started).toBeLessThan(10_000);
    await vi.waitFor(
      async () => expect((await stats()).cancellations).toBe(before.cancellations + 1),
      { timeout: 5000, interval: 50 },
    );
  });

  it('bad options are an InvalidOptionError naming the option', () => {
    expect(() => createLangChainTools(client, { timeoutMs: 0 })).toThrow(
      'timeoutMs must be a positive number of milliseconds (got 0)',
    );
    expect(() => createLangChainTools({} as MultiServerClient)).toThrow(InvalidOptionError);
  });
});
