/**
 * The longest URI matched against resource templates, 8 KiB (twice PATH_MAX, the usual HTTP
 * request-line limit). A longer URI resolves only if a server lists it exactly.
 */
export const MAX_TEMPLATE_URI_LENGTH = 8192;

/** A compiled resource template: see {@link compileUriTemplate}. */
export interface UriTemplateMatcher {
  /** Whether `uri` fits the template; false for a URI over MAX_TEMPLATE_URI_LENGTH. */
  test(uri: string): boolean;
  /** Literal characters in the template: more means more specific. */
  readonly literalLength: number;
}

/** One step of a template: a literal character, or an expression's run of characters. */
type Atom = string | 'segment' | 'rest';
const SEGMENT = 'segment';
const REST = 'rest';

/**
 * Matches a URI against an RFC 6570 template, the way MCP resource templates use them:
 * `{var}` matches one path segment (no `/`, `?` or `#`), `{+var}`, `{#var}` and `{var*}` match
 * the rest. Returns undefined for an invalid template rather than throwing.
 *
 * Linear, with no regular expression: compiling reads the template once, and a match runs the
 * template as a set of states over the URI (no backtracking), so it costs at most
 * `URI length × template length` steps, on a URI of at most 8 KiB.
 */
export function compileUriTemplate(template: string): UriTemplateMatcher | undefined {
  const atoms: Atom[] = [];
  let literalLength = 0;
  let at = 0;
  while (at < template.length) {
    const open = template.indexOf('{', at);
    const literalEnd = open === -1 ? template.length : open;
    const literal = template.slice(at, literalEnd);
    if (literal.includes('}')) return undefined;
    for (const char of literal) atoms.push(char);
    literalLength += literal.length;
    if (open === -1) break;
    const close = template.indexOf('}', open + 1);
    if (close === -1) return undefined;
    const expression = template.slice(open + 1, close);
    const first = expression.charAt(0);
    const operator = first !== '' && '+#./;?&'.includes(first) ? first : '';
    const variable = expression.slice(operator.length);
    if (variable === '' || variable.includes('{')) return undefined;
    atoms.push(operator === '+' || operator === '#' || variable.endsWith('*') ? REST : SEGMENT);
    at = close + 1;
  }
  return { test: (uri) => matches(atoms, uri), literalLength };
}

function isWildcard(atom: Atom | undefined): boolean {
  return atom === SEGMENT || atom === REST;
}

/** Runs `atoms` over `uri` as a set of states, one pass over the URI. */
function matches(atoms: readonly Atom[], uri: string): boolean {
  if (uri.length > MAX_TEMPLATE_URI_LENGTH) return false;
  let current = new Uint8Array(atoms.length + 1);
  let next = new Uint8Array(atoms.length + 1);
  /** Marks `state` and, past each wildcard (which may match nothing), the states after it. */
  const enter = (states: Uint8Array, state: number) => {
    let at = state;
    states[at] = 1;
    while (isWildcard(atoms[at])) states[++at] = 1;
  };
  enter(current, 0);
  for (const char of uri) {
    next.fill(0);
    let alive = false;
    for (let state = 0; state < atoms.length; state++) {
      if (!current[state]) continue;
      const atom = atoms[state];
      if (atom === REST || (atom === SEGMENT && char !== '/' && char !== '?' && char !== '#')) {
        enter(next, state);
        alive = true;
      } else if (atom === char) {
        enter(next, state + 1);
        alive = true;
      }
    }
    if (!alive) return false;
    [current, next] = [next, current];
  }
  return current[atoms.length] === 1;
}
