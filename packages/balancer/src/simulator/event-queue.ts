/** A binary min-heap of timed events; ties leave in insertion order. */
export class EventQueue<T> {
  private readonly heap: { at: number; seq: number; value: T }[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  push(at: number, value: T): void {
    const heap = this.heap;
    heap.push({ at, seq: this.seq++, value });
    let index = heap.length - 1;
    while (index > 0) {
      const parent = (index - 1) >> 1;
      if (!this.less(index, parent)) break;
      this.swap(index, parent);
      index = parent;
    }
  }

  pop(): { at: number; value: T } | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (top === undefined || last === undefined) return undefined;
    if (heap.length > 0) {
      heap[0] = last;
      let index = 0;
      for (;;) {
        const left = index * 2 + 1;
        const right = left + 1;
        let smallest = index;
        if (left < heap.length && this.less(left, smallest)) smallest = left;
        if (right < heap.length && this.less(right, smallest)) smallest = right;
        if (smallest === index) break;
        this.swap(index, smallest);
        index = smallest;
      }
    }
    return { at: top.at, value: top.value };
  }

  private less(a: number, b: number): boolean {
    const x = this.heap[a] as { at: number; seq: number };
    const y = this.heap[b] as { at: number; seq: number };
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }

  private swap(a: number, b: number): void {
    const heap = this.heap;
    [heap[a], heap[b]] = [heap[b] as (typeof heap)[number], heap[a] as (typeof heap)[number]];
  }
}
