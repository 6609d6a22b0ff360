// An MCP server over stdio with a large catalog: MANY_TOOLS tools (default 10000) named
// `tool_0` ... plus `echo`, each answering with its own name (echo: `Echo: <message>`). Built
// on the SDK's low-level Server, so listing 10,000 tools costs one array, not 10,000 schemas.
// MANY_TEMPLATE offers one resource template too (e.g. `x://{a}{b}/end`); a read answers with
// the URI's length.
import { Server } from '@modelcontextprotocol/server';
import { serveStdio } from '@modelcontextprotocol/server/stdio';

const count = Number(process.env.MANY_TOOLS ?? 10_000);
const inputSchema = { type: 'object' as const, properties: { message: { type: 'string' } } };
const tools = [
  { name: 'echo', description: 'Echoes `message`.', inputSchema },
  ...Array.from({ length: count }, (_, i) => ({ name: `tool_${i}`, inputSchema })),
];
const known = new Set(tools.map((tool) => tool.name));
const template = process.env.MANY_TEMPLATE;

serveStdio(() => {
  const server = new Server(
    { name: 'many-tools', version: '0.0.0' },
    { capabilities: { tools: {}, ...(template ? { resources: {} } : {}) } },
  );
  server.setRequestHandler('tools/list', async () => ({ tools }));
  server.setRequestHandler('tools/call', async (request) => {
    const { name, arguments: args } = request.params;
    if (!known.has(name)) {
      return { content: [{ type: 'text', text: `no tool ${name.slice(0, 64)}` }], isError: true };
    }
    const text = name === 'echo' ? `Echo: ${String(args?.message ?? '')}` : name;
    return { content: [{ type: 'text', text }] };
  });
  if (template) {
    server.setRequestHandler('resources/list', async () => ({ resources: [] }));
    server.setRequestHandler('resources/templates/list', async () => ({
      resourceTemplates: [{ uriTemplate: template, name: 'template' }],
    }));
    server.setRequestHandler('resources/read', async (request) => ({
      contents: [{ uri: request.params.uri, text: `${request.params.uri.length} characters` }],
    }));
  }
  return server;
});
