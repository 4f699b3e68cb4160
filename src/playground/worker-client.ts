/**
 * Owns the harness Worker for the page. A new Run cancels the one before it; a run that makes no
 * progress within the limit (a plugin stuck in a loop) is stopped by terminating the worker, and
 * the next Run starts a fresh one. Status is read-only for views.
 */
import type { RunResult } from '../harness/run.ts';
import type { FromWorker, RunFailure, RunJob, ToWorker } from './protocol.ts';

export type RunStatus = { state: 'idle' } | { state: 'running'; index: number } | { state: 'done' } | { state: 'failed' };

/** Resolved by a run that a newer run replaced; views ignore it. */
export const CANCELLED = Symbol('cancelled');

export class RunError extends Error {
  readonly failure: RunFailure;
  constructor(failure: RunFailure) {
    super(failure.message);
    this.failure = failure;
  }
}

interface PendingRun {
  id: number;
  resolve: (result: RunResult | typeof CANCELLED) => void;
  reject: (error: RunError) => void;
  /** Set by the first progress message, once the plugin is compiled: downloads are not timed. */
  isArmed: boolean;
  lastProgressAt: number;
  index: number;
  watchdog: ReturnType<typeof setInterval>;
}

export class HarnessClient {
  #worker: Worker | null = null;
  #pending: PendingRun | null = null;
  #nextId = 1;
  #status: RunStatus = { state: 'idle' };
  readonly #listeners = new Set<(status: RunStatus) => void>();

  get status(): RunStatus {
    return this.#status;
  }

  /** Calls `listener` on every status change; returns the unsubscribe function. */
  subscribe(listener: (status: RunStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts the worker and compiles the plugin ahead of the first Run. */
  prepare(wasmUrl: string): void {
    this.#send({ type: 'prepare', wasmUrl });
  }

  /**
   * Runs a job; resolves with the result, or CANCELLED when a newer run replaced it. Rejects with
   * RunError (kind `callback-timeout` when plugin code made no progress for `timeoutMs`; the
   * download and compilation before it are not timed).
   */
  run(job: RunJob, timeoutMs: number): Promise<RunResult | typeof CANCELLED> {
    this.#cancel();
    const id = this.#nextId++;
    this.#setStatus({ state: 'running', index: -1 });
    return new Promise((resolve, reject) => {
      const pending: PendingRun = {
        id,
        resolve,
        reject,
        isArmed: false,
        lastProgressAt: performance.now(),
        index: -1,
        watchdog: setInterval(() => {
          if (!pending.isArmed || performance.now() - pending.lastProgressAt <= timeoutMs) return;
          this.#kill();
          const where = pending.index < 0 ? 'plugin start-up' : `request #${pending.index}`;
          this.#finish(pending, () =>
            reject(
              new RunError({
                kind: 'callback-timeout',
                message: `a plugin callback did not return within ${timeoutMs} ms while handling ${where}; the VM was stopped`,
                hint: 'look for an endless loop or a blocking wait in that callback',
              }),
            ),
          );
        }, 100),
      };
      this.#pending = pending;
      this.#send({ type: 'run', id, job });
    });
  }

  #send(message: ToWorker): void {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./harness-worker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('message', (event: MessageEvent<FromWorker>) => this.#receive(event.data));
      this.#worker.addEventListener('error', (event) => {
        const pending = this.#pending;
        if (pending) this.#finish(pending, () => pending.reject(new RunError({ kind: 'internal', message: event.message || 'the harness worker failed to start' })));
        this.#kill();
      });
    }
    this.#worker.postMessage(message);
  }

  #receive(message: FromWorker): void {
    const pending = this.#pending;
    if (!pending || message.id !== pending.id) return;
    if (message.type === 'progress') {
      pending.isArmed = true;
      pending.lastProgressAt = performance.now();
      pending.index = message.index;
      this.#setStatus({ state: 'running', index: message.index });
    } else if (message.type === 'done') {
      this.#finish(pending, () => pending.resolve(message.result), 'done');
    } else {
      this.#finish(pending, () => pending.reject(new RunError(message.error)));
    }
  }

  #finish(pending: PendingRun, settle: () => void, state: 'done' | 'failed' = 'failed'): void {
    clearInterval(pending.watchdog);
    if (this.#pending === pending) this.#pending = null;
    this.#setStatus({ state });
    settle();
  }

  #cancel(): void {
    const pending = this.#pending;
    if (!pending) return;
    // The old run may be deep in a plugin callback: only a fresh worker is sure to be free.
    this.#kill();
    this.#finish(pending, () => pending.resolve(CANCELLED), 'done');
  }

  #kill(): void {
    this.#worker?.terminate();
    this.#worker = null;
  }

  #setStatus(status: RunStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
