import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { UpstreamAuth } from '../src/index.js';

/** A real SDK client over Streamable HTTP whose transport gets `auth` for `url`. */
export async function connectWith(auth: UpstreamAuth, url: string): Promise<Client> {
  const endpoint = auth.forEndpoint(new URL(url));
  const client = new Client({ name: 'oauth-test', version: '1.0.0' });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      authProvider: endpoint.authProvider,
      fetch: endpoint.wrapFetch(fetch),
    }),
  );
  return client;
}

/** A fresh directory, removed by the returned function. */
export async function tempDir(): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'mcpmx-oauth-'));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** The text of a tool result's first content block. */
export function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ text?: string }> }).content;
  return content?.[0]?.text ?? '';
}
