import {
  AuthError,
  ConnectError,
  type EndpointDescriptor,
  EndpointNotFoundError,
  redactUrls,
} from '@mcpmx/core';
import { SdkHttpError } from '@modelcontextprotocol/client';

/**
 * What the last request of an HTTP transport's handshake came to, as its fetch saw it: an HTTP
 * status of 400 or more, or a network error. A later answer that succeeded clears it, so it
 * names the failure only when the handshake ended on it.
 */
export interface FetchFailure {
  url: string;
  status?: number;
  error?: unknown;
}

/**
 * The one place a failed connect is described and classified, as a user can act on it:
 * - HTTP 401/403: an AuthError, "HTTP 401 from /mcp: the server requires authorization …";
 * - HTTP 404: an EndpointNotFoundError, "HTTP 404 from /wrong-path: no MCP endpoint …";
 * - another status: "HTTP 502 from /mcp", a ConnectError with its `status`;
 * - a refused connection: "connection refused (127.0.0.1:8080)"; an unknown host: "DNS lookup
 *   failed for example.invalid";
 * - anything else: the SDK's own words, without its internal prefixes.
 * The path is the URL's path only: no userinfo, no query.
 */
export function connectFailure(
  endpoint: EndpointDescriptor,
  cause: unknown,
  detail: { where: string; fetch?: FetchFailure; quoted: string },
): ConnectError {
  // The shared auth's own verdict (AuthRequiredError: "run `mcpmx login <server>`") stands.
  if (AuthError.isInstance(cause)) return cause;
  const fields = { server: endpoint.server, replica: endpoint.id, cause };
  const prefix = `could not connect to ${detail.where}: `;
  const status = detail.fetch?.status ?? httpStatusOf(cause);
  if (status !== undefined) {
    const url = detail.fetch?.url ?? urlOf(endpoint);
    const from = url === undefined ? '' : ` from ${pathOf(url)}`;
    const message = `${prefix}HTTP ${status}${from}${hintFor(status)}`;
    if (status === 401 || status === 403) return new AuthError(message, { ...fields, status });
    if (status === 404) return new EndpointNotFoundError(message, { ...fields, status });
    return new ConnectError(message, { ...fields, status });
  }
  const network = networkReason(detail.fetch?.error ?? cause, endpoint);
  if (network !== undefined) return new ConnectError(`${prefix}${network}`, fields);
  return new ConnectError(`${prefix}${plainMessage(cause)}${detail.quoted}`, fields);
}

function hintFor(status: number): string {
  if (status === 401) {
    return ': the server requires authorization; give the server its credentials (an Authorization header in its config, or an authProvider)';
  }
  if (status === 403) {
    return ': the server refused these credentials access; check the token and its permissions';
  }
  if (status === 404) {
    return ': no MCP endpoint at this path; check the URL (Streamable HTTP servers usually serve /mcp, legacy SSE ones /sse)';
  }
  if (status >= 500) return ': the server failed; its own logs say why';
  return '';
}

/** The SDK's text for a failure, without its internal prefixes and asides. */
function plainMessage(cause: unknown): string {
  const message = cause instanceof Error ? cause.message : String(cause);
  return redactUrls(
    message
      .replace(/^Version negotiation (probe )?failed: /, '')
      .replace(/ \(this transport probed in place[^)]*\)/, '')
      .replace('during the server/discover probe', 'during the handshake'),
  );
}

function httpStatusOf(error: unknown): number | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current instanceof SdkHttpError && typeof current.status === 'number') {
      return current.status;
    }
    current = current.cause;
  }
  return undefined;
}

/** "connection refused (host:port)", "DNS lookup failed for host", or undefined. */
function networkReason(error: unknown, endpoint: EndpointDescriptor): string | undefined {
  const url = urlOf(endpoint);
  // A stdio server's errors (ENOENT for a missing command) are described where they happen.
  if (url === undefined) return undefined;
  const parsed = safeUrl(url);
  const refusedByFetch = fetchRefusal(error, parsed);
  if (refusedByFetch !== undefined) return refusedByFetch;
  const found = errnoOf(error);
  if (found === undefined) return undefined;
  const host = found.hostname ?? parsed?.hostname ?? 'the host';
  const port = found.port ?? (parsed ? parsed.port || defaultPort(parsed.protocol) : undefined);
  const address = `${found.address ?? host}${port === undefined ? '' : `:${port}`}`;
  switch (found.code) {
    case 'ECONNREFUSED':
      return `connection refused (${address}); is the server running, and on this port?`;
    case 'ENOTFOUND':
    case 'EAI_FAIL':
      return `DNS lookup failed for ${host} (${found.code}); check the host name`;
    case 'EAI_AGAIN':
      return `DNS lookup failed for ${host} (EAI_AGAIN, the resolver did not answer)`;
    default:
      return `connection to ${address} failed (${found.code})`;
  }
}

/**
 * What fetch refuses before it connects, in words a user can act on: a "bad port" of the Fetch
 * standard (1, 9, 6000, ...; undici says only "fetch failed", cause "bad port"), and a URL with
 * a user name or password (its message quotes the URL, credentials and all).
 */
function fetchRefusal(error: unknown, url: URL | undefined): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    if (current.message === 'bad port') {
      const port = url?.port ? `port ${url.port}` : 'this port';
      return `fetch refuses to connect to ${port}: it is one of the Fetch standard's blocked ("bad") ports, such as 1, 9, 25 or 6000; serve the MCP server on another port`;
    }
    if (
      current.message.startsWith(
        'Request cannot be constructed from a URL that includes credentials',
      )
    ) {
      return 'the URL carries a user name or password, which fetch refuses; remove them from the URL and send the credentials in a header instead (for example "headers": { "Authorization": "Bearer ..." })';
    }
    current = current.cause;
  }
  return undefined;
}

interface Errno {
  code: string;
  address?: string;
  port?: number | string;
  hostname?: string;
}

/** The first errno-style error in a cause chain (fetch wraps them in `cause`, even twice). */
function errnoOf(error: unknown): Errno | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++) {
    const candidate = current as Error & Partial<Errno> & { errors?: unknown[] };
    if (typeof candidate.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(candidate.code)) {
      return candidate as Errno;
    }
    const nested = candidate.errors?.find(
      (inner) => typeof (inner as Partial<Errno>)?.code === 'string',
    );
    if (nested !== undefined) return nested as Errno;
    current = current.cause;
  }
  return undefined;
}

function urlOf(endpoint: EndpointDescriptor): string | undefined {
  const transport = endpoint.transport as { url?: unknown };
  return typeof transport.url === 'string' ? transport.url : undefined;
}

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function pathOf(url: string): string {
  return safeUrl(url)?.pathname ?? '';
}

function defaultPort(protocol: string): string | undefined {
  if (protocol === 'http:' || protocol === 'ws:') return '80';
  if (protocol === 'https:' || protocol === 'wss:') return '443';
  return undefined;
}
