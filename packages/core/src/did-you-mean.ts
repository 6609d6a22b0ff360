/** Keys longer than this get no suggestion: no config key is that long, and the work stays small. */
const MAX_KEY_LENGTH = 64;
/** The largest edit distance still offered as a suggestion. */
const MAX_DISTANCE = 2;

/**
 * The known key `key` was most likely meant to be, or undefined. Case is ignored, and a swap of
 * two neighbouring letters counts as one edit (optimal string alignment distance). Bounded: keys
 * over 64 characters are not compared, candidates whose length differs by more than the bound
 * are skipped, and a comparison stops as soon as a row exceeds the bound, so the work is at most
 * `candidates × 64 × 5` steps. A short key needs a closer match (`ab` never suggests `tags`).
 */
export function didYouMean(key: string, candidates: readonly string[]): string | undefined {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) return undefined;
  const bound = Math.min(MAX_DISTANCE, Math.floor(key.length / 3));
  const lower = key.toLowerCase();
  let best: string | undefined;
  let bestDistance = bound + 1;
  for (const candidate of candidates) {
    if (bestDistance === 0) break;
    if (candidate === key || Math.abs(candidate.length - key.length) > bound) continue;
    const distance = boundedDistance(lower, candidate.toLowerCase(), bestDistance - 1);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
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
