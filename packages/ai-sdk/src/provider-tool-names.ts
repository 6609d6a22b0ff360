/**
 * The tool names model providers accept: OpenAI and Gemini take at most 64 characters of
 * `[a-zA-Z0-9_-]`, Anthropic 128. The client's federated names fit this under its default
 * naming (`naming.maxLength` 64); a client configured for longer names gets them mapped.
 */
export const PROVIDER_TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

const MAX = 64;
const HASH_LENGTH = 8;

/**
 * The key each federated name has in a ToolSet: the name itself when providers accept it, else
 * its `[a-zA-Z0-9_-]` characters cut to fit, with an 8-hex-digit hash of the whole name (salted
 * on a collision). Names that fit are placed first, so a mapped name never takes one of theirs;
 * the result depends only on the set of names.
 */
export function providerToolNames(names: readonly string[]): Map<string, string> {
  const keys = new Map<string, string>();
  const taken = new Set<string>();
  for (const name of names) {
    if (PROVIDER_TOOL_NAME.test(name)) {
      keys.set(name, name);
      taken.add(name);
    }
  }
  for (const name of [...names].filter((name) => !keys.has(name)).sort()) {
    let salt = 0;
    let key = mapped(name, salt);
    while (taken.has(key)) key = mapped(name, ++salt);
    keys.set(name, key);
    taken.add(key);
  }
  return keys;
}

function mapped(name: string, salt: number): string {
  const clean = name.replace(/[^a-zA-Z0-9_-]/g, '_').slice(0, MAX - HASH_LENGTH - 1);
  return `${clean}_${fnv1a(salt === 0 ? name : `${name}#${salt}`)}`;
}

/** 32-bit FNV-1a, as 8 hex digits: stable across runs and processes. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(HASH_LENGTH, '0');
}
