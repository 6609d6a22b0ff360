import type { JSONRPCMessage, Transport, TransportSendOptions } from '@modelcontextprotocol/server';

/**
 * A process-wide switch for `hang { all: true }`: once closed, the server reads requests and
 * answers none of them, pings and initialize included, like a wedged event loop that still
 * holds its sockets open.
 */
export class FaultGate {
  #hung = false;
  readonly #listeners = new Set<() => void>();

  get hung(): boolean {
    return this.#hung;
  }

  hangAll(): void {
    if (this.#hung) return;
    this.#hung = true;
    for (const listener of this.#listeners) listener();
  }

  /** Runs `listener` once the gate closes (at once if it already has). Returns a disposer. */
  onHang(listener: () => void): () => void {
    if (this.#hung) {
      listener();
      return () => undefined;
    }
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/**
 * Wraps a server transport so that, once `gate` closes, nothing more goes out: answers,
 * notifications and errors are dropped. Incoming messages still reach the server (so a
 * request is "received" and then never answered).
 */
export class GatedTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: Transport['onmessage'];

  constructor(
    private readonly inner: Transport,
    private readonly gate: FaultGate,
  ) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    if (this.gate.hung) return;
    await this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.inner.setSupportedProtocolVersions?.(versions);
  }
}
