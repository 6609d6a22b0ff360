import { LOGGING_LEVELS, type LogContext, type LogListener } from '@mcpmx/client';
import type { LoggingLevel, LoggingMessageNotificationParams } from '@modelcontextprotocol/server';

/** RFC 5424 severities as MCP names them, least severe first. */
const SEVERITY: readonly LoggingLevel[] = LOGGING_LEVELS;
const rank = (level: LoggingLevel) => SEVERITY.indexOf(level);

/**
 * An upstream log message as a downstream client sees it: tagged with the server that sent it,
 * as its `logger` (`<server>`, or `<server>/<logger>` when the upstream named one).
 */
export function tagLogMessage(
  message: LoggingMessageNotificationParams,
  context: LogContext,
): LoggingMessageNotificationParams {
  const logger = message.logger ? `${context.server}/${message.logger}` : context.server;
  return { ...message, logger };
}

/** One downstream session's end of the relay. */
export interface LogSink {
  /** Whether a message of this level passes the session's `logging/setLevel` (none set: all). */
  accepts(level: LoggingLevel): boolean;
  /** The session's `logging/setLevel`: filters its messages, and sets the upstream level. */
  setLevel(level: LoggingLevel): Promise<void>;
  /** The session ended. Idempotent. */
  leave(): void;
}

export interface LogRelay {
  /**
   * The client's `onLog`: a message that belongs to no call goes to every session, within its
   * level. One that belongs to a call goes only to the session that made it (through that
   * call's own `onLog`), so it is not repeated here.
   */
  readonly onLog: LogListener;
  /** A downstream session joins; `send` delivers one (tagged) message to it. */
  join(send: (message: LoggingMessageNotificationParams) => void): LogSink;
}

/**
 * Upstream log messages for the gateway's downstream sessions. The upstream servers get one
 * level for all sessions: the most verbose any open session asked for (`applyLevel`, the
 * client's setLogLevel); each session then sees only what its own level lets through.
 */
export function createLogRelay(options: {
  applyLevel: (level: LoggingLevel) => Promise<void>;
}): LogRelay {
  const sinks = new Set<{
    level: LoggingLevel | undefined;
    send: (m: LoggingMessageNotificationParams) => void;
  }>();
  let applied: LoggingLevel | undefined;

  const mostVerbose = () => {
    let level: LoggingLevel | undefined;
    for (const sink of sinks) {
      if (sink.level !== undefined && (level === undefined || rank(sink.level) < rank(level))) {
        level = sink.level;
      }
    }
    return level;
  };
  const reapply = async () => {
    const level = mostVerbose();
    if (level === undefined || level === applied) return;
    await options.applyLevel(level);
    applied = level;
  };

  return {
    onLog(message, context) {
      if (context.call) return;
      const tagged = tagLogMessage(message, context);
      for (const sink of sinks) {
        if (sink.level === undefined || rank(message.level) >= rank(sink.level)) sink.send(tagged);
      }
    },
    join(send) {
      const sink = { level: undefined as LoggingLevel | undefined, send };
      sinks.add(sink);
      return {
        accepts: (level) => sink.level === undefined || rank(level) >= rank(sink.level),
        async setLevel(level) {
          sink.level = level;
          await reapply();
        },
        leave() {
          if (!sinks.delete(sink)) return;
          // A quieter level upstream once the most verbose session is gone.
          void reapply().catch(() => undefined);
        },
      };
    },
  };
}
