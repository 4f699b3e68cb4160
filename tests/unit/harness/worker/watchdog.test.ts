/**
 * The watchdog's decisions, stepped by hand (Watchdog.check) with a call board and a CPU clock the
 * test controls: only guest calls count, CPU time wins over wall time where there is one, and a
 * new call starts a new budget.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { boardProbe, boardRequests, createBoard, messageProbe, MessageBoard, readBoard, readBoardRequest, sharedNow, type GuestCall, type GuestCallMessage } from '../../../../src/harness/worker/guest-calls.ts';
import { pollInterval, Watchdog, type CallbackOverrun } from '../../../../src/harness/worker/watchdog.ts';

const watchdogs: Watchdog[] = [];
afterEach(() => watchdogs.splice(0).forEach((w) => w.stop()));

/** A watchdog on a clock the test moves (`clock.ms`), stepped by hand with `dog.check()`. */
function watch(limitMs: number, read: () => GuestCall | null, threadCpuMs?: () => number | null) {
  const overruns: CallbackOverrun[] = [];
  const clock = { ms: 1_000_000 };
  const dog = new Watchdog({ limitMs, read, threadCpuMs, onOverrun: (o) => overruns.push(o), now: () => clock.ms });
  watchdogs.push(dog);
  return { dog, overruns, clock };
}

const call = (seq: number, startedAt: number, callback = 'proxy_on_request_headers', request = 2): GuestCall => ({ seq, callback, request, startedAt });

describe('Watchdog', () => {
  test('never fires between calls, however long the worker takes to start, download or compile', () => {
    const { dog, overruns, clock } = watch(100, () => null);
    clock.ms += 60_000;
    dog.check();
    expect(overruns).toEqual([]);
  });

  test('without a CPU clock, stops a call once its time, looked at on schedule, passes the limit, naming it', () => {
    const { dog, overruns, clock } = watch(100, () => current);
    const current = call(1, clock.ms);
    for (let i = 0; i < 10; i++) {
      clock.ms += 10;
      dog.check();
    }
    expect(overruns).toEqual([]);
    clock.ms += 10;
    dog.check();
    expect(overruns).toEqual([{ callback: 'proxy_on_request_headers', request: 2, usedMs: 110, limitMs: 100, clock: 'wall' }]);
    clock.ms += 10;
    dog.check();
    expect(overruns).toHaveLength(1);
  });

  test('without a CPU clock, a stretch in which the watchdog itself was kept waiting counts as one tick', () => {
    const { dog, overruns, clock } = watch(100, () => current);
    const current = call(1, clock.ms);
    clock.ms += 5000;
    dog.check();
    clock.ms += 3000;
    dog.check();
    expect(overruns).toEqual([]);
  });

  test('with a CPU clock, a call that waited for a core (long real time, little CPU) is not stopped', () => {
    let cpu = 1000;
    const { dog, overruns, clock } = watch(100, () => current, () => cpu);
    const current = call(1, clock.ms);
    dog.check();
    clock.ms += 5000;
    cpu += 40;
    dog.check();
    expect(overruns).toEqual([]);
    cpu += 70;
    dog.check();
    expect(overruns).toEqual([{ callback: 'proxy_on_request_headers', request: 2, usedMs: 110, limitMs: 100, clock: 'cpu' }]);
  });

  test('a new call starts a new budget', () => {
    let cpu = 0;
    const { dog, overruns, clock } = watch(100, () => current, () => cpu);
    let current = call(1, clock.ms);
    dog.check();
    cpu += 90;
    dog.check();
    current = call(2, clock.ms, 'proxy_on_response_headers');
    dog.check();
    cpu += 90;
    dog.check();
    expect(overruns).toEqual([]);
  });

  test('falls back to real time when the CPU clock stops answering', () => {
    const { dog, overruns, clock } = watch(100, () => current, () => null);
    const current = call(1, clock.ms);
    for (let i = 0; i < 11; i++) {
      clock.ms += 10;
      dog.check();
    }
    expect(overruns[0]).toMatchObject({ clock: 'wall' });
  });

  test('polls often enough to stop soon after the limit, and not more than every 5 ms', () => {
    expect(pollInterval(2000)).toBe(50);
    expect(pollInterval(200)).toBe(20);
    expect(pollInterval(10)).toBe(5);
  });
});

describe('guest call boards', () => {
  test('the shared board shows the call in progress and nothing between calls', () => {
    const board = createBoard();
    const probe = boardProbe(board);
    expect(readBoard(board)).toBeNull();
    probe.enter('proxy_on_configure', -1);
    expect(readBoard(board)).toMatchObject({ seq: 1, callback: 'proxy_on_configure', request: -1 });
    probe.exit();
    expect(readBoard(board)).toBeNull();
    probe.enter('proxy_on_http_call_response', 7);
    expect(readBoard(board)).toMatchObject({ seq: 2, callback: 'proxy_on_http_call_response', request: 7 });
    expect(readBoard(board)!.startedAt).toBeLessThanOrEqual(sharedNow());
  });

  test('the shared board keeps the last 64 requests, so a stuck call\'s request is named without a message per request', () => {
    const board = createBoard();
    const describe = boardRequests(board);
    for (let i = 0; i < 100; i++) describe(i, { method: 'GET', path: `/r${i}?q=ü ${'x'.repeat(i)}`, atMs: i * 1.5 });
    expect(readBoardRequest(board, 99)).toEqual({ method: 'GET', path: `/r99?q=ü ${'x'.repeat(99)}`, atMs: 148.5 });
    expect(readBoardRequest(board, 36)).toEqual({ method: 'GET', path: `/r36?q=ü ${'x'.repeat(36)}`, atMs: 54 });
    // Overwritten by request 99 (99 % 64 = 35), or never written.
    expect(readBoardRequest(board, 35)).toBeUndefined();
    expect(readBoardRequest(board, 100)).toBeUndefined();
    expect(readBoardRequest(board, -1)).toBeUndefined();
    // A path too long for its slot is cut, never split inside a character.
    describe(5, { method: 'POST', path: `/${'é'.repeat(300)}`, atMs: 1 });
    expect(readBoardRequest(board, 5)!.path).toMatch(/^\/é+$/);
  });

  test('the message board follows a probe\'s messages, and an old end does not end a newer call', () => {
    const messages: GuestCallMessage[] = [];
    const probe = messageProbe((m) => messages.push(m));
    const board = new MessageBoard();
    probe.enter('proxy_on_request_headers', 0);
    probe.exit();
    probe.enter('proxy_on_request_body', 0);
    board.receive(messages[0]!);
    expect(board.read()).toMatchObject({ seq: 1, callback: 'proxy_on_request_headers' });
    board.receive(messages[2]!);
    board.receive(messages[1]!);
    expect(board.read()).toMatchObject({ seq: 2, callback: 'proxy_on_request_body' });
  });
});

describe('Watchdog rounding', () => {
  test('a call stopped a fraction of a millisecond past the limit is reported as past it', () => {
    const overruns: CallbackOverrun[] = [];
    let cpu = 0;
    const dog = new Watchdog({ limitMs: 300, read: () => ({ seq: 1, callback: 'proxy_on_tick', request: -1, startedAt: 0 }), threadCpuMs: () => cpu, onOverrun: (o) => overruns.push(o), now: () => 0 });
    dog.check();
    cpu = 300.4;
    dog.check();
    dog.stop();
    expect(overruns[0]!.usedMs).toBe(301);
  });
});
