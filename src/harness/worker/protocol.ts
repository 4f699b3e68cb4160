/**
 * Messages between a supervisor and the worker that runs the harness, the same in Node
 * (worker_threads) and the browser (Web Worker). Errors cross as plain objects, recognised by `kind`.
 */
import type { HarnessErrorJSON } from '../errors.ts';
import type { RunResult } from '../run.ts';
import type { Scenario } from '../scenario.ts';
import type { GuestCallMessage } from './guest-calls.ts';
import type { StuckRequest } from '../run-errors.ts';
import type { CallbackOverrun } from './watchdog.ts';

/** One run: the plugin, the scenario, and what replaces or fills in its config. */
export interface RunJob {
  /** The compiled plugin's bytes, or where it is served (the worker keeps compiled modules per URL). */
  plugin: { bytes: Uint8Array } | { url: string };
  /** A scenario already read, or its text to read in the worker (problems then carry line and column). */
  scenario: Scenario | { text: string; fileName: string };
  /** Replaces the scenario's config (the CLI's --config). */
  config?: unknown;
  /** Used when neither config nor the scenario gives one (an example's config.json). */
  defaultConfig?: unknown;
  pluginName?: string;
  isTraced?: boolean;
  /** The plugin's WASI environment. */
  env?: Record<string, string>;
  /** A real Redis for every Redis cluster (Node only). */
  redisUrl?: string;
}

/** A failure as it crosses postMessage: the harness error's plain form plus what views need. */
export type RunFailure = HarnessErrorJSON & {
  /** Scenario problems with their 1-based line and column, for editor markers. */
  issues?: Array<{ path: string; message: string; line?: number; col?: number }>;
  /** The plugin's log lines when it rejected its configuration. */
  logs?: Array<{ level: string; message: string }>;
  /** For a callback timeout: which call, how long it ran, on which clock. */
  overrun?: CallbackOverrun;
  request?: StuckRequest;
};

export type ToWorker =
  | { type: 'prepare'; url: string }
  /** `board`: the shared call board when the supervisor can share memory; else calls come as messages. */
  | { type: 'run'; id: number; job: RunJob; board?: SharedArrayBuffer };

export type FromWorker =
  /** The worker's OS thread, so a supervisor that can read thread CPU time (Node on Linux) can use it. */
  | { type: 'thread'; tid: number }
  /** Scenario read and plugin compiled: from here on, guest calls are timed against limitMs. */
  | { type: 'started'; id: number; limitMs: number }
  | { type: 'progress'; id: number; index: number; request: StuckRequest }
  | (GuestCallMessage & { id: number })
  | { type: 'done'; id: number; result: RunResult }
  | { type: 'error'; id: number; error: RunFailure };
