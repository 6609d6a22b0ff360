import type { TransportKind } from './endpoint.js';

/**
 * The one table of transport kinds: their aliases in config files, and the URL schemes each
 * URL transport accepts (plain first, then TLS). Config parsing, discovery backends and the
 * pool read it here; adding a transport starts with a row in this table.
 */
export const TRANSPORT_KINDS: Readonly<
  Record<
    TransportKind,
    { readonly aliases: readonly string[]; readonly schemes: readonly string[] }
  >
> = {
  stdio: { aliases: ['stdio'], schemes: [] },
  'streamable-http': {
    aliases: ['streamable-http', 'http', 'streamableHttp', 'streamable_http'],
    schemes: ['http', 'https'],
  },
  sse: { aliases: ['sse'], schemes: ['http', 'https'] },
  websocket: { aliases: ['websocket', 'ws'], schemes: ['ws', 'wss'] },
};

/** Every transport kind, in table order. */
export const TRANSPORT_KIND_NAMES = Object.keys(TRANSPORT_KINDS) as readonly TransportKind[];

/** The kinds that take a `url` (every kind but stdio). */
export const URL_TRANSPORT_KINDS = TRANSPORT_KIND_NAMES.filter(
  (kind) => TRANSPORT_KINDS[kind].schemes.length > 0,
) as readonly Exclude<TransportKind, 'stdio'>[];

const BY_ALIAS = new Map<string, TransportKind>(
  TRANSPORT_KIND_NAMES.flatMap((kind) =>
    TRANSPORT_KINDS[kind].aliases.map((alias) => [alias, kind] as const),
  ),
);

/** The kind a config name or alias stands for (`http` → `streamable-http`), or undefined. */
export function transportKindOf(name: string): TransportKind | undefined {
  return BY_ALIAS.get(name);
}

/**
 * The URL scheme (without `:`) for a URL transport: the plain one, or the TLS one when
 * `secure`. `websocket` gives `ws`/`wss`; the HTTP kinds give `http`/`https`.
 */
export function schemeFor(kind: Exclude<TransportKind, 'stdio'>, secure: boolean): string {
  const [plain, tls] = TRANSPORT_KINDS[kind].schemes;
  return (secure ? tls : plain) as string;
}

/** True when `protocol` (`https:` as URL gives it, or `https`) is one `kind` accepts. */
export function acceptsScheme(kind: TransportKind, protocol: string): boolean {
  const scheme = protocol.endsWith(':') ? protocol.slice(0, -1) : protocol;
  return TRANSPORT_KINDS[kind].schemes.includes(scheme);
}

/** The kind a URL implies when none is given: `ws:`/`wss:` → websocket, else Streamable HTTP. */
export function kindOfUrl(protocol: string): Exclude<TransportKind, 'stdio'> | undefined {
  if (acceptsScheme('websocket', protocol)) return 'websocket';
  if (acceptsScheme('streamable-http', protocol)) return 'streamable-http';
  return undefined;
}
