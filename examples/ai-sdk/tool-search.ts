import { createAiSdkTools, createToolSearchStep } from '@mcpmx/ai-sdk';
import { createMultiServerClient } from '@mcpmx/client';
import { generateText, type LanguageModel, stepCountIs } from 'ai';

declare const model: LanguageModel;
// Any ranking of federated tool names for a query: your own index, an embedding search.
declare function rankTools(query: string, limit: number): Promise<string[]>;

const client = createMultiServerClient({ config: './mcp.json', env: process.env });
await client.start();
// #region readme
const mcp = createAiSdkTools(client);
const { text } = await generateText({
  model,
  tools: mcp.tools(),
  // Each step sees the 5 best-ranked tools for the user's message, plus `read_text_file`.
  prepareStep: createToolSearchStep(mcp, {
    search: rankTools,
    limit: 5,
    alwaysActive: ['read_text_file'],
  }),
  stopWhen: stepCountIs(10),
  prompt: 'Which open issues mention the billing service?',
});
// #endregion readme
console.log(text);
await client.close();
