import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { GoFormatClient, GoFormatError } from '../../../src/playground/go-format-client.ts';
import type { FromGofmtWorker, ToGofmtWorker } from '../../../src/playground/gofmt-worker.ts';
import { FakeWorker as BaseFakeWorker } from '../../helpers/fake-worker.ts';

/** The gofmt worker's stand-in, with the id of the last format() posted to it. */
class FakeWorker extends BaseFakeWorker<ToGofmtWorker, FromGofmtWorker> {
  get lastId(): number {
    return this.sent.at(-1)!.id;
  }
}

const LIMIT_MS = 1000;

function setUp() {
  const workers: FakeWorker[] = [];
  const client = new GoFormatClient({
    baseUrl: '/go/go1.26.8',
    timeLimitMs: LIMIT_MS,
    createWorker: () => {
      const worker = new FakeWorker();
      workers.push(worker);
      return worker as unknown as Worker;
    },
  });
  /** Lets the client's worker start (it waits a microtask) and post. */
  const started = () => new Promise((resolve) => setImmediate(resolve));
  return { client, workers, started };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('GoFormatClient.format', () => {
  test('sends the source and the toolchain URL, and resolves with gofmt\u2019s text', async () => {
    const { client, workers, started } = setUp();
    const result = client.format('package main\nfunc main(){}\n');
    await started();
    expect(workers[0]!.sent).toEqual([{ type: 'format', id: 1, baseUrl: '/go/go1.26.8', source: 'package main\nfunc main(){}\n' }]);
    workers[0]!.reply({ type: 'formatted', id: 1, answer: { text: 'package main\n\nfunc main() {}\n' } });
    expect(await result).toEqual({ text: 'package main\n\nfunc main() {}\n' });
  });

  test('gives a syntax error\u2019s column in UTF-16 units, as editors count, not gofmt\u2019s bytes', async () => {
    const { client, workers, started } = setUp();
    const source = 'package main\n\nvar s = "中文" +\n';
    const result = client.format(source);
    await started();
    // gofmt counts bytes: "中文" is 6 bytes but 2 UTF-16 units, so byte column 18 is column 14.
    workers[0]!.reply({ type: 'formatted', id: 1, answer: { error: { line: 3, col: 18, message: 'expected operand, found newline' } } });
    expect(await result).toEqual({ error: { line: 3, col: 14, message: 'expected operand, found newline' } });
  });

  test('rejects with kind failed when gofmt could not run, and keeps the worker for the next call', async () => {
    const { client, workers, started } = setUp();
    const result = client.format('package main');
    await started();
    workers[0]!.reply({ type: 'failed', id: 1, message: 'gofmt-964e.wasm.br could not be downloaded (HTTP 404)' });
    await expect(result).rejects.toMatchObject({ name: 'GoFormatError', kind: 'failed', message: 'gofmt-964e.wasm.br could not be downloaded (HTTP 404)' });
    const next = client.format('package main');
    await started();
    expect(workers).toHaveLength(1);
    workers[0]!.reply({ type: 'formatted', id: workers[0]!.lastId, answer: { text: 'package main\n' } });
    expect(await next).toEqual({ text: 'package main\n' });
  });

  test('rejects every pending call when the worker crashes, and starts a fresh worker for the next one', async () => {
    const { client, workers, started } = setUp();
    const first = client.format('package a');
    const second = client.format('package b');
    await started();
    workers[0]!.fail('Uncaught RangeError: Out of memory');
    for (const result of [first, second]) await expect(result).rejects.toEqual(new GoFormatError('worker-crashed', 'Uncaught RangeError: Out of memory'));
    expect(workers[0]!.isTerminated).toBe(true);
    const next = client.format('package c');
    await started();
    expect(workers).toHaveLength(2);
    workers[1]!.reply({ type: 'formatted', id: workers[1]!.lastId, answer: { text: 'package c\n' } });
    expect(await next).toEqual({ text: 'package c\n' });
  });

  test('rejects with kind timeout and terminates a worker that does not answer within the limit', async () => {
    const { client, workers, started } = setUp();
    const result = client.format('package main');
    await started();
    vi.advanceTimersByTime(LIMIT_MS);
    await expect(result).rejects.toMatchObject({ kind: 'timeout', message: 'gofmt did not answer within 1 s' });
    expect(workers[0]!.isTerminated).toBe(true);
  });
});
