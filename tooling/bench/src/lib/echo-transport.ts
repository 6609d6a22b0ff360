import type { JSONRPCMessage, Transport } from '@modelcontextprotocol/client';

const TOOLS = [
  {
    name: 'echo',
    description: 'Returns its message.',
    inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
  },
];

/**
 * A client transport with a minimal MCP server behind it, in the same process: it answers the
 * 2025-11-25 `initialize`, `tools/list` (one tool, `echo`), `tools/call` and `ping` on the next
 * turn of the event loop (`setImmediate`), and anything else with "method not found". No
 * server SDK, no schema validation, no I/O: what is left of a call is the client side's work,
 * which is what the call-overhead bench compares.
 */
export class EchoTransport implements Transport {
  onmessage?: Transport['onmessage'];
  onclose?: () => void;
  onerror?: (error: Error) => void;

  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.onclose?.();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!('method' in message) || !('id' in message) || message.id === undefined) return;
    const params = (message.params ?? {}) as Record<string, unknown>;
    const result = answer(message.method, params);
    const reply = (
      result === undefined
        ? { jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'Method not found' } }
        : { jsonrpc: '2.0', id: message.id, result }
    ) as JSONRPCMessage;
    setImmediate(() => this.onmessage?.(reply));
  }
}

function answer(method: string, params: Record<string, unknown>): unknown {
  switch (method) {
    case 'initialize':
      return {
        protocolVersion: params.protocolVersion,
        capabilities: { tools: {} },
        serverInfo: { name: 'echo', version: '1.0.0' },
      };
    case 'tools/list':
      return { tools: TOOLS };
    case 'tools/call': {
      const args = (params.arguments ?? {}) as { message?: unknown };
      return { content: [{ type: 'text', text: `Echo: ${String(args.message)}` }] };
    }
    case 'ping':
      return {};
    default:
      return undefined;
  }
}
