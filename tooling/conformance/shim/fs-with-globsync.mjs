import fs from 'node:fs';
import path from 'node:path';

export * from 'node:fs';
export default fs;
// minimal: supports "**/<basename>" and "<basename>" only (what conformance tier-check uses)
export function globSync(pattern, opts = {}) {
  if (typeof fs.globSync === 'function') return fs.globSync(pattern, opts);
  const cwd = opts.cwd || process.cwd();
  const name = pattern.replace(/^\*\*\//, '');
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(path.join(cwd, d), { withFileTypes: true })) {
      const rel = d ? path.join(d, e.name) : e.name;
      if (e.isDirectory()) walk(rel);
      else if (e.name === name) out.push(rel);
    }
  };
  walk('');
  return out;
}
