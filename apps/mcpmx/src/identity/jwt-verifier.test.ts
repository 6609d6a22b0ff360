import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerOf } from './caller.js';
import { createJwtVerifier } from './jwt-verifier.js';

const ISSUER = 'https://login.example.test';
const RESOURCE = 'https://mcp.example.test/mcp';

/** A real JWKS endpoint on loopback whose key set the test replaces (a key rotation). */
let keys: JWK[] = [];
let fetches = 0;
let jwks: Server;
let jwksUrl: URL;

beforeAll(async () => {
  jwks = createServer((_request, response) => {
    fetches++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = new URL(`http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`);
});
afterAll(async () => {
  jwks.closeAllConnections();
  await new Promise((resolve) => jwks.close(resolve));
});

async function signingKey(kid: string) {
  const pair = await generateKeyPair('RS256');
  const publicJwk = { ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' };
  const sign = (claims: Record<string, unknown>, audience = RESOURCE, expiresIn = '5m') =>
    new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(ISSUER)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(pair.privateKey);
  return { publicJwk, sign };
}

describe('createJwtVerifier (jose against a JWKS on loopback)', () => {
  it('reads the caller from a valid token: principal, client, scopes and declared claims', async () => {
    const key = await signingKey('k1');
    keys = [key.publicJwk];
    const verifier = createJwtVerifier(
      { issuer: ISSUER, resource: RESOURCE, claims: ['groups'] },
      jwksUrl,
    );
    const token = await key.sign({
      sub: 'alice',
      client_id: 'app',
      scope: 'mcp:read deploy',
      groups: ['staff', 7],
    });
    const info = await verifier.verifyAccessToken(token);
    expect(callerOf(info)).toEqual({
      principal: 'alice',
      clientId: 'app',
      scopes: ['mcp:read', 'deploy'],
      claims: { groups: ['staff'] },
    });
    expect(info.resource?.href).toBe(RESOURCE);
    expect(typeof info.expiresAt).toBe('number');
  });

  it('fetches the keys again for a key id it does not know (a rotation), once for many tokens', async () => {
    const old = await signingKey('old');
    keys = [old.publicJwk];
    const verifier = createJwtVerifier({ issuer: ISSUER, resource: RESOURCE }, jwksUrl, {
      keyRefetchCooldownMs: 0,
    });
    await verifier.verifyAccessToken(await old.sign({ sub: 'a' }));
    await verifier.verifyAccessToken(await old.sign({ sub: 'b' }));
    const before = fetches;
    const rotated = await signingKey('new');
    keys = [rotated.publicJwk];
    const info = await verifier.verifyAccessToken(await rotated.sign({ sub: 'c' }));
    expect(callerOf(info)?.principal).toBe('c');
    expect(fetches).toBe(before + 1);
  });

  it('within the cooldown, made-up key ids do not make it fetch the keys again', async () => {
    const key = await signingKey('k3');
    keys = [key.publicJwk];
    const verifier = createJwtVerifier({ issuer: ISSUER, resource: RESOURCE }, jwksUrl);
    await verifier.verifyAccessToken(await key.sign({ sub: 'a' }));
    const before = fetches;
    for (let round = 0; round < 5; round++) {
      const made = await signingKey(`made-up-${round}`);
      await expect(verifier.verifyAccessToken(await made.sign({ sub: 'a' }))).rejects.toThrow();
    }
    expect(fetches).toBeLessThanOrEqual(before + 1);
  });

  it('refuses another audience, an expired token, a foreign key and garbage, naming why', async () => {
    const key = await signingKey('k2');
    const stranger = await signingKey('k2');
    keys = [key.publicJwk];
    const verifier = createJwtVerifier({ issuer: ISSUER, resource: RESOURCE }, jwksUrl);
    const cases = [
      await key.sign({ sub: 'a' }, 'https://elsewhere.test/mcp'),
      await key.sign({ sub: 'a' }, RESOURCE, '-1m'),
      await stranger.sign({ sub: 'a' }),
      'not.a.jwt',
    ];
    for (const token of cases) {
      const failure = await verifier.verifyAccessToken(token).catch((error: unknown) => error);
      expect(failure).toMatchObject({ code: 'invalid_token' });
      expect((failure as Error).message).toMatch(/^the access token was refused: /);
      expect((failure as Error).message).not.toContain(token);
    }
  });
});
