/**
 * The supervising side of a run, shared by the CLI (worker_threads) and the playground (Web
 * Worker): starts the worker, sends the job, watches guest calls with the watchdog, and settles
 * the run exactly once — with the result, the worker's plain error, a callback timeout (the worker
 * is then terminated), a crashed worker, or, for a run a newer one replaced, CANCELLED.
 */
import type { RunResult } from '../run.ts';
import { CallbackTimeoutError, type StuckRequest } from '../run-errors.ts';
import { MessageBoard, readBoard, createBoard } from './guest-calls.ts';
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
  /** Called as each request arrives, with its index (-1: the plugin is starting). */
  onProgress?: (index: number) => void;
}

interface ActiveRun {
  id: number;
  settle(outcome: { result: RunResult } | { failure: RunFailure } | typeof CANCELLED): void;
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

  /** Runs a job; a run already in progress is cancelled (it resolves CANCELLED). Rejects with RunError. */
  run(job: RunJob): Promise<RunResult | typeof CANCELLED> {
    this.cancel();
    const id = this.#nextId++;
    const shared = this.#options.canShareMemory ? createBoard() : null;
    return new Promise((resolve, reject) => {
      const run: ActiveRun = {
        id,
        board: shared ?? new MessageBoard(),
        watchdog: null,
        requests: new Map(),
        settle: (outcome) => {
          if (this.#run !== run) return;
          this.#run = null;
          run.watchdog?.stop();
          if (!this.#options.keepsWorker) this.#terminate();
          if (outcome === CANCELLED) resolve(CANCELLED);
          else if ('result' in outcome) resolve(outcome.result);
          else reject(new RunError(outcome.failure));
        },
      };
      this.#run = run;
      this.#options.onProgress?.(-1);
      this.#ensureWorker().post({ type: 'run', id, job, ...(shared ? { board: shared } : {}) });
    });
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
        run.settle({ failure: new CallbackTimeoutError(overrun, run.requests.get(overrun.request)).toJSON() });
      },
    });
  }
}
