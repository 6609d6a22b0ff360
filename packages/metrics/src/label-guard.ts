/** The value a label folds into once it has seen `maxValues` distinct values. */
export const OTHER_LABEL_VALUE = 'other';

/**
 * Bounds the cardinality of one label: the first `maxValues` distinct values pass through,
 * every later new value becomes {@link OTHER_LABEL_VALUE}.
 */
export function createLabelGuard(maxValues: number): (value: string) => string {
  const seen = new Set<string>();
  return (value) => {
    if (seen.has(value)) return value;
    if (seen.size >= maxValues) return OTHER_LABEL_VALUE;
    seen.add(value);
    return value;
  };
}
