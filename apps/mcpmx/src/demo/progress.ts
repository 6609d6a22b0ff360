/**
 * The demo's progress display. On a terminal one status line is redrawn in place as calls
 * complete; elsewhere (a pipe, a test) only whole lines are written: each phase and its notes.
 */
export interface Progress {
  phase(name: string, description: string): void;
  /** Calls done so far in this phase, of `total` if known. */
  tick(done: number, total?: number, extra?: string): void;
  note(text: string): void;
  /** Ends the status line. */
  finish(): void;
}

const REDRAW_EVERY_MS = 80;

export function createProgress(
  write: (text: string) => void,
  options: { tty: boolean; now?: () => number; draw?: (text: string) => void },
): Progress {
  const now = options.now ?? (() => performance.now());
  const draw = options.draw ?? ((text: string) => void process.stdout.write(text));
  let current = '';
  let lastDraw = Number.NEGATIVE_INFINITY;
  let drawn = false;
  const clear = () => {
    if (drawn) draw('\r\x1b[2K');
    drawn = false;
  };
  return {
    phase(name, description) {
      clear();
      current = name;
      write(`▸ ${name}: ${description}`);
    },
    tick(done, total, extra) {
      if (!options.tty) return;
      const at = now();
      if (at - lastDraw < REDRAW_EVERY_MS && done !== total) return;
      lastDraw = at;
      const width = 24;
      const bar =
        total === undefined
          ? ''
          : `[${'#'.repeat(Math.round((width * done) / total)).padEnd(width, '.')}] `;
      draw(
        `\r\x1b[2K  ${bar}${done}${total === undefined ? '' : `/${total}`} calls${extra ? `, ${extra}` : ''} (${current})`,
      );
      drawn = true;
    },
    note(text) {
      clear();
      write(`  ${text}`);
    },
    finish: clear,
  };
}
