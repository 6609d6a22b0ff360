import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';

/** A web-standard handler, as createMcpHandler returns. */
export type FetchHandler = (request: Request) => Promise<Response>;

/** Reads a request body, whole. */
export async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Serves one node:http request with a fetch-style handler: builds a `Request` (aborted when
 * the client goes away), then streams the `Response` back, SSE included.
 */
export async function serveWithFetch(
  handler: FetchHandler,
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer | undefined,
): Promise<void> {
  const aborter = new AbortController();
  response.once('close', () => aborter.abort());
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else if (value !== undefined) headers.set(name, value);
  }
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? '127.0.0.1'}`);
  const answer = await handler(
    new Request(url, {
      method: request.method,
      headers,
      body: body && body.length > 0 ? new Uint8Array(body) : undefined,
      signal: aborter.signal,
    }),
  );
  await writeWebResponse(answer, response);
}

/**
 * A node:http request listener over a fetch-style handler (serveWithFetch, body read first); a
 * failure answers 500.
 */
export function fetchListener(handler: FetchHandler): RequestListener {
  return (request, response) => {
    void (async () => {
      const body = request.method === 'POST' ? await readBody(request) : undefined;
      await serveWithFetch(handler, request, response, body);
    })().catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
}

/** Streams a fetch-style `Response` back on a node:http response (headers at once, SSE too). */
export async function writeWebResponse(answer: Response, response: ServerResponse): Promise<void> {
  response.writeHead(answer.status, Object.fromEntries(answer.headers));
  response.flushHeaders();
  if (answer.body) {
    try {
      for await (const chunk of answer.body) {
        if (response.destroyed) break;
        response.write(chunk);
      }
    } catch {
      // The client went away mid-stream; nothing to answer.
    }
  }
  if (!response.destroyed) response.end();
}

/** Listens on HTTP_PORT (default: a free port) on loopback and prints "LISTENING <port>". */
export function listenOnHttpPort(server: Server): void {
  server.listen(Number(process.env.HTTP_PORT ?? 0), '127.0.0.1', () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    process.stdout.write(`LISTENING ${port}\n`);
  });
}
