import { createRequire } from 'node:module';
import { createMultiServerClient } from '@mcpmx/client';

// server-everything from npm, over stdio: it offers its sampling, elicitation and roots tools
// to a client that advertises them.
const everything = createRequire(import.meta.url).resolve(
  '@modelcontextprotocol/server-everything/dist/index.js',
);
// Stand-ins for your UI and your model.
const askTheUser = async (message: string) => ({ name: `answer to "${message.slice(0, 20)}…"` });
const callYourModel = async (prompt: string) => `a reply to ${prompt.length} characters`;

// #region readme
const client = createMultiServerClient({
  config: { mcpServers: { everything: { command: process.execPath, args: [everything, 'stdio'] } } },
  // elicitation/create: form (SEP-1034 defaults are filled in after you answer) or URL mode.
  onElicitation: async (request, { server, call, signal }) => {
    if (request.mode === 'url') return { action: 'decline' };
    console.log(`${server} asks, during ${call?.name ?? 'no call'}: ${request.message}`);
    if (signal.aborted) return { action: 'cancel' };
    return { action: 'accept', content: await askTheUser(request.message) };
  },
  // sampling/createMessage.
  onSampling: async (request) => {
    const last = request.messages.at(-1)?.content;
    const prompt = last && 'text' in last ? String(last.text) : '';
    return {
      role: 'assistant',
      model: 'your-model',
      content: { type: 'text', text: await callYourModel(prompt) },
    };
  },
  // roots/list: a static list, or a function of the context.
  roots: [{ uri: 'file:///tmp/project', name: 'project' }],
  // notifications/message, tagged with the server and replica.
  onLog: (message, { server }) => console.log(`[${server}] ${message.level}:`, message.data),
  // Per server, handler by handler: this server's roots instead of the client's.
  servers: { everything: { roots: [{ uri: 'file:///tmp/everything', name: 'scratch' }] } },
  interactionTimeoutMs: 120_000,
});
await client.start();
const answered = await client.callTool('trigger-elicitation-request', {});
const sampled = await client.callTool('trigger-sampling-request', { prompt: 'Say hi' });
const roots = await client.callTool('get-roots-list', {});
// #endregion readme
const text = (result: typeof answered) =>
  result.content.map((item) => (item.type === 'text' ? item.text : '')).join('\n');
console.log(text(answered).includes('User provided'), text(sampled).includes('your-model'));
console.log(text(roots).includes('file:///tmp/everything'));
await client.close();
