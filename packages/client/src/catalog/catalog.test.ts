import { NameConflictError } from '@mcpmx/core';
import { describe, expect, it } from 'vitest';
import { buildCatalog, type ServerCatalog } from './catalog.js';
import { resolveNaming } from './federated-names.js';

const tool = (name: string, readOnly = false) => ({
  name,
  inputSchema: { type: 'object' as const },
  annotations: { readOnlyHint: readOnly },
});
const server = (partial: Partial<ServerCatalog>): ServerCatalog => ({
  tools: [],
  resources: [],
  resourceTemplates: [],
  prompts: [],
  ...partial,
});

describe('buildCatalog', () => {
  const servers = new Map([
    [
      'files',
      server({
        tools: [tool('read', true), tool('search')],
        resources: [{ uri: 'file:///etc/hosts', name: 'hosts' }],
        resourceTemplates: [{ uriTemplate: 'file:///{path}', name: 'file' }],
        prompts: [{ name: 'summarize' }],
      }),
    ],
    [
      'web',
      server({
        tools: [tool('search'), tool('fetch', true)],
        resourceTemplates: [
          { uriTemplate: 'https://{host}/{+path}', name: 'page' },
          { uriTemplate: 'file:///web/{+path}', name: 'mirror' },
        ],
      }),
    ],
  ]);

  it('prefixes only conflicting names by default and maps them back', () => {
    const catalog = buildCatalog(servers, resolveNaming());
    expect(catalog.tools.map((t) => t.name).sort()).toEqual([
      'fetch',
      'files__search',
      'read',
      'web__search',
    ]);
    expect(catalog.resolveTool('web__search')).toMatchObject({ server: 'web', name: 'search' });
    expect(catalog.resolveTool('read')?.item.annotations?.readOnlyHint).toBe(true);
    expect(catalog.resolveTool('search')).toBeUndefined();
  });

  it('prefixes everything under the prefix policy', () => {
    const catalog = buildCatalog(servers, resolveNaming({ policy: 'prefix' }));
    expect(catalog.toolNames().sort()).toEqual([
      'files__read',
      'files__search',
      'web__fetch',
      'web__search',
    ]);
    expect(catalog.resolvePrompt('files__summarize')).toMatchObject({ name: 'summarize' });
  });

  it('refuses a conflict under the none policy, naming the servers', () => {
    expect(() => buildCatalog(servers, resolveNaming({ policy: 'none' }))).toThrow(
      NameConflictError,
    );
    try {
      buildCatalog(servers, resolveNaming({ policy: 'none' }));
    } catch (error) {
      expect((error as Error).message).toContain('search');
      expect((error as Error).message).toContain('files');
      expect((error as Error).message).toContain('web');
    }
  });

  it('routes resource URIs: exact first, then the most specific template', () => {
    const catalog = buildCatalog(servers, resolveNaming());
    expect(catalog.resolveResource('file:///etc/hosts')).toBe('files');
    expect(catalog.resolveResource('file:///notes.txt')).toBe('files');
    expect(catalog.resolveResource('file:///web/a/b.html')).toBe('web');
    expect(catalog.resolveResource('https://example.com/a/b')).toBe('web');
    expect(catalog.resolveResource('gopher://nowhere')).toBeUndefined();
  });
});
