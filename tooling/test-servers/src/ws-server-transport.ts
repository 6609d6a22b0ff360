import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/server';
import { parseJSONRPCMessage } from '@modelcontextprotocol/server';
import type { WebSocket } from 'ws';

/**
 * The server side of MCP over WebSocket: one JSON-RPC message per text frame, subprotocol
 * `mcp`. The SDK ships no WebSocket transport; tests use this to serve @mcpmx/pool's client.
 */
export class WebSocketServerTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  constructor(private readonly socket: WebSocket) {}

  async start(): Promise<void> {
    this.socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.onerror?.(new Error('binary WebSocket frame; MCP uses text frames'));
        return;
      }
      try {
        this.onmessage?.(parseJSONRPCMessage(JSON.parse(data.toString())));
      } catch (error) {
        this.onerror?.(error instanceof Error ? error : new Error(String(error)));
      }
    });
    this.socket.on('close', () => this.onclose?.());
    this.socket.on('error', (error) => this.onerror?.(error));
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await new Promise<void>((resolve, reject) =>
      this.socket.send(JSON.stringify(message), (error) => (error ? reject(error) : resolve())),
    );
  }

  async close(): Promise<void> {
    this.socket.close();
  }
}
