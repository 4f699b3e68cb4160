/**
 * The page's harness Worker: one per page, shared by its playgrounds, supervised like the CLI's
 * (src/harness/worker/supervisor.ts): a new Run cancels the one before it, a callback that runs
 * past the scenario's callbackTimeout is stopped by terminating the worker, and a worker that
 * dies settles the run with a message. Status is read-only for views.
 */
import type { RunResult } from '../harness/run.ts';
import type { RunJob } from '../harness/worker/protocol.ts';
import { CANCELLED, RunError, RunSupervisor } from '../harness/worker/supervisor.ts';

export { CANCELLED, RunError };

/**
 * How many outcomes a run brings back in full: the page renders each one, so a very long run
 * lists its first ones and counts the rest (RunResult.summary, the checks).
 */
export const OUTCOMES_SHOWN = 1000;

export type RunStatus = { state: 'idle' } | { state: 'running'; index: number } | { state: 'done' } | { state: 'failed' };

export class HarnessClient {
  #status: RunStatus = { state: 'idle' };
  readonly #listeners = new Set<(status: RunStatus) => void>();
  readonly #supervisor = new RunSupervisor({
    // Shared memory needs a cross-origin-isolated page; a plain static host gets messages instead.
    canShareMemory: typeof SharedArrayBuffer === 'function' && globalThis.crossOriginIsolated === true,
    keepsWorker: true,
    onProgress: (index) => this.#setStatus({ state: 'running', index }),
    spawn(events) {
      const worker = new Worker(new URL('./harness-worker.ts', import.meta.url), { type: 'module' });
      worker.addEventListener('message', (event) => events.message(event.data));
      worker.addEventListener('messageerror', () => events.crash('a message could not be read'));
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        events.crash(event.message || 'it failed to start');
      });
      return { post: (message) => worker.postMessage(message), terminate: () => worker.terminate() };
    },
  });

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
    this.#supervisor.prepare(wasmUrl);
  }

  /**
   * Runs a job; resolves with the result, or CANCELLED when a newer run replaced it. Rejects with
   * RunError (kind `callback-timeout` when a plugin callback ran past the scenario's callbackTimeout).
   */
  async run(job: RunJob): Promise<RunResult | typeof CANCELLED> {
    try {
      const result = await this.#supervisor.run({ keepOutcomes: OUTCOMES_SHOWN, ...job });
      if (result !== CANCELLED) this.#setStatus({ state: 'done' });
      return result;
    } catch (error) {
      this.#setStatus({ state: 'failed' });
      throw error;
    }
  }

  #setStatus(status: RunStatus): void {
    this.#status = status;
    for (const listener of this.#listeners) listener(status);
  }
}
