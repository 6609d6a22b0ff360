import type { ConfigIssue } from '@mcpmx/core';
import { checkWithSchema } from './config-issues.js';
import { INPUT_ID, inputSchema } from './config-schema.js';
import type { EnvAccess, InputValues } from './env-access.js';

/** One `promptString` entry of a config's `inputs` (VS Code's `.vscode/mcp.json`). */
export interface ConfigInput {
  id: string;
  description?: string;
  /** A secret: asked for without echo. */
  password: boolean;
  default?: string;
  /** The environment variable it is read from before anything is asked: `MCPMX_INPUT_<ID>`. */
  variable: string;
}

/**
 * Asks for an input's value, for example on a terminal. Undefined leaves the input to its
 * `default`, else to a config error.
 */
export type InputResolver = (
  input: ConfigInput,
) => string | undefined | Promise<string | undefined>;

/** `api-key` → `MCPMX_INPUT_API_KEY`: upper-cased, every other character than A-Z, 0-9 as `_`. */
export function inputVariable(id: string): string {
  return `MCPMX_INPUT_${id.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

/** The inputs a document declares, by id; with `issues`, each problem with them is reported. */
export function declaredInputs(
  document: Readonly<Record<string, unknown>>,
  issues: ConfigIssue[] = [],
): Map<string, ConfigInput> {
  const declared = new Map<string, ConfigInput>();
  const inputs = document.inputs;
  if (!Array.isArray(inputs)) return declared;
  for (let index = 0; index < inputs.length; index++) {
    const path = `inputs[${index}]`;
    const input = checkWithSchema(inputSchema, inputs[index], path, issues);
    if (!input) continue;
    if (declared.has(input.id)) {
      issues.push({ path: `${path}.id`, expected: 'an id not declared before', found: input.id });
      continue;
    }
    declared.set(input.id, {
      id: input.id,
      ...(input.description !== undefined ? { description: input.description } : {}),
      password: input.password ?? false,
      ...(input.default !== undefined ? { default: input.default } : {}),
      variable: inputVariable(input.id),
    });
  }
  return declared;
}

const REFERENCE = /\$\{input:([^}]*)\}/g;

/** The ids named by `${input:ID}` in any string of `value`, to `maxDepth` levels. */
export function referencedInputs(value: unknown, maxDepth: number): Set<string> {
  const ids = new Set<string>();
  const visit = (item: unknown, depth: number): void => {
    if (typeof item === 'string') {
      if (item.includes('${input:'))
        for (const match of item.matchAll(REFERENCE)) ids.add(match[1] as string);
      return;
    }
    if (depth > maxDepth || typeof item !== 'object' || item === null) return;
    // A disabled server or replica is not interpolated, so its inputs are not asked for.
    if (!Array.isArray(item) && (item as { disabled?: unknown }).disabled === true) return;
    for (const child of Array.isArray(item) ? item : Object.values(item)) visit(child, depth + 1);
  };
  visit(value, 0);
  return ids;
}

/**
 * The value of each declared input: given (`options.inputs`, a resolver's answers), else its
 * environment variable `MCPMX_INPUT_<ID>` (unless envDeny names it; envAllow does not apply,
 * since a config cannot choose a name outside that prefix), else its `default`.
 */
export function createInputValues(
  declared: ReadonlyMap<string, ConfigInput>,
  given: Readonly<Record<string, string>>,
  access: EnvAccess,
): InputValues {
  return {
    value: (id) => {
      const input = declared.get(id);
      if (!input) return undefined;
      const explicit = explicitValue(input, given, access);
      if (explicit !== undefined) return { text: explicit, secret: true };
      return input.default === undefined ? undefined : { text: input.default, secret: false };
    },
    missing: (id) => {
      if (!INPUT_ID.test(id)) return 'an input id of letters, digits, "_", "-" or "."';
      const input = declared.get(id);
      if (!input) return `an input "${id}" declared under "inputs"`;
      return `a value for input "${id}": set ${input.variable}, or run where it can be asked for`;
    },
  };
}

/** Given, or from the input's environment variable: a value no one needs to ask for. */
function explicitValue(
  input: ConfigInput,
  given: Readonly<Record<string, string>>,
  access: EnvAccess,
): string | undefined {
  const answer = Object.hasOwn(given, input.id) ? given[input.id] : undefined;
  if (typeof answer === 'string') return answer;
  const fromEnv = Object.hasOwn(access.env, input.variable)
    ? access.env[input.variable]
    : undefined;
  return typeof fromEnv === 'string' && !access.denied(input.variable) ? fromEnv : undefined;
}

/**
 * Asks `resolve` for each input the document declares and uses, except those that already
 * have a value (given, or from the environment): their answers, by id.
 */
export async function askForInputs(
  document: Readonly<Record<string, unknown>>,
  given: Readonly<Record<string, string>>,
  access: EnvAccess,
  resolve: InputResolver,
  maxDepth: number,
): Promise<Record<string, string>> {
  const declared = declaredInputs(document);
  const used = referencedInputs(document, maxDepth);
  const answers: Record<string, string> = {};
  for (const [id, input] of declared) {
    if (!used.has(id)) continue;
    if (explicitValue(input, given, access) !== undefined) continue;
    // One at a time: a terminal asks one question at once.
    const answer = await resolve(input);
    if (typeof answer === 'string') answers[id] = answer;
  }
  return answers;
}
