import { readdirSync, readFileSync } from 'node:fs';

/**
 * The process ids of every live descendant of `root` (default: this process), read from
 * /proc. Tests compare it before and after close() to prove no child process leaked.
 * Zombies (exited, not yet reaped) are not counted as alive.
 */
export function descendantPids(root: number = process.pid): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // pid (comm) state ppid ...; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] === 'Z') continue;
    const ppid = Number(fields[1]);
    const children = parents.get(ppid) ?? [];
    children.push(Number(entry));
    parents.set(ppid, children);
  }
  const found: number[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    for (const child of parents.get(pid) ?? []) {
      found.push(child);
      stack.push(child);
    }
  }
  return found;
}
