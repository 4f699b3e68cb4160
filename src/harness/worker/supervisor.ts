/**
 * The supervising side of a run, shared by the CLI (worker_threads) and the playground (Web
 * Worker): starts the worker, sends the job, watches guest calls with the watchdog, and settles
 * the run exactly once — with the result, the worker's plain error, a callback timeout (the worker
 * is then terminated), a crashed worker, or, for a run a newer one replaced, CANCELLED. A streamed
 * run hands its outcomes to `onOutcomes` batch by batch, acknowledging each once handled (so the
 * worker never runs far ahead of a slow reader), and settles after the last batch is handled.
 */
import type { ExpectationFailure } from '../expect.ts';
import type { Outcome } from '../outcome.ts';
import type { RunResult } from '../run.ts';
import { CallbackTimeoutError, type StuckRequest } from '../run-errors.ts';
import { MessageBoard, readBoard, readBoardRequest, createBoard } from './guest-calls.ts';
import type { FromWorker, RunFailure, RunJob, ToWorker } from './protocol.ts';
import { Watchdog } from './watchdog.ts';

/** Resolved by a run that a newer run (or cancel) replaced; callers ignore it. */
export const CANCELLED = Symbol('cancelled');

/** A run that ended in failure, carrying the plain error to show. */
export class RunError extends Error {
  readonly failure: RunFailure;
  constructor(failure: RunFailure) {
    super(failure.message);
    this.name = 'RunError';
    this.failure = failure;
  }
}

/** A worker as the platform gives it. */
export interface WorkerHandle {
  post(message: ToWorker): void;
  terminate(): void;
}

/** What the supervisor hears from the worker: its messages, and its death (with a reason in words). */
export interface WorkerEvents {
  message(message: FromWorker): void;
  crash(reason: string): void;
}

export interface SupervisorOptions {
  spawn(events: WorkerEvents): WorkerHandle;
  /** Whether a SharedArrayBuffer can be shared with the worker (Node; cross-origin-isolated pages). */
  canShareMemory: boolean;
  /** A reader of a thread's CPU time in milliseconds, for the thread id the worker reports (Node on Linux). */
  threadCpuClock?: (tid: number) => (() => number | null) | null;
  /** Keep the worker between runs (its compiled modules with it); else it is terminated after each. */
  keepsWorker: boolean;
  /**
   * Called as requests arrive, with the index of the latest (-1: the plugin is starting): for each
   * one, or, where memory is shared, for the latest one every tenth of a second.
   */
  onProgress?: (index: number) => void;
}

/** How a run's outcomes come to the caller when they are streamed. */
export interface RunStreamOptions {
  /** A batch of outcomes, in order, with their failed expectations; a returned promise holds the next batch (and the worker) back. */
  onOutcomes(outcomes: Outcome[], failures: Array<ExpectationFailure[] | null>): void | Promise<void>;
}

type Settlement = { result: RunResult } | { failure: RunFailure } | { error: unknown } | typeof CANCELLED;

interface ActiveRun {
  id: number;
  settle(outcome: Settlement): void;
  /** A streamed run's batches, handled one after another; the run settles after them. */
  stream: RunStreamOptions | null;
  handled: Promise<void>;
  board: SharedArrayBuffer | MessageBoard;
  watchdog: Watchdog | null;
  /** Recent requests by index, to name the request a stuck call runs for. */
  requests: Map<number, StuckRequest>;
}

/** How many recent requests a run remembers (a stuck callout reply may be for an earlier request). */
const REQUESTS_KEPT = 64;

export class RunSupervisor {
  readonly #options: SupervisorOptions;
  #worker: WorkerHandle | null = null;
  #threadCpuMs: (() => number | null) | null = null;
  #run: ActiveRun | null = null;
  #nextId = 1;

  constructor(options: SupervisorOptions) {
    this.#options = options;
  }

  /** Starts the worker and compiles a served plugin ahead of the first run. */
  prepare(url: string): void {
    this.#ensureWorker().post({ type: 'prepare', url });
  }

  /**
   * Runs a job; a run already in progress is cancelled (it resolves CANCELLED). Rejects with
   * RunError, or with what `stream.onOutcomes` threw. With `stream`, the outcomes come to it as
   * they are made and the result carries none.
   */
  run(job: RunJob, stream?: RunStreamOptions): Promise<RunResult | typeof CANCELLED> {
    this.cancel();
    const id = this.#nextId++;
    const shared = this.#options.canShareMemory ? createBoard() : null;
    return new Promise((resolve, reject) => {
      const finish = (outcome: Settlement) => {
        if (outcome === CANCELLED) resolve(CANCELLED);
        else if ('result' in outcome) resolve(outcome.result);
        else if ('failure' in outcome) reject(new RunError(outcome.failure));
        else reject(outcome.error);
      };
      const run: ActiveRun = {
        id,
        board: shared ?? new MessageBoard(),
        watchdog: null,
        requests: new Map(),
        stream: stream ?? null,
        handled: Promise.resolve(),
        settle: (outcome) => {
          if (this.#run !== run) return;
          this.#run = null;
          run.watchdog?.stop();
          if (!this.#options.keepsWorker) this.#terminate();
          // The batches received before the end are handled first, so none is lost or late; not when cancelled.
          if (run.stream && outcome !== CANCELLED) void run.handled.then(() => finish(outcome), (error: unknown) => finish({ error }));
          else finish(outcome);
        },
      };
      this.#run = run;
      this.#options.onProgress?.(-1);
      this.#ensureWorker().post({ type: 'run', id, job, ...(shared ? { board: shared } : {}), ...(stream ? { stream: true } : {}) });
    });
  }

  /**
   * Asks the run in progress to stop after the event it is in: it then settles with a result
   * marked interrupted, holding the outcomes so far. A plugin callback that never returns is still
   * stopped by the watchdog; cancel() stops at once.
   */
  stop(): void {
    const run = this.#run;
    if (run) this.#worker?.post({ type: 'stop', id: run.id });
  }

  /** Stops the run in progress, if any: its worker may be deep in a plugin callback, so only a fresh one is sure to be free. */
  cancel(): void {
    const run = this.#run;
    if (!run) return;
    this.#terminate();
    run.settle(CANCELLED);
  }

  /** Terminates the worker; the next run starts a fresh one. */
  dispose(): void {
    this.cancel();
    this.#terminate();
  }

  #ensureWorker(): WorkerHandle {
    if (this.#worker) return this.#worker;
    const worker: WorkerHandle = this.#options.spawn({
      message: (message) => {
        if (this.#worker === worker) this.#receive(message);
      },
      crash: (reason) => {
        if (this.#worker !== worker) return;
        this.#terminate();
        this.#run?.settle({ failure: { kind: 'worker-crashed', message: `the worker running the plugin stopped unexpectedly (${reason}); run again`, hint: 'if it happens again, the plugin may use more memory than the browser or Node allows' } });
      },
    });
    this.#worker = worker;
    this.#threadCpuMs = null;
    return worker;
  }

  #terminate(): void {
    const worker = this.#worker;
    this.#worker = null;
    worker?.terminate();
  }

  #receive(message: FromWorker): void {
    if (message.type === 'thread') {
      this.#threadCpuMs = this.#options.threadCpuClock?.(message.tid) ?? null;
      return;
    }
    const run = this.#run;
    if (!run || message.id !== run.id) return;
    switch (message.type) {
      case 'started':
        run.watchdog = this.#watch(run, message.limitMs);
        break;
      case 'progress':
        run.requests.set(message.index, message.request);
        if (run.requests.size > REQUESTS_KEPT) run.requests.delete(run.requests.keys().next().value!);
        this.#options.onProgress?.(message.index);
        break;
      case 'outcomes': {
        const { stream } = run;
        if (!stream) break;
        const { id, outcomes, failures } = message;
        run.handled = run.handled.then(async () => {
          await stream.onOutcomes(outcomes, failures);
          if (this.#run === run) this.#worker?.post({ type: 'ack', id, count: 1 });
        });
        // A reader that failed ends the run with its error (after what came before it).
        run.handled.catch((error: unknown) => {
          this.#terminate();
          run.settle({ error });
        });
        break;
      }
      case 'call':
      case 'call-end':
        if (run.board instanceof MessageBoard) run.board.receive(message);
        break;
      case 'done':
        run.settle({ result: message.result });
        break;
      case 'error':
        run.settle({ failure: message.error });
        break;
    }
  }

  #watch(run: ActiveRun, limitMs: number): Watchdog {
    const board = run.board;
    return new Watchdog({
      limitMs,
      read: () => (board instanceof MessageBoard ? board.read() : readBoard(board)),
      threadCpuMs: this.#threadCpuMs ?? undefined,
      onOverrun: (overrun) => {
        // Stop the plugin first: it is still spinning in the worker.
        this.#terminate();
        const request = run.requests.get(overrun.request) ?? (board instanceof MessageBoard ? undefined : readBoardRequest(board, overrun.request));
        run.settle({ failure: new CallbackTimeoutError(overrun, request).toJSON() });
      },
    });
  }
}
