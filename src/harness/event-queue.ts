/**
 * The gateway's timeline: events ordered by virtual time, then by the order they were scheduled
 * (a binary heap, so a run with thousands of queued arrivals stays O(n log n)).
 */
export interface QueuedEvent {
  atMs: number;
  seq: number;
  run: () => Promise<void> | void;
  isCancelled: boolean;
}

export class EventQueue {
  readonly #heap: QueuedEvent[] = [];
  #seq = 0;

  get size(): number {
    return this.#heap.length;
  }

  /** Adds an event at `atMs`; events at the same time run in the order they were added. */
  push(atMs: number, run: () => Promise<void> | void): QueuedEvent {
    const event: QueuedEvent = { atMs, seq: this.#seq++, run, isCancelled: false };
    const heap = this.#heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
    return event;
  }

  /** Removes and returns the earliest event that was not cancelled, or undefined. */
  pop(): QueuedEvent | undefined {
    const heap = this.#heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      const last = heap.pop()!;
      if (heap.length > 0) {
        heap[0] = last;
        let i = 0;
        for (;;) {
          const left = 2 * i + 1;
          const right = left + 1;
          let smallest = i;
          if (left < heap.length && before(heap[left]!, heap[smallest]!)) smallest = left;
          if (right < heap.length && before(heap[right]!, heap[smallest]!)) smallest = right;
          if (smallest === i) break;
          [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
          i = smallest;
        }
      }
      if (!top.isCancelled) return top;
    }
    return undefined;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
