import { request as httpRequest } from 'node:http';

export interface RawRpc {
  /** Resolves once the whole body is written. */
  written: Promise<void>;
  /** The answer's status and body (status 0: no answer, `body` then says why), and the time from
   * the first byte sent to the answer's last byte. */
  answer: Promise<{ status: number; body: string; ms: number }>;
}

/**
 * One JSON-RPC request POSTed over raw HTTP as a 2025-11-25 client sends it (so no `Mcp-Name`
 * header carries a name): for requests too large or too odd for an SDK client, on a fresh
 * connection. `message` is the whole JSON-RPC message, or its text.
 */
export function postRawRpc(url: string, message: unknown): RawRpc {
  const body = typeof message === 'string' ? message : JSON.stringify(message);
  let sent: () => void = () => undefined;
  const written = new Promise<void>((resolve) => {
    sent = resolve;
  });
  const answer = new Promise<{ status: number; body: string; ms: number }>((resolve) => {
    const started = performance.now();
    const outgoing = httpRequest(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2025-11-25',
      },
    });
    outgoing.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, body: text, ms: performance.now() - started }),
      );
    });
    outgoing.on('error', (error) =>
      resolve({ status: 0, body: error.message, ms: performance.now() - started }),
    );
    outgoing.end(body, sent);
  });
  return { written, answer };
}
