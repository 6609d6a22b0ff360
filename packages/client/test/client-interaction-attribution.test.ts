import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  type ChildServer,
  referenceServers,
  startEverythingHttp,
} from '@mcpmx/tooling-test-servers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionContext, MultiServerClient } from '../src/index.js';
import { clientsClosedAfterEach, everything, testPool } from './helpers.js';

const texts = (result: { content: unknown[] }) =>
  result.content.map((item) => (item as { text?: string }).text ?? '').join('\n');

const accept = (name: string) => () => ({ action: 'accept' as const, content: { name } });

describe('which call a server request belongs to', () => {
  const makeClient = clientsClosedAfterEach();
  let http: ChildServer;
  beforeAll(async () => {
    http = await startEverythingHttp('streamableHttp');
  });
  afterAll(async () => {
    await http?.close();
  });

  it('Streamable HTTP: two concurrent calls, each request answered by its own call handler', async () => {
    const client = makeClient({
      endpoints: [
        {
          id: 'everything#http',
          server: 'everything',
          transport: { type: 'streamable-http', url: http.url },
        },
      ],
      pool: testPool,
      advertise: { elicitation: true },
    });
    await client.start();
    const [first, second] = await Promise.all([
      client.callTool(
        'trigger-elicitation-request',
        {},
        { handlers: { onElicitation: accept('First') } },
      ),
      client.callTool(
        'trigger-elicitation-request',
        {},
        { handlers: { onElicitation: accept('Second') } },
      ),
    ]);
    expect(texts(first)).toContain('- Name: First');
    expect(texts(second)).toContain('- Name: Second');
  });

  it('stdio: with two calls in flight a request is unattributed (client handler, no call)', async () => {
    const contexts: InteractionContext[] = [];
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      onElicitation: (_request, context) => {
        contexts.push(context);
        return { action: 'accept', content: { name: 'Client Level' } };
      },
    });
    await client.start();
    const perCall = { handlers: { onElicitation: accept('Per Call') } };
    const results = await Promise.all([
      client.callTool('trigger-elicitation-request', {}, perCall),
      client.callTool('trigger-elicitation-request', {}, perCall),
    ]);
    // Both requests arrive while both calls are in flight: neither can be told apart.
    for (const result of results) expect(texts(result)).toContain('- Name: Client Level');
    expect(contexts.map((context) => context.call)).toEqual([undefined, undefined]);
    // With one call in flight it is that call's.
    const alone = await client.callTool('trigger-elicitation-request', {}, perCall);
    expect(texts(alone)).toContain('- Name: Per Call');
  });

  it('advertise without any handler: an unattributed request gets -32601 (no handler), not a hang', async () => {
    const client = makeClient({
      endpoints: [everything()],
      pool: testPool,
      advertise: { elicitation: true },
    });
    await client.start();
    const result = await client.callTool('trigger-elicitation-request', {});
    expect(result.isError).toBe(true);
    expect(texts(result)).toContain('no elicitation/create handler for "everything"');
  });
});

describe('server-filesystem started with no directory, given its directory through roots', () => {
  const makeClient = clientsClosedAfterEach();
  const base = mkdtempSync(join(tmpdir(), 'mcpmx-roots-'));
  const inside = join(base, 'inside');
  const other = join(base, 'other');
  mkdirSync(inside);
  mkdirSync(other);
  writeFileSync(join(inside, 'note.txt'), 'inside the root');
  writeFileSync(join(other, 'note.txt'), 'in the other root');
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  /** Calls list_allowed_directories until it names `dir`: the server applies roots after it asked. */
  const allowed = async (client: MultiServerClient, dir: string) => {
    for (let attempt = 0; attempt < 50; attempt++) {
      const listing = texts(await client.callTool('list_allowed_directories', {}));
      if (listing.includes(dir)) return listing;
    }
    throw new Error(`server-filesystem never allowed ${dir}`);
  };

  it('a read inside works, outside is refused; setRoots changes it live', async () => {
    const client = makeClient({
      endpoints: [
        {
          id: 'files#0',
          server: 'files',
          transport: {
            type: 'stdio',
            command: process.execPath,
            args: [referenceServers.filesystem],
          },
        },
      ],
      pool: testPool,
      roots: [{ uri: pathToFileURL(inside).href, name: 'inside' }],
    });
    await client.start();
    await allowed(client, inside);
    const read = await client.callTool('read_text_file', { path: join(inside, 'note.txt') });
    expect(texts(read)).toBe('inside the root');
    const refused = await client.callTool('read_text_file', { path: join(other, 'note.txt') });
    expect(refused.isError).toBe(true);
    expect(texts(refused)).toMatch(/Access denied/i);

    await client.setRoots([{ uri: pathToFileURL(other).href, name: 'other' }]);
    expect(await allowed(client, other)).not.toContain(inside);
    const now = await client.callTool('read_text_file', { path: join(other, 'note.txt') });
    expect(texts(now)).toBe('in the other root');
    const gone = await client.callTool('read_text_file', { path: join(inside, 'note.txt') });
    expect(gone.isError).toBe(true);
  });

  it('setRoots for a server never told of roots is refused, naming why', async () => {
    const client = makeClient({ endpoints: [everything()], pool: testPool });
    await client.start();
    await expect(
      client.setRoots([{ uri: pathToFileURL(inside).href }], 'everything'),
    ).rejects.toMatchObject({
      code: 'MCPMX_INVALID_OPTION',
      message: expect.stringContaining('advertise.roots'),
    });
  });
});
