/**
 * The longest name that gets a suggestion or is quoted whole in a message: 64 characters, the
 * MCP tool name limit (SEP-986) and mcpmx's default for federated names.
 */
export const MAX_NAME_LENGTH = 64;
/** The largest edit distance still offered as a suggestion. */
const MAX_DISTANCE = 2;
/** At most this many candidates are compared for one lookup. */
const MAX_CANDIDATES = 10_000;

/** Options for {@link closestNames}. */
export interface ClosestNamesOptions {
  /** Most names returned. Default 3. */
  limit?: number;
  /**
   * Also suggest a candidate that contains the name, or is contained in it (the bare tool
   * inside `server__tool`), both at least 3 characters long. Default false.
   */
  substrings?: boolean;
}

/**
 * Up to `limit` names from `candidates` closest to `name`, closest first (candidate order among
 * equals), for "did you mean" hints. Case is ignored, and a swap of two neighbouring letters
 * counts as one edit (optimal string alignment distance). A name needs a distance of at most
 * `min(2, floor(length / 3))`, so a short name needs a closer match (`ab` never suggests `tags`).
 *
 * Bounded, whatever the input: a name over 64 characters (MAX_NAME_LENGTH) gets no suggestion
 * and reads no candidate; candidates over 64 characters are skipped, only the first 10,000 are
 * read, and a comparison stops as soon as a row exceeds the bound, so one lookup costs at most
 * `10,000 × 64 × 64` steps, and far less in practice.
 */
export function closestNames(
  name: string,
  candidates: Iterable<string>,
  options: ClosestNamesOptions = {},
): string[] {
  const limit = options.limit ?? 3;
  if (name.length === 0 || name.length > MAX_NAME_LENGTH || limit < 1) return [];
  const bound = Math.min(MAX_DISTANCE, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  const best: { candidate: string; distance: number }[] = [];
  let read = 0;
  for (const candidate of candidates) {
    if (++read > MAX_CANDIDATES) break;
    if (candidate === name || candidate.length > MAX_NAME_LENGTH) continue;
    // Once `limit` names are held, only a strictly closer one can get in.
    const worst = best.length < limit ? bound : (best[best.length - 1]?.distance ?? 0) - 1;
    if (worst < 0) break;
    const other = candidate.toLowerCase();
    let distance =
      Math.abs(other.length - lower.length) > worst
        ? worst + 1
        : boundedDistance(lower, other, worst);
    if (distance > 1 && options.substrings && contains(lower, other)) distance = 1;
    if (distance > worst) continue;
    let at = best.length;
    while (at > 0 && (best[at - 1]?.distance ?? 0) > distance) at--;
    best.splice(at, 0, { candidate, distance });
    if (best.length > limit) best.pop();
  }
  return best.map((entry) => entry.candidate);
}

/** One of `a` and `b` holds the other, and the one held has at least 3 characters. */
function contains(a: string, b: string): boolean {
  return a.length <= b.length ? a.length >= 3 && b.includes(a) : b.length >= 3 && a.includes(b);
}

/** Optimal string alignment distance of `a` and `b`, or `bound + 1` once it exceeds `bound`. */
function boundedDistance(a: string, b: string, bound: number): number {
  let before: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, (before[j - 2] as number) + 1);
      }
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > bound) return bound + 1;
    before = previous;
    previous = current;
  }
  return Math.min(previous[b.length] as number, bound + 1);
}
