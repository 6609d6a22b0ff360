import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What the gateway puts in a `requestState` it hands a 2026-07-28 downstream client. */
export interface GatewayState {
  /** The held call the retry continues. */
  call: string;
  /** The upstream server and replica that asked (the held call goes back to them). */
  server: string;
  replica: string;
}

/**
 * Signs and checks the gateway's `requestState`: `<payload>.<HMAC-SHA256>`, both base64url,
 * with a key drawn at random for this process, so a client can neither forge a state nor edit
 * one to send a retry to another call, server or replica; a state from before a restart fails.
 */
export interface StateSigner {
  sign(state: GatewayState): string;
  /** The state, or undefined when it was not signed by this process (or is malformed). */
  verify(token: unknown): GatewayState | undefined;
}

export function createStateSigner(key: Buffer = randomBytes(32)): StateSigner {
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest();
  return {
    sign(state) {
      const payload = Buffer.from(JSON.stringify(state)).toString('base64url');
      return `${payload}.${mac(payload).toString('base64url')}`;
    },
    verify(token) {
      if (typeof token !== 'string' || token.length > 4096) return undefined;
      const dot = token.indexOf('.');
      if (dot <= 0) return undefined;
      const payload = token.slice(0, dot);
      const given = Buffer.from(token.slice(dot + 1), 'base64url');
      const expected = mac(payload);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
      try {
        const state = JSON.parse(
          Buffer.from(payload, 'base64url').toString('utf8'),
        ) as GatewayState;
        if (typeof state.call !== 'string') return undefined;
        return state;
      } catch {
        return undefined;
      }
    },
  };
}
