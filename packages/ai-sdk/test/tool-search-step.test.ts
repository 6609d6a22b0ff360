import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMultiServerClient, type MultiServerClient } from '@mcpmx/client';
import { InvalidOptionError } from '@mcpmx/core';
import { referenceServers, testServers } from '@mcpmx/tooling-test-servers';
import { generateText, stepCountIs } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAiSdkTools, createToolSearchStep, type ToolSearch } from '../src/index.js';
import { call, lastOutputValue, say, scriptedModel } from './scripted-model.js';

const testPool = { backoff: { initialMs: 20, maxMs: 200 }, healthCheckIntervalMs: 0 };

describe('createToolSearchStep: each step gets only the tools the search ranks', () => {
  let dir: string;
  let client: MultiServerClient;
  // A stand-in for client.searchTools: tools whose name or description shares a word with the
  // query, most shared words first.
  const search: ToolSearch = (query, limit) => {
    const words = new Set(query.toLowerCase().match(/[a-z]{3,}/g) ?? []);
    return client
      .listTools()
      .map((tool) => {
        const text = `${tool.name.replace(/[_-]/g, ' ')} ${tool.description ?? ''}`.toLowerCase();
        const score = (text.match(/[a-z]{3,}/g) ?? []).filter((word) => words.has(word)).length;
        return { name: tool.name, score };
      })
      .filter((hit) => hit.score > 0)
      .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name))
      .slice(0, limit)
      .map((hit) => hit.name);
  };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mcpmx-ai-sdk-search-'));
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
    await client.start();
  });
  afterAll(async () => {
    await client?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('the model sees the searched tools, calls one, and the loop finishes', async () => {
    const tools = createAiSdkTools(client);
    const seen: string[][] = [];
    const model = scriptedModel([
      () => [call('echo', { message: 'found by search' })],
      (prompt) => [say(String(lastOutputValue(prompt)))],
    ]);
    const original = model.doGenerate;
    model.doGenerate = (options) => {
      seen.push((options.tools ?? []).map((tool) => tool.name).sort());
      return original(options);
    };
    const result = await generateText({
      model,
      tools: tools.tools(),
      prepareStep: createToolSearchStep(tools, { search, limit: 2 }),
      prompt: 'Echo my message back to me',
      stopWhen: stepCountIs(3),
    });
    expect(result.text).toBe('Echo: found by search');
    expect(Object.keys(tools.tools()).length).toBeGreaterThan(10);
    expect(seen).toHaveLength(2);
    for (const step of seen) {
      expect(step).toHaveLength(2);
      expect(step).toContain('echo');
    }
  });

  it('alwaysActive tools join every step; names the catalog lacks are left out', async () => {
    const tools = createAiSdkTools(client);
    const step = createToolSearchStep(tools, {
      search: () => ['read_graph', 'no_such_tool'],
      alwaysActive: ['stats', 'gone_tool'],
    });
    const prepared = await step({
      steps: [],
      stepNumber: 0,
      model: scriptedModel([]),
      messages: [{ role: 'user', content: [{ type: 'text', text: 'what do you remember?' }] }],
      experimental_context: undefined,
    });
    expect(prepared).toEqual({ activeTools: ['stats', 'read_graph'] });
  });

  it('a step with no query gets every tool; the query and limit reach the search', async () => {
    const tools = createAiSdkTools(client);
    const asked: [string, number][] = [];
    const step = createToolSearchStep(tools, {
      search: (query, limit) => {
        asked.push([query, limit]);
        return ['echo'];
      },
      query: ({ stepNumber }) => (stepNumber === 0 ? '' : `step ${stepNumber}`),
    });
    const base = {
      steps: [],
      model: scriptedModel([]),
      messages: [],
      experimental_context: undefined,
    };
    expect(await step({ ...base, stepNumber: 0 })).toEqual({});
    expect(await step({ ...base, stepNumber: 1 })).toEqual({ activeTools: ['echo'] });
    expect(asked).toEqual([['step 1', 8]]);
  });

  it('bad options are an InvalidOptionError naming the option', () => {
    const tools = createAiSdkTools(client);
    const bad = (options: unknown) => () =>
      createToolSearchStep(tools, options as Parameters<typeof createToolSearchStep>[1]);
    expect(bad({})).toThrow(InvalidOptionError);
    expect(bad({})).toThrow(/^search must be a function/);
    expect(bad({ search, limit: 0 })).toThrow('limit must be an integer >= 1 (got 0)');
    expect(() => createAiSdkTools(client, { timeoutMs: -1 })).toThrow(
      'timeoutMs must be a positive number of milliseconds (got -1)',
    );
    expect(() => createAiSdkTools({} as MultiServerClient)).toThrow(InvalidOptionError);
  });
});
