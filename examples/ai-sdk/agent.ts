import { createAiSdkTools } from '@mcpmx/ai-sdk';
import { createMultiServerClient } from '@mcpmx/client';
import { generateText, type LanguageModel, stepCountIs } from 'ai';

// Your provider's model, e.g. `openai('gpt-5')` from @ai-sdk/openai.
declare const model: LanguageModel;

// #region readme
const client = createMultiServerClient({ config: './mcp.json', env: process.env });
await client.start();
const mcp = createAiSdkTools(client, { timeoutMs: 30_000 });

const { text, steps } = await generateText({
  model,
  tools: mcp.tools(), // the catalog as it is now: call tools() again for the next run
  stopWhen: stepCountIs(10),
  prompt: 'Read /tmp/notes.txt and list its action items.',
  abortSignal: AbortSignal.timeout(120_000), // cancels the tool call in flight on its server
});
console.log(text, steps.flatMap((step) => step.toolCalls.map((toolCall) => toolCall.toolName)));
await client.close();
// #endregion readme
