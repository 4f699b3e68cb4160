/**
 * Runs a scenario in a worker_threads worker under the watchdog (src/harness/worker/): a plugin
 * callback that runs past the scenario's callbackTimeout is stopped by terminating the worker.
 * On Linux the watchdog counts the worker thread's CPU time, so a busy machine does not make a
 * healthy callback look stuck. With `onOutcomes`, outcomes cross the thread boundary in small
 * batches as they come, and the result carries none.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { HarnessError } from '../errors.ts';
import type { RunResult } from '../run.ts';
import type { RunJob } from '../worker/protocol.ts';
import { CANCELLED, RunError, RunSupervisor, type RunStreamOptions } from '../worker/supervisor.ts';

export { RunError };

/**
 * The worker's entry beside this module: the TypeScript source in the repository, the bundled
 * run-worker.js in the wasm-lab package (tools/build-cli-package.ts bundles both).
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './run-worker.ts' : './run-worker.js', import.meta.url);

export interface WorkerRunOptions {
  /** Stream the outcomes: each batch, in order, as the worker makes them (see RunSupervisor.run). */
  onOutcomes?: RunStreamOptions['onOutcomes'];
  /** Called as each request arrives, with its index. */
  onProgress?: (index: number) => void;
  /** Aborting stops the run after the event in progress; it resolves with the outcomes so far, marked interrupted. */
  signal?: AbortSignal;
  /** Aborting stops the run at once (the worker is terminated); it rejects with a HarnessError of kind `interrupted`. */
  killSignal?: AbortSignal;
}

/**
 * The worker's heap. By default Node lets a worker's young generation grow to 192 MB and its old
 * generation to 4 GB, and V8 then lets garbage pile up to several times what is alive before it
 * collects: a million-request run peaked at 330–390 MB. With these limits it stays near 250 MB at
 * the same speed (the run itself keeps about 20 MB alive). A run that truly needs more than 1 GB
 * of heap ends as a crashed worker, with the hint that the plugin may use more memory than Node allows.
 */
const WORKER_HEAP = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 1024 };

/** Runs `job` in a fresh worker; rejects with RunError (kind `callback-timeout` for a stuck callback). */
export async function runInWorker(job: RunJob, options: WorkerRunOptions = {}): Promise<RunResult> {
  const supervisor = new RunSupervisor({
    canShareMemory: true,
    keepsWorker: false,
    threadCpuClock,
    spawn(events) {
      // The worker inherits the process's flags (--experimental-strip-types among them) by
      // default; passing process.execArgv explicitly would make Node reject any V8 flag in it.
      const worker = new Worker(WORKER_ENTRY, { resourceLimits: WORKER_HEAP });
      worker.on('message', events.message);
      worker.on('error', (error) => events.crash(error.message));
      worker.on('messageerror', (error) => events.crash(error.message));
      worker.on('exit', (code) => events.crash(`exit code ${code}`));
      return { post: (message) => worker.postMessage(message), terminate: () => void worker.terminate() };
    },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const stop = () => supervisor.stop();
  const kill = () => supervisor.cancel();
  options.signal?.addEventListener('abort', stop);
  options.killSignal?.addEventListener('abort', kill);
  try {
    const running = supervisor.run(job, options.onOutcomes ? { onOutcomes: options.onOutcomes } : undefined);
    if (options.signal?.aborted) stop();
    if (options.killSignal?.aborted) kill();
    const result = await running;
    // Only cancel() resolves CANCELLED: the kill signal.
    if (result === CANCELLED) throw new HarnessError('interrupted', 'the run was stopped before it finished.');
    return result;
  } finally {
    options.signal?.removeEventListener('abort', stop);
    options.killSignal?.removeEventListener('abort', kill);
  }
}

/**
 * Reads a thread's CPU time from /proc/self/task/<tid>/schedstat (nanoseconds on a CPU), where
 * the kernel offers it; null when it cannot be read, and the watchdog falls back to wall time.
 */
function threadCpuClock(tid: number): (() => number | null) | null {
  const path = `/proc/self/task/${tid}/schedstat`;
  const read = (): number | null => {
    try {
      const ns = Number(readFileSync(path, 'latin1').split(' ')[0]);
      return Number.isFinite(ns) ? ns / 1e6 : null;
    } catch {
      return null;
    }
  };
  return read() === null ? null : read;
}
