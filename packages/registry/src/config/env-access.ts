import { InvalidOptionError } from '@mcpmx/core';

/** A variable name, or a pattern of one where `*` stands for any run of name characters. */
const PATTERN = /^[A-Za-z0-9_*]+$/;

/**
 * What `${NAME}` may read while one config is parsed, and what it did read: the environment,
 * the allowlist and the names never read, and every value read (for a redactor).
 */
export interface EnvAccess {
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Why `name` may not be read (the issue's `expected`), or undefined when it may. The text
   * names the variable and the rule, never a value.
   */
  refusal(name: string): string | undefined;
  /** Whether `name` is never read (envDeny), whatever reads it. */
  denied(name: string): boolean;
  /** Every non-empty value read from `env` or an input so far. */
  read: Set<string>;
  /** VS Code's predefined variables (`workspaceFolder`, `userHome`), read before `env`. */
  predefined?: Readonly<Record<string, string>>;
  /** The values of `${input:ID}`, once the config's `inputs` are known. */
  inputs?: InputValues;
}

/** The values of a config's declared inputs (see config-inputs.ts). */
export interface InputValues {
  /**
   * The input's value, or undefined when it has none (or is not declared). `secret` is false
   * for the input's `default`, which is config text.
   */
  value(id: string): { text: string; secret: boolean } | undefined;
  /** Why `${input:id}` has no value (the issue's `expected`), naming the input, never a value. */
  missing(id: string): string;
}

export interface EnvAccessOptions {
  env?: Readonly<Record<string, string | undefined>>;
  /** Names `${NAME}` may read: `GITHUB_TOKEN`, `API_*`. Default: any. */
  envAllow?: readonly string[];
  /** Names never read, allowlist or not: a gateway's own token. Default: none. */
  envDeny?: readonly string[];
}

/** Checks the allowlist's patterns once, before any config is read. */
export function createEnvAccess(options: EnvAccessOptions): EnvAccess {
  const allow = options.envAllow?.map((pattern) => patternOf('envAllow', pattern));
  const deny = new Set(options.envDeny ?? []);
  for (const name of deny) patternOf('envDeny', name);
  const allowed = options.envAllow?.join(', ');
  return {
    env: options.env ?? {},
    read: new Set(),
    denied: (name) => deny.has(name),
    refusal: (name) => {
      if (deny.has(name)) return `a variable other than ${name}, which is never interpolated`;
      if (allow && !allow.some((pattern) => pattern.test(name))) {
        return `a variable allowed by envAllow (${allowed}); ${name} is not`;
      }
      return undefined;
    },
  };
}

function patternOf(option: string, pattern: string): RegExp {
  if (typeof pattern !== 'string' || !PATTERN.test(pattern)) {
    throw new InvalidOptionError(
      option,
      'variable names of letters, digits and "_", with "*" for any run of them',
      pattern,
    );
  }
  const source = pattern.split('*').map((part) => part.replace(/[^A-Za-z0-9_]/g, ''));
  return new RegExp(`^${source.join('[A-Za-z0-9_]*')}$`);
}
