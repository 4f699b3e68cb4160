/**
 * Runs a scenario in a worker_threads worker and watches it: a plugin callback that does not
 * return within the limit (an endless loop) is stopped by terminating the worker, with a clear
 * error; the next run starts a fresh worker. The worker reports each request as it starts.
 */
import { Worker } from 'node:worker_threads';
import type { HarnessErrorJSON } from '../errors.ts';
import type { RunResult } from '../run.ts';
import { CallbackTimeoutError } from '../run-errors.ts';
import type { Scenario } from '../scenario.ts';
import { expandRequests } from '../scenario.ts';

export interface WorkerJob {
  bytes: Uint8Array;
  scenario: Scenario;
  config?: unknown;
  defaultConfig?: unknown;
  pluginName?: string;
  isTraced?: boolean;
  env?: Record<string, string>;
  redisUrl?: string;
}

type WorkerMessage =
  | { type: 'progress'; index: number }
  | { type: 'done'; result: RunResult }
  | { type: 'error'; error: HarnessErrorJSON };

/** A run that failed inside the worker, carrying the plain error it reported. */
export class WorkerRunError extends Error {
  readonly error: HarnessErrorJSON;
  constructor(error: HarnessErrorJSON) {
    super(error.message);
    this.error = error;
  }
}

/** Runs `job` in a worker; rejects with WorkerRunError, or CallbackTimeoutError after `limitMs` without progress. */
export function runInWorker(job: WorkerJob, limitMs: number): Promise<RunResult> {
  const requests = expandRequests(job.scenario);
  const worker = new Worker(new URL('./run-worker.ts', import.meta.url), { workerData: job, execArgv: process.execArgv });
  return new Promise<RunResult>((resolve, reject) => {
    let current = -1;
    let lastProgress = performance.now();
    const watchdog = setInterval(() => {
      if (performance.now() - lastProgress <= limitMs) return;
      const request = requests[current];
      const where = request ? `request #${current} (${request.method} ${request.path} at ${request.atMs} ms)` : 'plugin start-up';
      settle(() => reject(new WorkerRunError(new CallbackTimeoutError(limitMs, where).toJSON())));
    }, Math.min(100, limitMs / 4));
    const settle = (finish: () => void) => {
      clearInterval(watchdog);
      void worker.terminate();
      finish();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'progress') {
        current = message.index;
        lastProgress = performance.now();
      } else if (message.type === 'done') settle(() => resolve(message.result));
      else settle(() => reject(new WorkerRunError(message.error)));
    });
    worker.on('error', (error) => settle(() => reject(new WorkerRunError({ kind: 'internal', message: error.message }))));
    worker.on('exit', (code) => settle(() => reject(new WorkerRunError({ kind: 'internal', message: `the run's worker exited with code ${code}` }))));
  });
}
