import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { createReactAgent } from '@langchain/langgraph/prebuilt';
import { createMultiServerClient } from '@mcpmx/client';
import { createLangChainTools } from '@mcpmx/langchain';

// Your chat model, e.g. `new ChatOpenAI({ model: 'gpt-5' })` from @langchain/openai.
declare const llm: BaseChatModel;

// #region readme
const client = createMultiServerClient({ config: './mcp.json', env: process.env });
await client.start();
const mcp = createLangChainTools(client, { timeoutMs: 30_000 });

// The catalog as it is now: build the agent again (or per run) to follow catalog changes.
const agent = createReactAgent({ llm, tools: mcp.tools() });
const { messages } = await agent.invoke(
  { messages: [{ role: 'user', content: 'Read /tmp/notes.txt and list its action items.' }] },
  { signal: AbortSignal.timeout(120_000) }, // cancels the tool call in flight on its server
);
console.log(messages.at(-1)?.content);
await client.close();
// #endregion readme
