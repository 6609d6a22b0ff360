import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { generateText, stepCountIs } from 'ai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAiSdkTools } from '../src/index.js';
import { call, lastOutputValue, say, scriptedModel, toolOutputs } from './scripted-model.js';

const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };

describe('an AI SDK agent loop over server-memory and the fault server, through @mcpmx/client', () => {
  let dir: string;
  let client: MultiServerClient;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-ai-sdk-'));
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
    const tools = createAiSdkTools(client);
    const served: string[] = [];
    const off = client.on('call-end', (end) => served.push(`${end.server}:${end.target}`));
    const model = scriptedModel([
      () => [
        call('create_entities', {
          entities: [
            { name: 'Ada', entityType: 'person', observations: ['wrote the first program'] },
          ],
        }),
      ],
      () => [call('read_graph', {})],
      (prompt) => {
        const graph = String(lastOutputValue(prompt));
        const ada = JSON.parse(graph).entities.find(
          (entity: { name: string }) => entity.name === 'Ada',
        );
        return [say(`Ada ${ada.observations[0]}.`)];
      },
    ]);
    const result = await generateText({
      model,
      tools: tools.tools(),
      prompt: 'Remember that Ada wrote the first program, then tell me what you know about her.',
      stopWhen: stepCountIs(5),
    });
    off();
    expect(result.text).toBe('Ada wrote the first program.');
    expect(result.steps).toHaveLength(3);
    expect(served).toEqual(['memory:create_entities', 'memory:read_graph']);
    // The app gets the MCP result itself; the model got its text.
    const [created] = result.steps[0]?.toolResults ?? [];
    expect(created?.dynamic).toBe(true);
    expect(created?.output).toMatchObject({ content: [{ type: 'text' }] });
  });

  it('an isError result reaches the model as error-text, and the loop goes on to an answer', async () => {
    const tools = createAiSdkTools(client);
    const model = scriptedModel([
      () => [call('fail', { message: 'disk full on /var' })],
      (prompt) => {
        const [failure] = toolOutputs(prompt);
        return [say(`The tool failed: ${JSON.stringify(failure?.output)}`)];
      },
    ]);
    const result = await generateText({
      model,
      tools: tools.tools(),
      prompt: 'Run the failing tool.',
      stopWhen: stepCountIs(5),
    });
    expect(result.text).toBe('The tool failed: {"type":"error-text","value":"disk full on /var"}');
    expect(result.steps[0]?.toolResults[0]?.output).toMatchObject({ isError: true });
  });

  it('aborting the run mid-call cancels the call on the server', async () => {
    const tools = createAiSdkTools(client);
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
    const ends: string[] = [];
    const offEnd = client.on('call-end', (end) => {
      if (end.target === 'slow') ends.push(`${end.target}:${end.outcome}`);
    });
    const model = scriptedModel([() => [call('slow', { ms: 60_000 })], () => [say('done')]]);
    const started = Date.now();
    await expect(
      generateText({
        model,
        tools: tools.tools(),
        prompt: 'Take your time.',
        abortSignal: controller.signal,
        stopWhen: stepCountIs(5),
      }),
    ).rejects.toThrow('the user stopped the agent');
    off();
    offEnd();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(ends).toEqual(['slow:cancelled']);
    // The server saw notifications/cancelled and stopped the handler.
    await vi.waitFor(
      async () => {
        expect((await stats()).cancellations).toBe(before.cancellations + 1);
      },
      { timeout: 5000, interval: 50 },
    );
  });
});
