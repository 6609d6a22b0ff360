import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { referenceServers } from '@mcpmx/tooling-test-servers';
import { generateText, stepCountIs } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiSdkTools } from '../src/index.js';
import { call, say, scriptedModel, toolOutputs } from './scripted-model.js';

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

  it('get-tiny-image: the model reads the text and the PNG as image-data', async () => {
    const model = scriptedModel([
      () => [call('get-tiny-image', {})],
      (prompt) => {
        const output = toolOutputs(prompt)[0]?.output as {
          type: string;
          value: { type: string; mediaType?: string }[];
        };
        return [say(`${output.type}: ${output.value.map((part) => part.mediaType ?? part.type)}`)];
      },
    ]);
    const result = await generateText({
      model,
      tools: createAiSdkTools(client).tools(),
      prompt: 'Show me the logo.',
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('content: text,image/png,text');
  });

  it('get-structured-content: the app gets structuredContent, the model its text', async () => {
    const model = scriptedModel([
      () => [call('get-structured-content', { location: 'Chicago' })],
      (prompt) => [say(JSON.stringify(toolOutputs(prompt)[0]?.output))],
    ]);
    const result = await generateText({
      model,
      tools: createAiSdkTools(client).tools(),
      prompt: 'Weather in Chicago?',
      stopWhen: stepCountIs(3),
    });
    const weather = { temperature: 36, conditions: 'Light rain / drizzle', humidity: 82 };
    expect(JSON.parse(result.text)).toEqual({ type: 'text', value: JSON.stringify(weather) });
    expect(result.steps[0]?.toolResults[0]?.output).toMatchObject({ structuredContent: weather });
  });
});
