import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MinHeap } from '../../../src/harness/min-heap.ts';

interface Item {
  key: number;
  order: number;
  index: number;
}

const before = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.order < b.order);

describe('MinHeap', () => {
  test('pops in order after any mix of pushes, removals from the middle and changes to the first item', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('push' as const), key: fc.integer({ min: 0, max: 20 }) }),
      fc.record({ kind: fc.constant('remove' as const), pick: fc.nat() }),
      fc.record({ kind: fc.constant('bump' as const), by: fc.integer({ min: 0, max: 10 }) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new MinHeap<Item>(before, (item, index) => (item.index = index));
        const live: Item[] = [];
        let order = 0;
        for (const o of ops) {
          if (o.kind === 'push') {
            const item = { key: o.key, order: order++, index: -1 };
            heap.push(item);
            live.push(item);
          } else if (o.kind === 'remove' && live.length > 0) {
            const [item] = live.splice(o.pick % live.length, 1);
            expect(heap.removeAt(item!.index)).toBe(item);
          } else if (o.kind === 'bump' && heap.size > 0) {
            heap.peek()!.key += o.by;
            heap.updateFirst();
          }
          // Every item knows where it sits.
          for (const item of live) expect(heap.peek() === item ? item.index === 0 : item.index > 0).toBe(true);
        }
        const popped: Item[] = [];
        for (let item = heap.pop(); item; item = heap.pop()) popped.push(item);
        expect(popped).toEqual([...live].sort((a, b) => (before(a, b) ? -1 : 1)));
      }),
    );
  });
});
