/**
 * Runs a scenario in a worker_threads worker under the watchdog (src/harness/worker/): a plugin
 * callback that runs past the scenario's callbackTimeout is stopped by terminating the worker.
 * On Linux the watchdog counts the worker thread's CPU time, so a busy machine does not make a
 * healthy callback look stuck.
 */
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { RunResult } from '../run.ts';
import type { RunJob } from '../worker/protocol.ts';
import { CANCELLED, RunError, RunSupervisor } from '../worker/supervisor.ts';

export { RunError };

/**
 * The worker's entry beside this module: the TypeScript source in the repository, the bundled
 * run-worker.js in the wasm-lab package (tools/build-cli-package.ts bundles both).
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './run-worker.ts' : './run-worker.js', import.meta.url);

/** Runs `job` in a fresh worker; rejects with RunError (kind `callback-timeout` for a stuck callback). */
export async function runInWorker(job: RunJob): Promise<RunResult> {
  const supervisor = new RunSupervisor({
    canShareMemory: true,
    keepsWorker: false,
    threadCpuClock,
    spawn(events) {
      const worker = new Worker(WORKER_ENTRY, { execArgv: process.execArgv });
      worker.on('message', events.message);
      worker.on('error', (error) => events.crash(error.message));
      worker.on('messageerror', (error) => events.crash(error.message));
      worker.on('exit', (code) => events.crash(`exit code ${code}`));
      return { post: (message) => worker.postMessage(message), terminate: () => void worker.terminate() };
    },
  });
  const result = await supervisor.run(job);
  // Only cancel() resolves CANCELLED, and nothing here calls it.
  if (result === CANCELLED) throw new Error('the run was cancelled');
  return result;
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
