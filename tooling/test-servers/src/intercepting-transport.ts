import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

/** What an interceptor does with one outgoing message. */
export type Interception = 'pass' | 'drop' | Error;

/**
 * A client transport that passes everything through to `inner`, except what `intercept`
 * decides about an outgoing message: `drop` it (never sent, so never answered) or fail its send
 * with an Error (as a transport that could not write it). For tests that need one request to
 * vanish or be refused while the rest of the session works.
 */
export class InterceptingTransport implements Transport {
  intercept: (message: JSONRPCMessage) => Interception = () => 'pass';
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];

  constructor(private readonly inner: Transport) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (error) => this.onerror?.(error);
    inner.onmessage = (message, extra) => this.onmessage?.(message, extra);
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  async send(...args: Parameters<Transport['send']>): Promise<void> {
    const verdict = this.intercept(args[0]);
    if (verdict === 'drop') return;
    if (verdict instanceof Error) throw verdict;
    return this.inner.send(...args);
  }
}
