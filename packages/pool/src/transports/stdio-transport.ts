import { type ChildProcess, spawn } from 'node:child_process';
import type { Writable } from 'node:stream';
import { ConnectError, ProtocolError, type StdioTransportConfig } from '@mcpmx/core';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import {
  deserializeMessage,
  SdkError,
  SdkErrorCode,
  serializeMessage,
} from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { OutputTail, quoteOutput } from './output-tail.js';

/** The default bound on one incoming message: 32 MiB. See the README for the reasoning. */
export const DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024;

export interface StdioTransportOptions {
  /** Characters of the child's stderr kept for error messages. Default 8192. */
  stderrLimit?: number;
  /** How long close() waits after SIGTERM before SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
  /**
   * The longest stdout line (one JSON-RPC message) accepted, in bytes. A longer one closes the
   * transport, so a server cannot grow this process's memory without bound. Default 32 MiB.
   */
  maxMessageBytes?: number;
}

/** How a stdio child ended, for status reasons and error messages. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export function describeExit(exit: ProcessExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
}

/**
 * MCP over a child's stdin/stdout. Unlike the SDK's stdio transport it keeps the child's
 * stderr in a bounded buffer, reports how the child exited, names the command when it cannot
 * be started, reports garbage on stdout as a protocol error, and on close escalates from
 * closing stdin to SIGTERM to SIGKILL so that no child outlives it.
 */
export class StdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  /**
   * Called for each stdout line that is not JSON-RPC. Kept apart from `onerror`, which the SDK
   * rewires during the handshake, so a session can fail the handshake fast on garbage.
   */
  ongarbage?: (error: GarbageOutputError) => void;

  readonly stderr: OutputTail;
  private child: ChildProcess | undefined;
  /** The bytes of an unfinished line, kept as chunks: decoded only once the line is whole. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Set when the server broke the message size limit; the transport is then closing. */
  private overflow: string | undefined;
  private readonly maxMessageBytes: number;
  private exitInfo: ProcessExit | undefined;
  private exited: Promise<void> | undefined;
  private closing = false;
  /** stdin while it is corked: the messages sent in one turn of the event loop go out as one write. */
  private corked: Writable | undefined;
  private readonly killGraceMs: number;

  constructor(
    private readonly config: StdioTransportConfig,
    options: StdioTransportOptions = {},
  ) {
    this.stderr = new OutputTail(options.stderrLimit ?? 8192);
    this.killGraceMs = options.killGraceMs ?? 2000;
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Set once the child has exited. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  start(): Promise<void> {
    if (this.child) {
      throw new ConnectError(
        `StdioTransport for "${this.config.command}" was already started; a transport serves one session, so createTransport must return a new one each time`,
      );
    }
    const { command, args = [], env, cwd } = this.config;
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        env: { ...getDefaultEnvironment(), ...env },
        cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        shell: false,
        windowsHide: true,
      });
      this.child = child;
      this.exited = new Promise((done) => child.once('close', () => done()));
      child.once('spawn', () => resolve());
      child.once('error', (error: NodeJS.ErrnoException) => {
        const reason =
          error.code === 'ENOENT'
            ? `command not found: "${command}" (${cwd ? `cwd ${cwd}, ` : ''}check the command and PATH)`
            : error.code === 'EACCES'
              ? `command not executable: "${command}"`
              : `could not start "${command}": ${error.message}`;
        const wrapped = new ConnectError(reason, { cause: error });
        reject(wrapped);
        this.onerror?.(wrapped);
      });
      child.once('close', (code, signal) => {
        this.exitInfo = { code, signal };
        this.child = undefined;
        this.onclose?.();
      });
      child.stdin?.on('error', (error) => this.onerror?.(error));
      child.stdout?.on('error', (error) => this.onerror?.(error));
      child.stderr?.setEncoding('utf8');
      child.stderr?.on('data', (chunk: string) => this.stderr.append(chunk));
      child.stdout?.on('data', (chunk: Buffer) => this.receive(chunk));
    });
  }

  /**
   * Splits stdout into lines on the byte 0x0A. Lines are decoded as UTF-8 only once whole: a
   * character split across two reads is not mangled. Each newline is found once, so a long
   * line costs linear time.
   */
  private receive(chunk: Buffer): void {
    if (this.overflow !== undefined) return;
    let start = 0;
    let newline = chunk.indexOf(0x0a);
    while (newline !== -1) {
      const length = this.pendingBytes + newline - start;
      if (length > this.maxMessageBytes) {
        this.tooLong(length);
        return;
      }
      const tail = chunk.subarray(start, newline);
      const line = this.pending.length === 0 ? tail : Buffer.concat([...this.pending, tail]);
      this.pending = [];
      this.pendingBytes = 0;
      this.handleLine(line.toString('utf8'));
      if (this.overflow !== undefined) return;
      start = newline + 1;
      newline = chunk.indexOf(0x0a, start);
    }
    if (start === chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.pendingBytes + rest.length > this.maxMessageBytes) {
      this.tooLong(this.pendingBytes + rest.length);
      return;
    }
    this.pending.push(rest);
    this.pendingBytes += rest.length;
  }

  private handleLine(text: string): void {
    const line = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (line.trim() === '') return;
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch {
      this.reportGarbage(JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line));
      return;
    }
    this.onmessage?.(message);
  }

  /**
   * The server sent a line longer than maxMessageBytes: drop what was buffered and close, so
   * in-flight requests fail at once with the reason instead of waiting for their timeout.
   */
  private tooLong(bytes: number): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.overflow = `the server sent a message larger than maxMessageBytes (${this.maxMessageBytes} bytes; the line had reached ${bytes} bytes), so the session was closed`;
    const error = new GarbageOutputError(this.overflow);
    this.ongarbage?.(error);
    this.onerror?.(error);
    void this.close();
  }

  private reportGarbage(what: string): void {
    const garbage = new GarbageOutputError(
      `the server wrote to stdout something that is not JSON-RPC: ${what}`,
    );
    this.ongarbage?.(garbage);
    this.onerror?.(garbage);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const stdin = this.child?.stdin;
    if (!stdin || stdin.destroyed || this.closing) {
      // NotConnected says the request was never sent, so the pool may send it elsewhere.
      throw new SdkError(SdkErrorCode.NotConnected, 'the server process is not running');
    }
    // Every message sent before this turn's callbacks run leaves in one write (one syscall, not
    // one per message): stdin is corked at the first and uncorked once the turn's work is done.
    if (this.corked === undefined) {
      this.corked = stdin;
      stdin.cork();
      process.nextTick(this.uncork);
    }
    // Write errors reach onerror through the stdin 'error' listener set in start().
    if (!stdin.write(serializeMessage(message))) {
      await new Promise<void>((resolve) => stdin.once('drain', resolve));
    }
  }

  private readonly uncork = () => {
    const stdin = this.corked;
    this.corked = undefined;
    stdin?.uncork();
  };

  /** Closes stdin, then SIGTERM, then SIGKILL; resolves once the child has exited. */
  async close(): Promise<void> {
    const child = this.child;
    if (!child || this.closing) return this.exited;
    this.closing = true;
    if (child.pid === undefined) {
      // The spawn failed (no such command): there is no process. Never call kill() here: with
      // no pid, libuv would signal pid 0, which is this whole process group.
      this.child = undefined;
      return;
    }
    if (child.exitCode !== null || child.signalCode !== null) return this.exited;
    child.stdin?.end();
    child.kill('SIGTERM');
    const grace = setTimeout(() => child.kill('SIGKILL'), this.killGraceMs);
    grace.unref();
    await this.exited;
    clearTimeout(grace);
  }

  /** A description of the child's end, with its stderr quoted. */
  describe(): string {
    const exit = this.exitInfo ? `process ${describeExit(this.exitInfo)}` : 'process running';
    const why = this.overflow === undefined ? '' : `${this.overflow}; `;
    return `${why}${exit}${quoteOutput('stderr', this.stderr.toString())}`;
  }
}

/** Marks stdout garbage, so the session can fail the handshake fast with its message. */
export class GarbageOutputError extends ProtocolError {
  constructor(message: string) {
    super(message);
    this.name = 'GarbageOutputError';
  }
}
