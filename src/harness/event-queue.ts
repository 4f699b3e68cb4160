/**
 * The gateway's timeline: events ordered by virtual time, then by the order they were scheduled
 * (min-heap.ts, so a run with thousands of queued events stays O(n log n), and neither push nor
 * pop allocates anything but the event itself).
 */
import { MinHeap } from './min-heap.ts';

export interface QueuedEvent {
  atMs: number;
  seq: number;
  run: () => Promise<void> | void;
  isCancelled: boolean;
}

export class EventQueue {
  readonly #heap = new MinHeap<QueuedEvent>(before);
  #seq = 0;

  get size(): number {
    return this.#heap.size;
  }

  /** Adds an event at `atMs`; events at the same time run in the order they were added. */
  push(atMs: number, run: () => Promise<void> | void): QueuedEvent {
    const event: QueuedEvent = { atMs, seq: this.#seq++, run, isCancelled: false };
    this.#heap.push(event);
    return event;
  }

  /** Removes and returns the earliest event that was not cancelled, or undefined. */
  pop(): QueuedEvent | undefined {
    for (let event = this.#heap.pop(); event; event = this.#heap.pop()) {
      if (!event.isCancelled) return event;
    }
    return undefined;
  }
}

function before(a: QueuedEvent, b: QueuedEvent): boolean {
  return a.atMs < b.atMs || (a.atMs === b.atMs && a.seq < b.seq);
}
