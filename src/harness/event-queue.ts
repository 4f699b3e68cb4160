/**
 * The gateway's timeline: events ordered by virtual time, then by the order they were scheduled
 * (a binary heap, so a run with thousands of queued arrivals stays O(n log n)). Sifting moves a
 * hole instead of swapping pairs, so neither push nor pop allocates anything but the event itself.
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
    // Sift up: move parents down until the event's place is found (a hole, not swaps).
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = heap[parent]!;
      if (!before(event, above)) break;
      heap[i] = above;
      i = parent;
    }
    heap[i] = event;
    return event;
  }

  /** Removes and returns the earliest event that was not cancelled, or undefined. */
  pop(): QueuedEvent | undefined {
    const heap = this.#heap;
    while (heap.length > 0) {
      const top = heap[0]!;
      const last = heap.pop()!;
      const size = heap.length;
      if (size > 0) {
        // Sift down: the last event falls from the root until no child comes before it (a hole, not swaps).
        let i = 0;
        for (;;) {
          const left = 2 * i + 1;
          if (left >= size) break;
          const right = left + 1;
          let child = left;
          let first = heap[left]!;
          if (right < size && before(heap[right]!, first)) {
            child = right;
            first = heap[right]!;
          }
          if (!before(first, last)) break;
          heap[i] = first;
          i = child;
        }
        heap[i] = last;
      }
      if (!top.isCancelled) return top;
    }
    return undefined;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
