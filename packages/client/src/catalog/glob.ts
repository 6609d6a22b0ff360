/**
 * Whether `name` matches the glob `pattern`: `*` is any run of characters (none included), `?`
 * one character, anything else itself (case-sensitive). No regular expression is built, so no
 * pattern can make matching slow: at worst pattern length × name length steps.
 */
export function globMatches(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  /** Where the last `*` was, and the name position it now stands for the end of. */
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    const c = pattern[p];
    if (c === '*') {
      star = p++;
      resume = n;
    } else if (c !== undefined && (c === '?' || c === name[n])) {
      p++;
      n++;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}
