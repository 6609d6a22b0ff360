import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// README code is tested code. Every TypeScript block in a README is a copy of a real file,
// named by the comment line just above the block:
//
//   <!-- example: examples/metrics/prometheus-endpoint.ts -->
//   ```ts
//
// (a path from the repository root). The block is the file's `// #region readme` …
// `// #endregion readme` part, or the whole file without one; the setup a README leaves out
// (stand-ins for your own calls) sits outside the region. This package type-checks every file
// and runs the cheap ones (run-examples.test.ts). `pnpm --filter @mcpmx/examples readmes`
// copies each file into its README block.

const root = new URL('../../', import.meta.url).pathname;
const write = process.env.MCPMX_WRITE_READMES === '1';
const MARKER = /^<!-- example: (\S+) -->$/;
const FENCE = /^(`{3,})(ts|typescript|tsx)\s*$/;

/** The README files of the repository: the root one and one per workspace package. */
function readmes(): string[] {
  const found = ['README.md'];
  for (const folder of ['packages', 'apps', 'tooling', 'examples']) {
    const path = join(root, folder);
    if (!existsSync(path)) continue;
    if (existsSync(join(path, 'README.md'))) found.push(`${folder}/README.md`);
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (entry.isDirectory() && existsSync(join(path, entry.name, 'README.md'))) {
        found.push(`${folder}/${entry.name}/README.md`);
      }
    }
  }
  return found;
}

interface Block {
  readme: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** The file the marker names, or undefined when there is no marker. */
  example: string | undefined;
  /** Lines of the block's body: [start, end) in the README's lines. */
  start: number;
  end: number;
  body: string;
}

function blocksOf(readme: string, lines: string[]): Block[] {
  const blocks: Block[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = /^(`{3,})/.exec(lines[index] ?? '');
    if (!fence) continue;
    const close = lines.findIndex(
      (text, at) => at > index && text.startsWith(fence[1] as string) && text.trim() === fence[1],
    );
    const end = close === -1 ? lines.length : close;
    if (FENCE.test(lines[index] ?? '')) {
      let previous = index - 1;
      while (previous >= 0 && (lines[previous] ?? '').trim() === '') previous--;
      blocks.push({
        readme,
        line: index + 1,
        example: MARKER.exec((lines[previous] ?? '').trim())?.[1],
        start: index + 1,
        end,
        body: lines.slice(index + 1, end).join('\n'),
      });
    }
    index = end;
  }
  return blocks;
}

/** What a README shows of an example file: its `readme` region, or all of it. */
function shownPart(path: string): string {
  const lines = readFileSync(join(root, path), 'utf8').replace(/\n$/, '').split('\n');
  const begin = lines.findIndex((line) => line.trim() === '// #region readme');
  if (begin === -1) return lines.join('\n');
  const end = lines.findIndex((line, at) => at > begin && line.trim() === '// #endregion readme');
  if (end === -1) throw new Error(`${path}: "// #region readme" has no "// #endregion readme"`);
  return lines.slice(begin + 1, end).join('\n');
}

const all = readmes().flatMap((readme) => {
  const text = readFileSync(join(root, readme), 'utf8');
  const lines = text.split('\n');
  const blocks = blocksOf(readme, lines);
  if (write) {
    // From the last block up, so earlier line numbers stay valid.
    for (const block of [...blocks].reverse()) {
      if (block.example === undefined || !existsSync(join(root, block.example))) continue;
      lines.splice(block.start, block.end - block.start, ...shownPart(block.example).split('\n'));
    }
    const next = lines.join('\n');
    if (next !== text) writeFileSync(join(root, readme), next);
    return blocksOf(readme, next.split('\n'));
  }
  return blocks;
});

describe('README TypeScript blocks', () => {
  it('there are some (the README list found them)', () => {
    expect(all.length).toBeGreaterThan(10);
  });

  it.each(all.map((block) => [`${block.readme}:${block.line}`, block] as const))(
    '%s is a copy of its example file',
    (_where, block) => {
      expect(
        block.example,
        `${block.readme}:${block.line}: a TypeScript block needs the line ` +
          '"<!-- example: examples/<package>/<name>.ts -->" above it, naming the real file it copies',
      ).toBeDefined();
      const example = block.example as string;
      expect(existsSync(join(root, example)), `${example} does not exist`).toBe(true);
      expect(
        block.body,
        `${block.readme}:${block.line} differs from ${example}; edit the file, then run ` +
          '`pnpm --filter @mcpmx/examples readmes` to copy it into the README',
      ).toBe(shownPart(example));
    },
  );

  it('every file in examples/ is shown in a README', () => {
    const shown = new Set(all.map((block) => block.example));
    const files: string[] = [];
    const walk = (folder: string) => {
      for (const entry of readdirSync(folder, { withFileTypes: true })) {
        const path = join(folder, entry.name);
        if (entry.isDirectory()) {
          if (entry.name !== 'node_modules' && entry.name !== 'test') walk(path);
        } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.config.ts')) {
          files.push(relative(root, path));
        }
      }
    };
    walk(join(root, 'examples'));
    expect(files.filter((file) => !shown.has(file))).toEqual([]);
  });
});
