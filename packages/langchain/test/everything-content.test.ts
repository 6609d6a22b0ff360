import { AIMessage, ToolMessage } from '@langchain/core/messages';
import { fakeModel } from '@langchain/core/testing';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLangChainTools } from '../src/index.js';

const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };

describe('images and structured content from server-everything reach the model', () => {
  let client: MultiServerClient;
  beforeAll(async () => {
    client = createMultiServerClient({
      config: {
        mcpServers: {
          everything: { command: process.execPath, args: [referenceServers.everything, 'stdio'] },
        },
      },
      pool: testPool,
    });
    const { failed } = await client.start();
    expect(failed).toEqual([]);
  });
  afterAll(async () => {
    await client?.close();
  });

  it('get-tiny-image: the ToolMessage carries text and a standard image block', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'get-tiny-image', args: {} }])
      .respond((messages) => {
        const content = messages.at(-1)?.content as { type: string; mimeType?: string }[];
        return new AIMessage(content.map((block) => block.mimeType ?? block.type).join(','));
      });
    const agent = createReactAgent({ llm: model, tools: createLangChainTools(client).tools() });
    const { messages } = await agent.invoke({ messages: [{ role: 'user', content: 'logo' }] });
    expect(messages.at(-1)?.content).toBe('text,image/png,text');
  });

  it('get-structured-content: the model reads the text, the artifact has structuredContent', async () => {
    const model = fakeModel()
      .respondWithTools([{ name: 'get-structured-content', args: { location: 'Chicago' } }])
      .respond((messages) => new AIMessage(String(messages.at(-1)?.content)));
    const agent = createReactAgent({ llm: model, tools: createLangChainTools(client).tools() });
    const { messages } = await agent.invoke({ messages: [{ role: 'user', content: 'Chicago?' }] });
    const weather = { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 };
    expect(JSON.parse(String(messages.at(-1)?.content))).toEqual(weather);
    const tool = messages.find((message) => ToolMessage.isInstance(message)) as ToolMessage;
    expect(tool.artifact).toMatchObject({ structuredContent: weather });
  });
});
