import { createInterface } from 'node:readline';
import type { ConfigInput, InputResolver } from '@mcpmx/registry';

/** The terminal an input is asked on. */
export interface PromptTerminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown };
  output: NodeJS.WritableStream;
}

/**
 * A config's `promptString` inputs, asked on the terminal: a secret one (`"password": true`)
 * without echo, the others on a readline with their default shown. Each input is asked once
 * for the life of the resolver, so a config read twice (settings, then servers) or re-read
 * after an edit asks nothing again. Without a TTY on stdin nothing is asked: the input comes
 * from `MCPMX_INPUT_<ID>`, its default, or is a config error naming that variable.
 */
export function createTerminalInputResolver(
  terminal: PromptTerminal = { input: process.stdin, output: process.stderr },
): InputResolver {
  const answers = new Map<string, Promise<string | undefined>>();
  let queue: Promise<unknown> = Promise.resolve();
  return (input) => {
    if (terminal.input.isTTY !== true) return undefined;
    let answer = answers.get(input.id);
    if (!answer) {
      // One question on the terminal at a time.
      answer = queue.then(() => ask(terminal, input));
      queue = answer.catch(() => undefined);
      answers.set(input.id, answer);
    }
    return answer;
  };
}

function questionOf(input: ConfigInput): string {
  const label = input.description ? `${input.description} (${input.id})` : input.id;
  const fallback = input.default !== undefined && !input.password ? ` [${input.default}]` : '';
  return `${label}${fallback}: `;
}

async function ask(terminal: PromptTerminal, input: ConfigInput): Promise<string | undefined> {
  const typed = input.password
    ? await askWithoutEcho(terminal, questionOf(input))
    : await askWithEcho(terminal, questionOf(input));
  // An empty answer takes the default (undefined: the library applies it, or reports the input).
  return typed === '' && input.default !== undefined ? undefined : typed;
}

function askWithEcho(terminal: PromptTerminal, question: string): Promise<string> {
  const lines = createInterface({ input: terminal.input, output: terminal.output, terminal: true });
  return new Promise<string>((resolve, reject) => {
    lines.once('SIGINT', () => {
      lines.close();
      reject(new Error(`cancelled while asking: ${question.trim()}`));
    });
    lines.question(question, (answer) => {
      lines.close();
      resolve(answer);
    });
  });
}

/** Raw mode, so the terminal shows nothing of what is typed; Enter ends, Ctrl-C cancels. */
function askWithoutEcho(terminal: PromptTerminal, question: string): Promise<string> {
  const { input, output } = terminal;
  // Raw before the question shows: nothing typed after it can be echoed.
  input.setRawMode?.(true);
  input.resume();
  output.write(question);
  return new Promise<string>((resolve, reject) => {
    let typed = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode?.(false);
      input.pause();
      output.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n' || char === '\u0004') return finish();
        if (char === '\u0003')
          return finish(new Error(`cancelled while asking: ${question.trim()}`));
        if (char === '\u007f' || char === '\b') typed = typed.slice(0, -1);
        else typed += char;
      }
    };
    input.on('data', onData);
  });
}
