import { type ChildProcess, spawn } from 'node:child_process';
import type { StdioTransportConfig } from '@mcpmx/core';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { deserializeMessage, serializeMessage } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/client/stdio';
import { OutputTail, quoteOutput } from './output-tail.js';

/** The longest stdout line accepted, in characters (10 MiB, as the SDK). */
const MAX_LINE = 10 * 1024 * 1024;

export interface StdioTransportOptions {
  /** Characters of the child's stderr kept for error messages. Default 8192. */
  stderrLimit?: number;
  /** How long close() waits after SIGTERM before SIGKILL. Default 2000 ms. */
  killGraceMs?: number;
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
  private pending = '';
  private exitInfo: ProcessExit | undefined;
  private exited: Promise<void> | undefined;
  private closing = false;
  private readonly killGraceMs: number;

  constructor(
    private readonly config: StdioTransportConfig,
    options: StdioTransportOptions = {},
  ) {
    this.stderr = new OutputTail(options.stderrLimit ?? 8192);
    this.killGraceMs = options.killGraceMs ?? 2000;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Set once the child has exited. */
  get exit(): ProcessExit | undefined {
    return this.exitInfo;
  }

  start(): Promise<void> {
    if (this.child) throw new Error('StdioTransport already started');
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
        const wrapped = new Error(reason, { cause: error });
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

  private receive(chunk: Buffer): void {
    this.pending += chunk.toString('utf8');
    if (this.pending.length > MAX_LINE) {
      this.pending = '';
      this.reportGarbage(`a line longer than ${MAX_LINE} characters`);
      return;
    }
    let start = 0;
    let newline = this.pending.indexOf('\n');
    while (newline !== -1) {
      const line = this.pending.slice(start, newline).replace(/\r$/, '');
      start = newline + 1;
      newline = this.pending.indexOf('\n', start);
      if (line.trim() === '') continue;
      let message: JSONRPCMessage;
      try {
        message = deserializeMessage(line);
      } catch {
        this.reportGarbage(JSON.stringify(line.length > 80 ? `${line.slice(0, 80)}…` : line));
        continue;
      }
      this.onmessage?.(message);
    }
    if (start > 0) this.pending = this.pending.slice(start);
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
    if (!stdin || stdin.destroyed) throw new Error('the server process is not running');
    // Write errors reach onerror through the stdin 'error' listener set in start().
    if (!stdin.write(serializeMessage(message))) {
      await new Promise<void>((resolve) => stdin.once('drain', resolve));
    }
  }

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
    return `${exit}${quoteOutput('stderr', this.stderr.toString())}`;
  }
}

/** Marks stdout garbage so the session can fail the handshake fast with a ProtocolError. */
export class GarbageOutputError extends Error {
  override name = 'GarbageOutputError';
}
