import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';

/**
 * The gateway's front door speaks Node's `http`; the SDK's MCP handler speaks web `Request` and
 * `Response`. These carry a request and its answer across, and write the gateway's own refusals.
 */

/** A refusal in the JSON-RPC error shape MCP clients read; `message` never echoes the request. */
export function refuse(response: ServerResponse, status: number, message: string): void {
  json(response, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null });
}

/** A bodiless web Request with a Node request's URL and headers (to check its token). */
export function headersOf(request: IncomingMessage): Request {
  const headers = new Headers();
  const authorization = request.headers.authorization;
  if (authorization !== undefined) headers.set('authorization', authorization);
  return new Request(new URL(`http://${request.headers.host}${request.url}`), { headers });
}

/**
 * The web Request for a Node request whose Host and target were checked, and `closed`, which
 * aborts when the connection closes before the answer is complete. The Request's signal
 * follows it: that is how a 2026-07-28 client cancels a call over HTTP, and the handler passes
 * it on to the call (and so to the upstream server).
 */
export function toWebRequest(
  request: IncomingMessage,
  response: ServerResponse,
): { web: Request; closed: AbortSignal } {
  const aborter = new AbortController();
  response.once('close', () => {
    if (!response.writableFinished) aborter.abort(new Error('the client closed the connection'));
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  const web = new Request(new URL(`http://${request.headers.host}${request.url}`), {
    method: request.method,
    headers,
    signal: aborter.signal,
    ...(hasBody ? { body: Readable.toWeb(request) as ReadableStream, duplex: 'half' } : {}),
  } as RequestInit);
  return { web, closed: aborter.signal };
}

/** Writes a web Response to a Node response, streaming its body as it comes. */
export async function sendWebResponse(response: ServerResponse, web: Response): Promise<void> {
  response.writeHead(web.status, Object.fromEntries(web.headers));
  // Now, not with the first chunk: a session's GET stream may stay silent for a long time, and
  // its client waits for the headers.
  response.flushHeaders();
  if (web.body) {
    for await (const chunk of web.body as unknown as AsyncIterable<Uint8Array>) {
      if (response.destroyed) break; // the client went away; leaving the loop cancels the body
      response.write(chunk);
    }
  }
  response.end();
}

/** A JSON answer with `status`. */
export function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
