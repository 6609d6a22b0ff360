import type { IncomingHttpHeaders } from 'node:http';

/** Why a request's Host, Origin or target is refused; the message never repeats the header. */
export interface HostRefusal {
  status: 400 | 403;
  message: string;
}

export interface AllowedNames {
  /** Hostnames a Host header may name (lowercase; IPv6 in brackets, e.g. `[::1]`). */
  hosts: readonly string[];
  /** Hostnames an Origin header may name. */
  origins: readonly string[];
}

/** `host [":" port]` (RFC 9110): a name or IPv4 address, or an IPv6 address in brackets. */
const AUTHORITY = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)(?::(\d{0,5}))?$/;
/** A serialized origin: `scheme "://" host [":" port]`, nothing else. */
const ORIGIN = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)$/;

/**
 * Checks Host and Origin against DNS rebinding: a missing or malformed Host is 400, a Host or
 * Origin naming anything not allowed is 403 (the `null` Origin and anything that is not a bare
 * origin included). A missing Origin passes: only browsers send one.
 */
export function checkHostAndOrigin(
  headers: IncomingHttpHeaders,
  allowed: AllowedNames,
): HostRefusal | undefined {
  const host = headers.host;
  if (!host) return { status: 400, message: 'missing Host header' };
  const hostname = hostnameOf(host);
  if (hostname === undefined) return { status: 400, message: 'malformed Host header' };
  if (!allowed.hosts.includes(hostname)) return { status: 403, message: 'Host not allowed' };
  const origin = headers.origin;
  if (origin === undefined || origin === '') return undefined;
  const parts = ORIGIN.exec(origin);
  const originHost = parts?.[2] === undefined ? undefined : hostnameOf(parts[2]);
  if (originHost === undefined || !allowed.origins.includes(originHost)) {
    return { status: 403, message: 'Origin not allowed' };
  }
  return undefined;
}

/** The normalised hostname of `host [":" port]`, or undefined when it is not one. */
function hostnameOf(authority: string): string | undefined {
  const match = AUTHORITY.exec(authority);
  if (!match) return undefined;
  if (match[1] !== undefined && match[1] !== '' && Number(match[1]) > 65535) return undefined;
  try {
    return new URL(`http://${authority}`).hostname;
  } catch {
    return undefined;
  }
}
