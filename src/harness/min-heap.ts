/**
 * A binary min-heap ordered by `before`: the harness's one heap, behind the event queue, the
 * deadlines waiting outside it and the merge of a scenario's request specs. Sifting moves a hole
 * instead of swapping pairs, so push and pop allocate nothing; `onMove` tells an item where it now
 * sits, for heaps that remove items from the middle.
 */
export class MinHeap<T> {
  readonly #items: T[] = [];
  readonly #before: (a: T, b: T) => boolean;
  readonly #onMove: ((item: T, index: number) => void) | undefined;

  constructor(before: (a: T, b: T) => boolean, onMove?: (item: T, index: number) => void) {
    this.#before = before;
    this.#onMove = onMove;
  }

  get size(): number {
    return this.#items.length;
  }

  peek(): T | undefined {
    return this.#items[0];
  }

  push(item: T): void {
    this.#items.push(item);
    this.#up(item, this.#items.length - 1);
  }

  /** Removes and returns the first item. */
  pop(): T | undefined {
    return this.#items.length > 0 ? this.removeAt(0) : undefined;
  }

  /** Removes the item at `index` (as onMove last told it) and returns it. */
  removeAt(index: number): T {
    const items = this.#items;
    const item = items[index]!;
    const last = items.pop()!;
    if (index < items.length) {
      // The last item fills the hole, then moves whichever way its order says.
      if (index > 0 && this.#before(last, items[(index - 1) >> 1]!)) this.#up(last, index);
      else this.#down(last, index);
    }
    return item;
  }

  /** Puts the first item back in order after it changed (e.g. its time moved later). */
  updateFirst(): void {
    if (this.#items.length > 0) this.#down(this.#items[0]!, 0);
  }

  #up(item: T, start: number): void {
    const items = this.#items;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const above = items[parent]!;
      if (!this.#before(item, above)) break;
      this.#place(above, i);
      i = parent;
    }
    this.#place(item, i);
  }

  #down(item: T, start: number): void {
    const items = this.#items;
    const size = items.length;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      let first = items[left]!;
      if (right < size && this.#before(items[right]!, first)) {
        child = right;
        first = items[right]!;
      }
      if (!this.#before(first, item)) break;
      this.#place(first, i);
      i = child;
    }
    this.#place(item, i);
  }

  #place(item: T, index: number): void {
    this.#items[index] = item;
    this.#onMove?.(item, index);
  }
}
