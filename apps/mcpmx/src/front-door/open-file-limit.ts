import { readFileSync } from 'node:fs';

/**
 * The file descriptors this process may open (the soft RLIMIT_NOFILE), read from
 * `/proc/self/limits` on Linux; `Infinity` when it says unlimited. Undefined when it cannot be
 * read (not Linux, no /proc): the caller then assumes {@link ASSUMED_OPEN_FILE_LIMIT}.
 */
export function readOpenFileLimit(
  read: () => string = () => readFileSync('/proc/self/limits', 'utf8'),
): number | undefined {
  let text: string;
  try {
    text = read();
  } catch {
    return undefined;
  }
  const soft = /^Max open files\s+(\S+)/m.exec(text)?.[1];
  if (soft === 'unlimited') return Number.POSITIVE_INFINITY;
  const limit = Number(soft);
  return Number.isInteger(limit) && limit > 0 ? limit : undefined;
}

/** The limit assumed when it cannot be read: the usual soft default on Linux. */
export const ASSUMED_OPEN_FILE_LIMIT = 1024;
