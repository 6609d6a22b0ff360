import { InvalidOptionError } from './errors.js';

/** Checks a numeric option and names it in the error. */
export function checkNumber(
  option: string,
  value: unknown,
  rule: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const expected = describeRule(rule);
  if (typeof value !== 'number' || Number.isNaN(value))
    throw new InvalidOptionError(option, expected, value);
  if (rule.integer && !Number.isInteger(value))
    throw new InvalidOptionError(option, expected, value);
  if (rule.min !== undefined && (rule.exclusiveMin ? value <= rule.min : value < rule.min)) {
    throw new InvalidOptionError(option, expected, value);
  }
  if (rule.max !== undefined && value > rule.max)
    throw new InvalidOptionError(option, expected, value);
  return value;
}

function describeRule(rule: {
  min?: number;
  max?: number;
  integer?: boolean;
  exclusiveMin?: boolean;
}): string {
  const kind = rule.integer ? 'an integer' : 'a number';
  if (rule.min !== undefined && rule.max !== undefined && !rule.exclusiveMin) {
    return `${kind} from ${rule.min} to ${rule.max}`;
  }
  const parts = [kind];
  if (rule.min !== undefined) parts.push(`${rule.exclusiveMin ? '>' : '>='} ${rule.min}`);
  if (rule.max !== undefined) parts.push(`<= ${rule.max}`);
  return parts.join(' ');
}
