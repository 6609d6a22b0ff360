/**
 * One task at a time: a call while one runs joins it (gets its result) instead of starting
 * another. How many concurrent 401s become one refresh.
 */
export class Flight {
  #running: Promise<void> | undefined;
  /** How many tasks actually ran (joined calls not counted). */
  runs = 0;

  run(task: () => Promise<void>): Promise<void> {
    if (this.#running) return this.#running;
    this.runs += 1;
    const running = task().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  get busy(): boolean {
    return this.#running !== undefined;
  }
}
