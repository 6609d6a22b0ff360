import { ConnectError, ProtocolError, type WebSocketTransportConfig } from '@mcpmx/core';
import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';
import { parseJSONRPCMessage, SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { WebSocket } from 'ws';
import { DEFAULT_MAX_MESSAGE_BYTES } from './stdio-transport.js';

/** The WebSocket subprotocol MCP uses. */
export const MCP_SUBPROTOCOL = 'mcp';

/**
 * MCP over WebSocket through `ws`: one JSON-RPC message per text frame, subprotocol `mcp`.
 * The SDK has no WebSocket transport; this implements its Transport interface.
 */
export class WebSocketTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  private socket: WebSocket | undefined;
  private closeReason: string | undefined;
  private overflow: string | undefined;
  private readonly maxMessageBytes: number;

  /**
   * `maxMessageBytes` (default 32 MiB) is ws's `maxPayload`: a larger message closes the socket
   * with code 1009 before it is buffered whole.
   */
  constructor(
    private readonly config: WebSocketTransportConfig,
    options: { maxMessageBytes?: number } = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  /** Why the socket closed, once it has. */
  get reason(): string | undefined {
    return this.closeReason;
  }

  start(): Promise<void> {
    if (this.socket) {
      throw new ConnectError(
        `WebSocketTransport for ${this.config.url} was already started; a transport serves one session, so createTransport must return a new one each time`,
      );
    }
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(this.config.url, MCP_SUBPROTOCOL, {
        headers: { ...this.config.headers },
        handshakeTimeout: 30_000,
        maxPayload: this.maxMessageBytes,
      });
      this.socket = socket;
      let open = false;
      socket.once('open', () => {
        open = true;
        if (socket.protocol !== MCP_SUBPROTOCOL) {
          socket.terminate();
          reject(
            new ConnectError(
              `${this.config.url} did not accept the "${MCP_SUBPROTOCOL}" WebSocket subprotocol; is it an MCP WebSocket endpoint?`,
            ),
          );
          return;
        }
        resolve();
      });
      socket.on('message', (data, isBinary) => {
        if (isBinary) {
          this.onerror?.(
            new ProtocolError(
              `${this.config.url} sent a binary WebSocket frame; MCP uses text frames`,
            ),
          );
          return;
        }
        let message: JSONRPCMessage;
        try {
          message = parseJSONRPCMessage(JSON.parse(data.toString()));
        } catch (error) {
          this.onerror?.(
            new ProtocolError(`${this.config.url} sent a WebSocket frame that is not JSON-RPC`, {
              cause: error,
            }),
          );
          return;
        }
        this.onmessage?.(message);
      });
      socket.on('error', (error: Error & { code?: string }) => {
        if (error.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH') {
          this.overflow = `the server sent a message larger than maxMessageBytes (${this.maxMessageBytes} bytes)`;
        }
        if (!open) {
          reject(
            new ConnectError(`could not open a WebSocket to ${this.config.url}: ${error.message}`, {
              cause: error,
            }),
          );
        } else this.onerror?.(error);
      });
      socket.once('close', (code, reason) => {
        const why = this.overflow === undefined ? '' : `: ${this.overflow}`;
        this.closeReason = `socket closed (code ${code}${reason.length ? `, ${reason}` : ''})${why}`;
        this.socket = undefined;
        if (!open) {
          reject(
            new ConnectError(
              `the WebSocket to ${this.config.url} closed before it opened (${this.closeReason})`,
            ),
          );
        }
        this.onclose?.();
      });
    });
  }

  async send(message: JSONRPCMessage): Promise<void> {
    const socket = this.socket;
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      // NotConnected says the request was never sent, so the pool may send it elsewhere.
      // (The socket is CLOSING between the server's close frame and the 'close' event.)
      throw new SdkError(SdkErrorCode.NotConnected, 'WebSocket is not open');
    }
    await new Promise<void>((resolve, reject) =>
      socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    const socket = this.socket;
    if (!socket) return;
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.close(1000);
    const force = setTimeout(() => socket.terminate(), 1000);
    force.unref();
    await closed;
    clearTimeout(force);
  }
}
