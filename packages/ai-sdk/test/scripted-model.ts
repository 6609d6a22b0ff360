import { MockLanguageModelV3 } from 'ai/test';

/** The prompt the AI SDK hands the model for one step. */
export type Prompt = MockLanguageModelV3['doGenerateCalls'][number]['prompt'];
type Content =
  | { type: 'text'; text: string }
  | { type: 'tool-call'; toolName: string; input: unknown };

/**
 * The AI SDK's own test model, scripted: step `i` answers with `steps[i](prompt)`, a tool call
 * or text, so the loop runs as with a real model and each step can read the tool results the
 * SDK put in its prompt.
 */
export function scriptedModel(steps: ((prompt: Prompt) => Content[])[]): MockLanguageModelV3 {
  let step = 0;
  return new MockLanguageModelV3({
    doGenerate: async ({ prompt }) => {
      const script = steps[step++];
      if (script === undefined) throw new Error(`the script has no step ${step}`);
      const content = script(prompt).map((part, index) =>
        part.type === 'text'
          ? part
          : {
              type: 'tool-call' as const,
              toolCallId: `call-${step}-${index}`,
              toolName: part.toolName,
              input: JSON.stringify(part.input),
            },
      );
      const calls = content.some((part) => part.type === 'tool-call');
      return {
        content,
        finishReason: { unified: calls ? 'tool-calls' : 'stop', raw: undefined },
        usage: {
          inputTokens: { total: 1, noCache: 1, cacheRead: undefined, cacheWrite: undefined },
          outputTokens: { total: 1, text: 1, reasoning: undefined },
        },
        warnings: [],
      };
    },
  });
}

/** The tool results in a step's prompt, as the model reads them. */
export function toolOutputs(prompt: Prompt): { toolName: string; output: unknown }[] {
  return prompt.flatMap((message) =>
    message.role === 'tool'
      ? message.content.flatMap((part) =>
          part.type === 'tool-result' ? [{ toolName: part.toolName, output: part.output }] : [],
        )
      : [],
  );
}

export const say = (text: string): Content => ({ type: 'text', text });
export const call = (toolName: string, input: unknown): Content => ({
  type: 'tool-call',
  toolName,
  input,
});

/** The `value` of the last tool result in a step's prompt (text, error-text or json). */
export function lastOutputValue(prompt: Prompt): unknown {
  const output = toolOutputs(prompt).at(-1)?.output as { value?: unknown } | undefined;
  return output?.value;
}
