import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvalidOptionError } from '@mcpmx/core';

/** What the authorization server sent back to the redirect URI. */
export interface AuthorizationCallback {
  code: string;
  /** RFC 9207 `iss`, when the server sent one. */
  iss?: string;
}

export interface LoopbackListener {
  /** `http://127.0.0.1:<port>/callback`. */
  readonly redirectUrl: string;
  /**
   * Waits for the redirect carrying `state`; rejects on an `error` redirect, when `signal`
   * aborts, or when the listener closes.
   */
  waitForCallback(state: string, signal?: AbortSignal): Promise<AuthorizationCallback>;
  close(): Promise<void>;
}

export interface LoopbackListenerOptions {
  /** The port; 0 (the default) takes a free one. */
  port?: number;
}

const CALLBACK_PATH = '/callback';

/**
 * The redirect listener of an authorization code login (RFC 8252 §7.3): an HTTP server on
 * 127.0.0.1 only, answering GET /callback. A redirect whose `state` nobody waits for gets 400
 * and is otherwise ignored, so a stray or forged request cannot complete a login.
 */
export async function startLoopbackListener(
  options: LoopbackListenerOptions = {},
): Promise<LoopbackListener> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidOptionError('redirectPort', 'an integer port from 0 to 65535', port);
  }
  const waiting = new Map<
    string,
    { resolve: (callback: AuthorizationCallback) => void; reject: (error: Error) => void }
  >();
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const state = url.searchParams.get('state') ?? '';
    const waiter = waiting.get(state);
    if (request.method !== 'GET' || url.pathname !== CALLBACK_PATH || !waiter) {
      response
        .writeHead(400, { 'content-type': 'text/plain' })
        .end('no login is waiting for this\n');
      return;
    }
    waiting.delete(state);
    const error = url.searchParams.get('error');
    const code = url.searchParams.get('code');
    if (error || !code) {
      const description = url.searchParams.get('error_description');
      response.writeHead(400, { 'content-type': 'text/plain' }).end('login failed\n');
      waiter.reject(
        new Error(
          `the authorization server refused the login: ${error ?? 'no code'}${description ? ` (${description})` : ''}`,
        ),
      );
      return;
    }
    response
      .writeHead(200, { 'content-type': 'text/plain' })
      .end('Logged in. You can close this window.\n');
    const iss = url.searchParams.get('iss');
    waiter.resolve(iss ? { code, iss } : { code });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `cannot listen for the login redirect on 127.0.0.1:${port}: the port is in use; choose another redirectPort`,
            )
          : error,
      ),
    );
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  let closed: Promise<void> | undefined;

  return {
    redirectUrl: `http://127.0.0.1:${bound}${CALLBACK_PATH}`,
    waitForCallback: (state, signal) =>
      new Promise<AuthorizationCallback>((resolve, reject) => {
        if (closed) {
          reject(new Error('the login listener is closed'));
          return;
        }
        const onAbort = () => {
          waiting.delete(state);
          reject(signal?.reason instanceof Error ? signal.reason : new Error('login cancelled'));
        };
        if (signal?.aborted) {
          onAbort();
          return;
        }
        signal?.addEventListener('abort', onAbort, { once: true });
        waiting.set(state, {
          resolve: (callback) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(callback);
          },
          reject: (error) => {
            signal?.removeEventListener('abort', onAbort);
            reject(error);
          },
        });
      }),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        for (const waiter of waiting.values())
          waiter.reject(new Error('the login listener closed'));
        waiting.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
