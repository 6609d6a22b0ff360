import { randomBytes } from 'node:crypto';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { afterEach, describe, expect, it } from 'vitest';
import { createSessionPool } from '../src/index.js';
import { everythingStdio, text } from './helpers.js';

// "A stdio server gets only the env it is configured with." server-everything's get-env tool
// returns its whole environment. Its output is never logged: assertions compare booleans and
// key names only, so a failure cannot print a value.
describe('stdio env isolation, against server-everything', () => {
  const secretName = 'MCPMX_PARENT_SECRET';
  afterEach(() => {
    delete process.env[secretName];
  });

  it("the parent's secret does not reach the child; the configured env does", async () => {
    const secret = `parent-${randomBytes(12).toString('hex')}`;
    process.env[secretName] = secret;
    const endpoint = everythingStdio();
    const configured = `configured-${randomBytes(6).toString('hex')}`;
    if (endpoint.transport.type !== 'stdio') throw new Error('stdio endpoint expected');
    const pool = createSessionPool({
      ...endpoint,
      transport: { ...endpoint.transport, env: { MCPMX_CONFIGURED: configured } },
    });
    try {
      const result = await pool.callTool({ name: 'get-env', arguments: {} });
      const output = text(result) ?? '';
      const childEnv = JSON.parse(output) as Record<string, string>;
      expect(output.includes(secret)).toBe(false);
      expect(Object.hasOwn(childEnv, secretName)).toBe(false);
      expect(childEnv.MCPMX_CONFIGURED === configured).toBe(true);
      // Nothing but the SDK's short list of safe variables and the configured ones.
      const allowed = new Set([...Object.keys(getDefaultEnvironment()), 'MCPMX_CONFIGURED']);
      expect(Object.keys(childEnv).filter((key) => !allowed.has(key))).toEqual([]);
    } finally {
      await pool.close();
    }
  });
});
