import { appendFileSync } from 'node:fs';

/** One tools/call as the audit log records it. */
export interface AuditEntry {
  /** The caller (`sub`, else client id); absent without `gateway.auth`. */
  principal: string | undefined;
  /** The tool as called (its federated name). */
  tool: string;
  /** The server that owns it, when there is one. */
  server: string | undefined;
  /** `ok`; `error` (a tool error result); `failed` (routing, transport); `denied` (policy). */
  outcome: 'ok' | 'error' | 'failed' | 'denied';
  durationMs: number;
  arguments?: unknown;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
}

export interface AuditLogOptions {
  /** A file the JSON lines are appended to (created 0600), or '-' for stderr. */
  destination: string;
  /** Record each call's arguments too. Default false: they may hold personal data. */
  arguments?: boolean;
  /** Applied to every line (the client's redactor: no config secret is written). */
  redact: (text: string) => string;
  now?: () => number;
}

/**
 * `mcpmx serve --audit <file>`: one JSON line per `tools/call` (`time`, `principal`, `tool`,
 * `server`, `outcome`, `durationMs`), appended synchronously so a line is never half written or
 * lost to a crash, without arguments unless asked. A write that fails is reported once to
 * `onError`; the call is not failed by it.
 */
export function createAuditLog(
  options: AuditLogOptions,
  onError: (error: Error) => void = () => undefined,
): AuditLog {
  const now = options.now ?? Date.now;
  let failed = false;
  const write = (line: string) => {
    if (options.destination === '-') {
      process.stderr.write(line);
      return;
    }
    appendFileSync(options.destination, line, { mode: 0o600 });
  };
  return {
    record(entry) {
      const { arguments: args, ...rest } = entry;
      const line = JSON.stringify({
        time: new Date(now()).toISOString(),
        event: 'tools/call',
        ...rest,
        ...(options.arguments ? { arguments: args } : {}),
      });
      try {
        write(`${options.redact(line)}\n`);
      } catch (error) {
        if (!failed) onError(error as Error);
        failed = true;
      }
    },
  };
}
