import { describe, expect, it } from 'vitest';
import { buildCatalog, type ServerCatalog } from './catalog.js';
import { applyListPolicy } from './list-policy.js';

const tool = (name: string, annotations?: Record<string, boolean>) => ({
  name,
  description: `${name} does it`,
  inputSchema: { type: 'object' as const },
  ...(annotations ? { annotations } : {}),
});
const FS: ServerCatalog = {
  tools: ['read_file', 'read_dir', 'write_file', 'delete_file', 'search'].map((n) => tool(n)),
  prompts: [{ name: 'summarize' }, { name: 'debug-dump' }],
  resources: [
    { uri: 'file:///srv/a.txt', name: 'a' },
    { uri: 'file:///etc/passwd', name: 'passwd' },
  ],
  resourceTemplates: [{ uriTemplate: 'file:///srv/{path}', name: 'srv' }],
};
const names = (items: readonly { name: string }[]) => items.map((item) => item.name);

describe('applyListPolicy', () => {
  it('no policy: the catalog as it is', () => {
    expect(applyListPolicy(FS, undefined).catalog).toBe(FS);
    expect(applyListPolicy(FS, {}).catalog).toBe(FS);
  });

  it('allow then deny, by glob, per kind; resources by URI and templates by URI template', () => {
    const { catalog, unmatched } = applyListPolicy(FS, {
      tools: { allow: ['read_*', 'search', 'delete_*'], deny: ['*delete*'] },
      prompts: { deny: ['debug-*'] },
      resources: { allow: ['file:///srv/*'] },
    });
    expect(names(catalog.tools)).toEqual(['read_file', 'read_dir', 'search']);
    expect(names(catalog.prompts)).toEqual(['summarize']);
    expect(catalog.resources.map((r) => r.uri)).toEqual(['file:///srv/a.txt']);
    expect(catalog.resourceTemplates.map((t) => t.uriTemplate)).toEqual(['file:///srv/{path}']);
    expect(unmatched).toEqual([]);
  });

  it('a pattern or override that matches nothing is reported, once each', () => {
    const { unmatched } = applyListPolicy(FS, {
      tools: { allow: ['read_*', 'raed_*'], deny: ['drop_*'] },
      overrides: { serch: { description: 'x' } },
    });
    expect(unmatched).toEqual([
      'tools.allow: "raed_*" matches nothing the server lists',
      'tools.deny: "drop_*" matches nothing the server lists',
      'overrides.serch: the server lists no tool "serch"',
    ]);
  });

  it('overrides rename and re-describe a tool, merge annotations, and keep the name calls use', () => {
    const { catalog } = applyListPolicy(
      { ...FS, tools: [tool('read_file', { readOnlyHint: true })] },
      {
        overrides: {
          read_file: {
            name: 'read',
            description: 'Reads one file.',
            annotations: { idempotentHint: true },
          },
        },
      },
    );
    expect(catalog.tools).toEqual([
      {
        ...tool('read'),
        description: 'Reads one file.',
        annotations: { readOnlyHint: true, idempotentHint: true },
      },
    ]);
    expect(catalog.serverNames).toEqual(new Map([['read', 'read_file']]));
    // Federated: callers see "read"; the catalog routes it to the server's "read_file".
    const federated = buildCatalog(new Map([['fs', catalog]]), { policy: 'prefix-on-conflict' });
    expect(names(federated.tools)).toEqual(['read']);
    expect(federated.resolveTool('read')).toMatchObject({ server: 'fs', name: 'read_file' });
    expect(federated.resolveTool('read_file')).toBeUndefined();
    expect(federated.serverTool('fs', 'read_file')?.annotations?.idempotentHint).toBe(true);
    // Rebuilt over itself (a refresh), the name stays.
    const again = buildCatalog(
      new Map([['fs', catalog]]),
      { policy: 'prefix-on-conflict' },
      federated,
    );
    expect(again.resolveTool('read')).toMatchObject({ server: 'fs', name: 'read_file' });
  });
});
