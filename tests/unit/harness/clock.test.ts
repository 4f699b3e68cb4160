import { describe, expect, test } from 'vitest';
import { VirtualClock } from '../../../src/harness/clock.ts';

const START_UNIX_MS = 1_700_000_000_123;
const START_UNIX_NS = 1_700_000_000_123_000_000n;

describe('VirtualClock', () => {
  test('starts at elapsed 0 and at the given Unix time', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    expect(clock.elapsedMs).toBe(0);
    expect(clock.unixMs).toBe(START_UNIX_MS);
  });

  test('advanceTo moves time forward to the given elapsed milliseconds', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    clock.advanceTo(61_000);
    expect(clock.elapsedMs).toBe(61_000);
    expect(clock.unixMs).toBe(START_UNIX_MS + 61_000);
  });

  test('advanceTo never moves time backwards', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    clock.advanceTo(5_000);
    clock.advanceTo(1_000);
    expect(clock.elapsedMs).toBe(5_000);
  });

  test('advanceTo keeps the ticks of reads that already passed the target', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    clock.readMonotonicNs();
    clock.readMonotonicNs();
    clock.advanceTo(0.001); // 1000 ns, behind the 2000 ns the reads reached
    expect(clock.readMonotonicNs()).toBe(3_000n);
  });

  test('each monotonic read ticks time forward by 1 µs', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    expect(clock.readMonotonicNs()).toBe(1_000n);
    expect(clock.readMonotonicNs()).toBe(2_000n);
    expect(clock.elapsedMs).toBe(0.002);
  });

  test('realtime reads are the start time plus elapsed time, in exact Unix nanoseconds', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    clock.advanceTo(61_000);
    expect(clock.readRealtimeNs()).toBe(START_UNIX_NS + 61_000_000_000n + 1_000n);
    expect(clock.readRealtimeNs()).toBe(START_UNIX_NS + 61_000_000_000n + 2_000n);
  });

  test('realtime and monotonic reads share one timeline', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    const realtime = clock.readRealtimeNs();
    const monotonic = clock.readMonotonicNs();
    expect(realtime - START_UNIX_NS).toBe(1_000n);
    expect(monotonic).toBe(2_000n);
  });

  test('advanceByNs moves time by a sleep and ignores zero or negative durations', () => {
    const clock = new VirtualClock(START_UNIX_MS);
    clock.advanceByNs(5e9);
    clock.advanceByNs(0);
    clock.advanceByNs(-1e9);
    expect(clock.elapsedMs).toBe(5_000);
    expect(clock.unixMs).toBe(START_UNIX_MS + 5_000);
  });
});
