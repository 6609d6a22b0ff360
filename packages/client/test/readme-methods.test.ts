import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ANSWERED_BY, createMultiServerClient } from '../src/index.js';
import { everything, testPool } from './helpers.js';

const readme = () => readFile(new URL('../README.md', import.meta.url), 'utf8');
const thisFile = () => readFile(new URL(import.meta.url), 'utf8');

/** The rows of the README's Methods table: the method cell and the example cell. */
async function methodRows(): Promise<{ method: string; example: string }[]> {
  const text = await readme();
  const section = text.slice(text.indexOf('## Methods'), text.indexOf('## Options'));
  return [...section.matchAll(/^\| `([^`]+)` \| `([^`]+)` \|/gm)].map((match) => ({
    method: match[1] as string,
    example: match[2] as string,
  }));
}

describe('the client README lists every public method with an example that runs', () => {
  it('names every member of MultiServerClient, and nothing else', async () => {
    const client = createMultiServerClient({ endpoints: [everything()], pool: testPool });
    const listed = new Set((await methodRows()).map((row) => row.method.split(/[(:]/)[0]));
    expect([...listed].sort()).toEqual(Object.keys(client).sort());
    await client.close();
  });

  it('each example is a statement of the test below, in order', async () => {
    // Compared without whitespace and trailing commas, so the formatter may wrap a long line.
    const plain = (code: string) => code.replace(/\s+/g, '').replace(/,(?=[}\])])/g, '');
    const source = await thisFile();
    const body = plain(source.slice(source.indexOf('// README examples, in order:')));
    let from = 0;
    for (const { example } of await methodRows()) {
      const at = body.indexOf(plain(example), from);
      expect(at, example).toBeGreaterThanOrEqual(0);
      from = at + plain(example).length;
    }
  });

  it('runs them against server-everything', async () => {
    const client = createMultiServerClient({
      endpoints: [everything()],
      pool: testPool,
      roots: [{ uri: 'file:///tmp' }],
    });
    try {
      // README examples, in order:
      await client.start();
      const tools = client.listTools();
      const prompts = client.listPrompts();
      const resources = client.listResources();
      const templates = client.listResourceTemplates();
      const hint = client.listCacheHint('tools');
      const result = await client.callTool('echo', { message: 'hi' }, { timeoutMs: 5000 });
      const text = result.content[0]?.type === 'text' ? result.content[0].text : '';
      const doc = await client.readResource('demo://resource/static/document/architecture.md');
      const prompt = await client.getPrompt('args-prompt', { city: 'Paris' });
      const completion = await client.complete({
        ref: { type: 'ref/prompt', name: 'completable-prompt' },
        argument: { name: 'department', value: 'E' },
      });
      const all = await client.fanOut('echo', { message: 'hi' }, { perServerTimeoutMs: 2000 });
      const [best] = await client.searchTools('add two numbers', { limit: 5 });
      const owner = client.catalog().resolveTool('echo')?.server;
      await client.refresh('everything');
      const names = client.servers();
      const replicas = client.registry.replicas('everything');
      const status = client.snapshot().servers[0]?.replicas[0]?.status;
      const gauges = client.telemetry();
      const stop = client.on('call-end', (end) => console.log(end.target, end.outcome));
      client.once('catalog-changed', ({ added }) => console.log('joined:', added));
      const line = client.redact('GET https://user:pw@example.com/mcp?key=k');
      await client.setLogLevel('warning');
      await client.setRoots([{ uri: 'file:///tmp/project', name: 'project' }]);
      const unsubscribe = await client.subscribeResource(
        'demo://resource/static/document/architecture.md',
        ({ uri }) => console.log('changed:', uri),
      );
      const renewed = await client.readvertise();
      // (close() is the last example, below.)
      await unsubscribe();

      stop();
      expect(tools.map((tool) => tool.name)).toContain('echo');
      expect(prompts.map((entry) => entry.name)).toContain('args-prompt');
      expect(resources.length).toBeGreaterThan(0);
      expect(templates.length).toBeGreaterThan(0);
      expect(hint).toBeUndefined(); // server-everything (2025-11-25) sends no caching hints
      expect(text).toBe('Echo: hi');
      expect(result._meta?.[ANSWERED_BY.server]).toBe('everything');
      expect(doc.contents[0]?.uri).toBe('demo://resource/static/document/architecture.md');
      expect(JSON.stringify(prompt.messages)).toContain('Paris');
      expect(completion.completion.values).toContain('Engineering');
      expect(all.results.map((entry) => [entry.target, entry.ok])).toEqual([['everything', true]]);
      expect(best?.name).toBe('get-sum');
      expect(owner).toBe('everything');
      expect(names).toEqual(['everything']);
      expect(replicas.map((entry) => entry.descriptor.id)).toEqual(['everything#0']);
      expect(status).toBe('up');
      expect(gauges).toBeTypeOf('object');
      expect(line).not.toContain('pw');
      expect(line).not.toContain('key=k');
      expect(renewed).toEqual([]); // advertise did not change
    } finally {
      await client.close();
    }
  });
});
