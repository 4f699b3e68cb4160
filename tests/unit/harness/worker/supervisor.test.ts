/**
 * RunSupervisor with a stand-in worker the test speaks for: every way a run can end settles it
 * exactly once, a stuck call terminates the worker, and the next run gets a fresh one.
 */
import { describe, expect, test } from 'vitest';
import { sharedNow } from '../../../../src/harness/worker/guest-calls.ts';
import type { FromWorker, RunJob, ToWorker } from '../../../../src/harness/worker/protocol.ts';
import { CANCELLED, RunError, RunSupervisor, type WorkerEvents } from '../../../../src/harness/worker/supervisor.ts';
import type { Outcome } from '../../../../src/harness/outcome.ts';
import type { RunResult } from '../../../../src/harness/run.ts';

class FakeWorker {
  readonly received: ToWorker[] = [];
  isTerminated = false;
  readonly events: WorkerEvents;
  constructor(events: WorkerEvents) {
    this.events = events;
  }
  send(message: FromWorker): void {
    this.events.message(message);
  }
}

function supervised(keepsWorker = true) {
  const workers: FakeWorker[] = [];
  const supervisor = new RunSupervisor({
    canShareMemory: false,
    keepsWorker,
    spawn(events) {
      const worker = new FakeWorker(events);
      workers.push(worker);
      return { post: (m) => worker.received.push(m), terminate: () => void (worker.isTerminated = true) };
    },
  });
  return { supervisor, workers };
}

const job: RunJob = { plugin: { url: '/wasm/x.wasm' }, scenario: { text: 'requests: [{ path: / }]', fileName: 'scenario.yaml' } };
const result = { outcomes: [] } as unknown as RunResult;
const runId = (worker: FakeWorker) => (worker.received.at(-1) as Extract<ToWorker, { type: 'run' }>).id;

describe('RunSupervisor', () => {
  test('resolves with the result, however long the worker took before plugin code ran', async () => {
    const { supervisor, workers } = supervised();
    const run = supervisor.run(job);
    const worker = workers[0]!;
    const id = runId(worker);
    worker.send({ type: 'started', id, limitMs: 5 });
    // Between calls nothing is timed: a slow worker is not a stuck plugin.
    await new Promise((r) => setTimeout(r, 30));
    worker.send({ type: 'done', id, result });
    await expect(run).resolves.toBe(result);
    expect(worker.isTerminated).toBe(false);
  });

  test('stops a call that overruns, terminates the worker, names the request, and starts a fresh worker next time', async () => {
    const { supervisor, workers } = supervised();
    const run = supervisor.run(job);
    const worker = workers[0]!;
    const id = runId(worker);
    worker.send({ type: 'started', id, limitMs: 20 });
    worker.send({ type: 'progress', id, index: 0, request: { method: 'POST', path: '/x', atMs: 1500 } });
    worker.send({ type: 'call', id, call: { seq: 1, callback: 'proxy_on_request_body', request: 0, startedAt: sharedNow() - 100 } });
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    const { failure } = error as RunError;
    expect(failure).toMatchObject({ kind: 'callback-timeout', overrun: { callback: 'proxy_on_request_body', request: 0, limitMs: 20, clock: 'wall' }, request: { method: 'POST', path: '/x', atMs: 1500 } });
    expect(failure.message).toMatch(/^proxy_on_request_body ran for \d+ ms without returning while handling request #0 \(POST \/x at 1500 ms\)/);
    expect(worker.isTerminated).toBe(true);
    void supervisor.run(job);
    expect(workers).toHaveLength(2);
  });

  test('a call that ended is not timed', async () => {
    const { supervisor, workers } = supervised();
    const run = supervisor.run(job);
    const worker = workers[0]!;
    const id = runId(worker);
    worker.send({ type: 'started', id, limitMs: 10 });
    worker.send({ type: 'call', id, call: { seq: 1, callback: 'proxy_on_log', request: 0, startedAt: sharedNow() } });
    worker.send({ type: 'call-end', id, seq: 1 });
    await new Promise((r) => setTimeout(r, 40));
    worker.send({ type: 'done', id, result });
    await expect(run).resolves.toBe(result);
  });

  test('a crashed worker settles the run with one sentence, and the next run gets a new worker', async () => {
    const { supervisor, workers } = supervised();
    const run = supervisor.run(job);
    workers[0]!.events.crash('exit code 134');
    await expect(run).rejects.toMatchObject({ failure: { kind: 'worker-crashed', message: expect.stringContaining('stopped unexpectedly (exit code 134)') } });
    void supervisor.run(job);
    expect(workers).toHaveLength(2);
  });

  test('a worker error passes through as the worker reported it', async () => {
    const { supervisor, workers } = supervised();
    const run = supervisor.run(job);
    workers[0]!.send({ type: 'error', id: runId(workers[0]!), error: { kind: 'bad-scenario', message: 'scenario.yaml:1:1: nothing to run.' } });
    await expect(run).rejects.toMatchObject({ failure: { kind: 'bad-scenario' } });
  });

  test('a new run cancels the one in progress, whose late messages are ignored', async () => {
    const { supervisor, workers } = supervised();
    const first = supervisor.run(job);
    const old = workers[0]!;
    const oldId = runId(old);
    const second = supervisor.run(job);
    await expect(first).resolves.toBe(CANCELLED);
    expect(old.isTerminated).toBe(true);
    old.send({ type: 'done', id: oldId, result: { outcomes: ['stale'] } as unknown as RunResult });
    const fresh = workers[1]!;
    fresh.send({ type: 'done', id: runId(fresh), result });
    await expect(second).resolves.toBe(result);
  });

  test('without keepsWorker, each run ends its worker', async () => {
    const { supervisor, workers } = supervised(false);
    const run = supervisor.run(job);
    workers[0]!.send({ type: 'done', id: runId(workers[0]!), result });
    await run;
    expect(workers[0]!.isTerminated).toBe(true);
  });

  test('a streamed run hands each batch on in order, acks it once handled, and settles after the last', async () => {
    const { supervisor, workers } = supervised();
    const handled: number[][] = [];
    let release: () => void = () => {};
    const run = supervisor.run(job, {
      onOutcomes: (outcomes) => {
        handled.push(outcomes.map((o) => o.index));
        // The first batch is slow to write: the next one waits.
        if (handled.length === 1) return new Promise<void>((r) => (release = r));
      },
    });
    const worker = workers[0]!;
    const id = runId(worker);
    expect(worker.received.at(-1)).toMatchObject({ type: 'run', stream: true });
    const batch = (...indexes: number[]) => ({ type: 'outcomes' as const, id, outcomes: indexes.map((index) => ({ index })) as unknown as Outcome[], failures: indexes.map(() => null) });
    worker.send(batch(0, 1));
    worker.send(batch(2));
    await new Promise((r) => setTimeout(r, 10));
    expect({ handled, acks: worker.received.filter((m) => m.type === 'ack') }).toEqual({ handled: [[0, 1]], acks: [] });
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(handled).toEqual([[0, 1], [2]]);
    expect(worker.received.filter((m) => m.type === 'ack')).toEqual([{ type: 'ack', id, count: 1 }, { type: 'ack', id, count: 1 }]);
    // The result waits for the batches that came before it.
    worker.send(batch(3));
    worker.send({ type: 'done', id, result });
    await expect(run).resolves.toBe(result);
    expect(handled).toEqual([[0, 1], [2], [3]]);
  });

  test('stop asks the worker to stop the run in progress; a reader that fails ends the run with its error', async () => {
    const { supervisor, workers } = supervised();
    const run = supervisor.run(job, {
      onOutcomes: () => {
        throw new Error('EPIPE');
      },
    });
    const worker = workers[0]!;
    const id = runId(worker);
    supervisor.stop();
    expect(worker.received.at(-1)).toEqual({ type: 'stop', id });
    worker.send({ type: 'outcomes', id, outcomes: [], failures: [] });
    await expect(run).rejects.toThrow('EPIPE');
    expect(worker.isTerminated).toBe(true);
  });
});
