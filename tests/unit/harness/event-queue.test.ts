import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { EventQueue, type QueuedEvent } from '../../../src/harness/event-queue.ts';

/** One step against the queue: schedule an event, cancel one scheduled earlier, or take the next. */
type Step = { kind: 'push'; atMs: number } | { kind: 'cancel'; which: number } | { kind: 'pop' };

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('push' as const), atMs: fc.oneof(fc.integer({ min: 0, max: 20 }), fc.double({ min: 0, max: 1e6, noNaN: true })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), which: fc.nat() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('pop' as const) }) },
);

describe('EventQueue', () => {
  test('pops in (atMs, insertion) order, skipping cancelled events, however pushes, pops and cancels interleave', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 300 }), (steps) => {
        const queue = new EventQueue();
        // The reference: every live event in a plain list, the next one found by a linear scan.
        const live: Array<{ atMs: number; order: number; event: QueuedEvent }> = [];
        const pushed: QueuedEvent[] = [];
        let order = 0;
        const takeReference = () => {
          let best = -1;
          for (let i = 0; i < live.length; i++) {
            const e = live[i]!;
            if (e.event.isCancelled) continue;
            if (best === -1 || e.atMs < live[best]!.atMs || (e.atMs === live[best]!.atMs && e.order < live[best]!.order)) best = i;
          }
          return best === -1 ? undefined : live.splice(best, 1)[0]!.event;
        };
        for (const s of [...steps, ...Array.from({ length: steps.length + 1 }, () => ({ kind: 'pop' }) as const)]) {
          if (s.kind === 'push') {
            const event = queue.push(s.atMs, () => {});
            live.push({ atMs: s.atMs, order: order++, event });
            pushed.push(event);
          } else if (s.kind === 'cancel') {
            if (pushed.length > 0) pushed[s.which % pushed.length]!.isCancelled = true;
          } else {
            expect(queue.pop()).toBe(takeReference());
          }
        }
        expect(queue.pop()).toBeUndefined();
        expect(queue.size).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  test('runs events at the same time in the order they were added', () => {
    const queue = new EventQueue();
    const ran: string[] = [];
    for (const name of ['a', 'b', 'c', 'd', 'e']) queue.push(5, () => void ran.push(name));
    queue.push(1, () => void ran.push('first'));
    for (let e = queue.pop(); e; e = queue.pop()) e.run();
    expect(ran).toEqual(['first', 'a', 'b', 'c', 'd', 'e']);
  });
});
