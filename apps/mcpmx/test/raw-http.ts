import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` to a fresh connection and reads until the server closes it: the way to send
 * what fetch and http.request refuse to (a forged Host, a bad target, garbage).
 */
export function rawExchange(
  port: number,
  bytes: string | Buffer,
  options: { localAddress?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress: options.localAddress });
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(parseResponse(Buffer.concat(chunks).toString('latin1'))));
  });
}

/** The first response in `text`: status, headers (lowercase names), body (dechunked). */
export function parseResponse(text: string): RawResponse {
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: text };
  const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = text.slice(end + 4);
  if (headers['transfer-encoding'] === 'chunked') {
    let plain = '';
    let rest = body;
    for (let guard = 0; guard < 10_000; guard++) {
      const lineEnd = rest.indexOf('\r\n');
      const size = Number.parseInt(rest.slice(0, lineEnd), 16);
      if (!(size > 0)) break;
      plain += rest.slice(lineEnd + 2, lineEnd + 2 + size);
      rest = rest.slice(lineEnd + 2 + size + 2);
    }
    body = plain;
  }
  return { status: Number(statusLine.split(' ')[1] ?? 0), headers, body };
}

/** One HTTP request on its own connection (no agent, no keep-alive). */
export function httpExchange(
  url: string,
  options: {
    method?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    localAddress?: string;
  } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers: { connection: 'close', ...options.headers },
        agent: false,
        localAddress: options.localAddress,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: Object.fromEntries(
              Object.entries(response.headers).map(([name, value]) => [name, String(value)]),
            ),
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Opens `count` connections that never send a byte; resolves once all are connected. */
export async function openIdleSockets(
  port: number,
  count: number,
  localAddress?: string,
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  for (let index = 0; index < count; index++) {
    const socket = connect({ port, host: '127.0.0.1', localAddress });
    socket.on('error', () => {}); // a reset is one of the answers expected
    sockets.push(socket);
    await new Promise<void>((resolve) => {
      socket.once('connect', () => resolve());
      socket.once('close', () => resolve());
    });
  }
  return sockets;
}

/** Resolves once `count` of `sockets` have closed. */
export function closedCount(sockets: Socket[], count: number): Promise<void> {
  return new Promise((resolve) => {
    let closed = 0;
    const check = () => {
      if (closed >= count) resolve();
    };
    for (const socket of sockets) {
      if (socket.closed) closed++;
      else
        socket.once('close', () => {
          closed++;
          check();
        });
    }
    check();
  });
}

/**
 * Writes `text` to `socket` one character every `everyMs` until the server closes it; resolves
 * with how many characters were sent and what the server answered (as latin1 text).
 */
export async function trickle(
  socket: Socket,
  text: string,
  everyMs: number,
): Promise<{ sent: number; answer: string }> {
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  socket.on('error', () => {}); // a reset is one of the answers expected
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < text.length && socket.writable) socket.write(text[sent++] ?? '');
  }, everyMs);
  await new Promise<void>((resolve) => socket.once('close', () => resolve()));
  clearInterval(timer);
  return { sent, answer: Buffer.concat(chunks).toString('latin1') };
}
