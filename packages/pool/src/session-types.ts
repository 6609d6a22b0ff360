import type {
  Clock,
  createEmitter,
  EndpointDescriptor,
  ListChangedKind,
  McpSession,
} from '@mcpmx/core';
import type { Transport } from '@modelcontextprotocol/client';
import type { PoolInteractions } from './interactions.js';
import type { SessionInteractions } from './session-interactions.js';
import type { TransportOptions } from './transports/create-transport.js';

/** Which protocol revisions to speak. */
export type ProtocolMode = 'auto' | 'legacy' | '2026-07-28';

export interface SessionOptions {
  clock: Clock;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  /** The deepest nesting of objects and arrays accepted in a request's params. */
  maxRequestDepth: number;
  /**
   * 'auto' (default) probes for 2026-07-28 and falls back to the 2025-11-25 `initialize`
   * handshake; 'legacy' speaks only 2025-11-25; '2026-07-28' insists on the new revision.
   */
  protocol: ProtocolMode;
  transport: TransportOptions;
  /** Replaces the built-in transports (see SessionPoolOptions.createTransport). */
  createTransport?: (endpoint: EndpointDescriptor) => Transport;
  clientInfo: { name: string; version: string };
  /** Aborting gives up the handshake and releases the process or socket. */
  signal?: AbortSignal;
  /** What the owner answers when the server asks something (see PoolInteractions). */
  interactions?: PoolInteractions;
}

export interface SessionEvents {
  closed: { reason: string; error?: unknown };
  /** A request's own connection could not be opened (HTTP): the server may be gone. */
  unreachable: { reason: string };
  /** The first request answered after `expectAnswer()`. */
  answered: Record<string, never>;
  'list-changed': { kind: ListChangedKind };
  /** A response for no pending request was dropped (see guardReplies). */
  'unexpected-response': { id: string | number | null };
}

/** A live session to one endpoint, as the pool manages it. */
export interface Session extends McpSession, SessionInteractions {
  readonly isClosed: boolean;
  /**
   * When the session opened or last became idle, its last request finished (clock ms). It says
   * how long the session has been idle, so it is kept only while `inFlight` is 0.
   */
  readonly lastUsedAt: number;
  /** Why the session closed, once it has. */
  readonly closeReason: string | undefined;
  on: ReturnType<typeof createEmitter<SessionEvents>>['on'];
  /** Emit `answered` when the next request succeeds: evidence a degraded server is back. */
  expectAnswer(): void;
  /**
   * Calls `listener` each time the last request in flight ends (replacing any listener before;
   * `undefined` removes it). A retired session closes this way once idle (session-renewal.ts).
   */
  whenIdle(listener: (() => void) | undefined): void;
  /** Closes it; `reason` is what the pool reports (default "closed by the pool"). */
  close(reason?: string): Promise<void>;
}
