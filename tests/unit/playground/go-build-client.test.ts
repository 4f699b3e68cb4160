import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { GoBuildClient, type BuildProgress, type BuildTimings } from '../../../src/playground/go-build-client.ts';
import type { FromGoWorker, ToGoWorker } from '../../../src/playground/go-build-worker.ts';
import { FakeWorker as BaseFakeWorker } from '../../helpers/fake-worker.ts';

/** The build worker's stand-in, with the id of the last build posted to it. */
class FakeWorker extends BaseFakeWorker<ToGoWorker, FromGoWorker> {
  /** The id of the last build posted to this worker. */
  get buildId(): number {
    const last = this.sent.at(-1);
    if (last?.type !== 'build') throw new Error(`the last message was ${last?.type ?? 'none'}, not a build`);
    return last.id;
  }
}

const LIMIT_MS = 1000;
const WASM = new Uint8Array([0, 97, 115, 109]);
/** A first build's timings: the toolchain was downloaded during it. */
const TIMINGS: BuildTimings = { toolchainMs: 9000, toolchainSource: 'network', downloadedBytes: 17e6, decodeMs: 2000, toolCompileMs: 400, toolSource: 'service-worker', compileMs: 1, linkMs: 1 };
const built = (id: number): FromGoWorker => ({ type: 'built', id, wasm: WASM, compileMs: 1, linkMs: 1, memory: { compileBytes: 1, linkBytes: 1 }, timings: TIMINGS });
const tool = (phase: 'compile' | 'link', id: number): FromGoWorker => ({ type: 'progress', phase, loadedBytes: 0, totalBytes: 0, id });

function setUp(options: { createWorker?: () => Worker; beforeWorkerStarts?: () => Promise<void> | null } = {}) {
  const workers: FakeWorker[] = [];
  const client = new GoBuildClient({
    toolTimeLimitMs: LIMIT_MS,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
    ...options,
  });
  const build = (code = 'package main') => client.build('/go', 'redis-limiter', { 'main.go': code });
  return { client, workers, build };
}

/** Reads a promise's state without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const pending = Symbol('pending');
  return (await Promise.race([promise, new Promise((resolve) => setImmediate(() => resolve(pending)))])) !== pending;
}

beforeEach(() => {
  // Only the client's tool timer is faked; setImmediate stays real for isSettled.
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('GoBuildClient.build', () => {
  test('resolves with the plugin the worker built, and answers the same sources again from its cache', async () => {
    const { workers, build } = setUp();
    const first = build();
    workers[0]!.reply(built(workers[0]!.buildId));
    expect(await first).toEqual({ ok: true, wasm: WASM, isCached: false, timings: TIMINGS });
    expect(await build()).toEqual({ ok: true, wasm: WASM, isCached: true });
    expect(workers[0]!.sent).toHaveLength(1);
  });

  test('resolves with compiler diagnostics and keeps the worker', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    const diagnostics = [{ file: 'main.go', line: 3, col: 5, message: 'undefined: x' }];
    workers[0]!.reply({ type: 'diagnostics', id: workers[0]!.buildId, phase: 'compile', diagnostics, output: 'main.go:3:5: undefined: x\n', timings: TIMINGS });
    expect(await outcome).toEqual({ ok: false, kind: 'diagnostics', phase: 'compile', diagnostics, message: 'main.go:3:5: undefined: x', timings: TIMINGS });
    expect(workers[0]!.isTerminated).toBe(false);
  });
});

describe('GoBuildClient when the worker dies', () => {
  test('ends the build as worker-crashed on an uncaught error in the worker, and the next build starts a fresh worker', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    workers[0]!.fail('Uncaught Error: boom');
    expect(await outcome).toEqual({ ok: false, kind: 'worker-crashed', message: 'Uncaught Error: boom' });
    expect(workers[0]!.isTerminated).toBe(true);

    const next = build('package main // again');
    workers[1]!.reply(built(workers[1]!.buildId));
    expect((await next).ok).toBe(true);
  });

  test('ends the build as worker-crashed with no message when the worker script does not load', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    workers[0]!.fail();
    expect(await outcome).toEqual({ ok: false, kind: 'worker-crashed', message: '' });
  });

  test('ends the build as worker-crashed on a message the page cannot read (messageerror)', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    workers[0]!.dispatchEvent(new Event('messageerror'));
    expect(await outcome).toEqual({ ok: false, kind: 'worker-crashed', message: 'messageerror' });
    expect(workers[0]!.isTerminated).toBe(true);
  });

  test('ends the build as worker-crashed when no worker can be started', async () => {
    const { build } = setUp({
      createWorker: () => {
        throw new Error('Worker scripts are blocked');
      },
    });
    expect(await build()).toEqual({ ok: false, kind: 'worker-crashed', message: 'Worker scripts are blocked' });
  });

  test('ignores what a terminated worker still sends', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    const id = workers[0]!.buildId;
    workers[0]!.fail('Uncaught Error: boom');
    await outcome;
    const next = build('package main // again');
    workers[0]!.reply(built(id));
    workers[0]!.fail('late');
    expect(await isSettled(next)).toBe(false);
    expect(workers[1]!.isTerminated).toBe(false);
  });

  test('replaces the worker after a tool ran out of memory, and after a tool crashed', async () => {
    const { workers, build } = setUp();
    const first = build();
    workers[0]!.reply({ type: 'failed', id: workers[0]!.buildId, kind: 'out-of-memory', tool: 'link', message: 'runtime: out of memory: cannot allocate 524288-byte block (94797824 in use)' });
    expect(await first).toEqual({ ok: false, kind: 'out-of-memory', tool: 'link', message: 'runtime: out of memory: cannot allocate 524288-byte block (94797824 in use)' });
    expect(workers[0]!.isTerminated).toBe(true);

    const second = build('package main // again');
    workers[1]!.reply({ type: 'failed', id: workers[1]!.buildId, kind: 'tool-crashed', tool: 'compile', message: 'RuntimeError: unreachable' });
    expect(await second).toEqual({ ok: false, kind: 'tool-crashed', tool: 'compile', message: 'RuntimeError: unreachable' });
    expect(workers[1]!.isTerminated).toBe(true);
  });

  test('keeps the worker after a toolchain download failed (its loader retries)', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    workers[0]!.reply({ type: 'failed', id: workers[0]!.buildId, kind: 'toolchain-failed', message: 'the Go toolchain manifest could not be downloaded (HTTP 404)' });
    expect(await outcome).toMatchObject({ ok: false, kind: 'toolchain-failed' });
    expect(workers[0]!.isTerminated).toBe(false);
  });
});

describe('GoBuildClient tool time limit', () => {
  test('ends the build as tool-timeout, naming the tool, when one tool run passes the limit', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    const id = workers[0]!.buildId;
    workers[0]!.reply(tool('compile', id));
    vi.advanceTimersByTime(LIMIT_MS - 1);
    // The link starts a new run with its own limit.
    workers[0]!.reply(tool('link', id));
    vi.advanceTimersByTime(LIMIT_MS - 1);
    expect(await isSettled(outcome)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(await outcome).toEqual({ ok: false, kind: 'tool-timeout', tool: 'link', limitMs: LIMIT_MS });
    expect(workers[0]!.isTerminated).toBe(true);
  });

  test('does not time the download and unpacking before the first tool', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    workers[0]!.reply({ type: 'progress', phase: 'download', loadedBytes: 1, totalBytes: 2 });
    workers[0]!.reply({ type: 'progress', phase: 'unpack', loadedBytes: 2, totalBytes: 2 });
    vi.advanceTimersByTime(LIMIT_MS * 10);
    expect(await isSettled(outcome)).toBe(false);
    workers[0]!.reply(built(workers[0]!.buildId));
    expect((await outcome).ok).toBe(true);
  });

  test('stops timing when the build ends', async () => {
    const { workers, build } = setUp();
    const outcome = build();
    const id = workers[0]!.buildId;
    workers[0]!.reply(tool('compile', id));
    workers[0]!.reply(built(id));
    await outcome;
    vi.advanceTimersByTime(LIMIT_MS * 10);
    expect(workers[0]!.isTerminated).toBe(false);
  });
});

describe('GoBuildClient.cancel', () => {
  test('ends the build as cancelled and terminates the worker; the next build starts a fresh one', async () => {
    const { client, workers, build } = setUp();
    expect(client.cancel()).toBe(false);
    const outcome = build();
    workers[0]!.reply(tool('compile', workers[0]!.buildId));
    expect(client.isBuilding).toBe(true);
    expect(client.cancel()).toBe(true);
    expect(await outcome).toEqual({ ok: false, kind: 'cancelled' });
    expect(workers[0]!.isTerminated).toBe(true);
    expect(client.isBuilding).toBe(false);
    // The cancelled compile's timer went with it.
    vi.advanceTimersByTime(LIMIT_MS * 10);

    const next = build();
    workers[1]!.reply(built(workers[1]!.buildId));
    expect(await next).toEqual({ ok: true, wasm: WASM, isCached: false, timings: TIMINGS });
  });
});

describe('GoBuildClient with a build in progress', () => {
  test('ends the older build as superseded when a newer one starts, and reports only the newer build’s tools', async () => {
    const { client, workers, build } = setUp();
    const progress: BuildProgress[] = [];
    client.onProgress((p) => progress.push(p));
    const older = build('package main // 1');
    const olderId = workers[0]!.buildId;
    const newer = build('package main // 2');
    expect(await older).toEqual({ ok: false, kind: 'superseded' });
    const newerId = workers[0]!.buildId;
    // The worker finishes the older build first (it builds one at a time); that result is not wanted.
    workers[0]!.reply(tool('compile', olderId));
    workers[0]!.reply(built(olderId));
    expect(await isSettled(newer)).toBe(false);
    workers[0]!.reply(tool('compile', newerId));
    workers[0]!.reply(built(newerId));
    expect((await newer).ok).toBe(true);
    expect(progress.map((p) => p.id)).toEqual([newerId]);
    expect(workers).toHaveLength(1);
  });

  test('gives both callers the one outcome when the same sources are built twice at once', async () => {
    const { workers, build } = setUp();
    const first = build();
    const second = build();
    workers[0]!.reply(built(workers[0]!.buildId));
    expect(await first).toEqual({ ok: true, wasm: WASM, isCached: false, timings: TIMINGS });
    expect(await second).toEqual({ ok: true, wasm: WASM, isCached: false, timings: TIMINGS });
    expect(workers[0]!.sent).toHaveLength(1);
  });

  test('ends the build in progress as superseded even when the newer one is answered from the cache', async () => {
    const { workers, build } = setUp();
    const cachedBuild = build('package main // cached');
    workers[0]!.reply(built(workers[0]!.buildId));
    await cachedBuild;
    const inProgress = build('package main // slow');
    expect(await build('package main // cached')).toMatchObject({ ok: true, isCached: true });
    expect(await inProgress).toEqual({ ok: false, kind: 'superseded' });
  });
});

describe('GoBuildClient with beforeWorkerStarts (the toolchain service worker)', () => {
  /** A client whose worker starts only once `open()` is called. */
  function waiting() {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let calls = 0;
    const setup = setUp({
      beforeWorkerStarts: () => {
        calls++;
        return gate;
      },
    });
    return { ...setup, open, calls: () => calls };
  }

  test('starts the worker once the wait ends, and hands it every message sent meanwhile, in order', async () => {
    const { client, workers, build, open } = waiting();
    client.prepare('/go', 'redis-limiter');
    const outcome = build();
    expect(workers).toHaveLength(0);
    open();
    await Promise.resolve();
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent.map((m) => m.type)).toEqual(['prepare', 'build']);
    workers[0]!.reply(built(workers[0]!.buildId));
    expect(await outcome).toEqual({ ok: true, wasm: WASM, isCached: false, timings: TIMINGS });
  });

  test('starts no worker for a build cancelled while it waits; the next build waits again and starts one', async () => {
    const { client, workers, build, open, calls } = waiting();
    const cancelled = build('package main // 1');
    expect(client.cancel()).toBe(true);
    expect(await cancelled).toEqual({ ok: false, kind: 'cancelled' });
    open();
    await Promise.resolve();
    expect(workers).toHaveLength(0);
    const next = build('package main // 2');
    await Promise.resolve();
    expect(calls()).toBe(2);
    expect(workers).toHaveLength(1);
    expect(workers[0]!.sent.map((m) => m.type)).toEqual(['build']);
    workers[0]!.reply(built(workers[0]!.buildId));
    expect((await next).ok).toBe(true);
  });
});
