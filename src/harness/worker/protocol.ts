/**
 * Messages between a supervisor and the worker that runs the harness, the same in Node
 * (worker_threads) and the browser (Web Worker). Errors cross as plain objects, recognised by `kind`.
 */
import type { HarnessErrorJSON } from '../errors.ts';
import type { ExpectationFailure } from '../expect.ts';
import type { Outcome } from '../outcome.ts';
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
  /**
   * How many outcomes the result carries in full, from the first (the playground caps a very long
   * run's; RunResult.summary counts them all). All when absent. A streamed run carries none.
   */
  keepOutcomes?: number;
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
  /**
   * `board`: the shared call board when the supervisor can share memory; else calls come as messages.
   * `stream`: send the outcomes as they come ('outcomes' messages) instead of in the result.
   */
  | { type: 'run'; id: number; job: RunJob; board?: SharedArrayBuffer; stream?: boolean }
  /** Stop run `id` after the event in progress: it ends with 'done', its result marked interrupted. */
  | { type: 'stop'; id: number }
  /** The supervisor has handled `count` more 'outcomes' batches of run `id`; the worker holds back past OUTCOME_BATCHES_AHEAD. */
  | { type: 'ack'; id: number; count: number };

export type FromWorker =
  /** The worker's OS thread, so a supervisor that can read thread CPU time (Node on Linux) can use it. */
  | { type: 'thread'; tid: number }
  /** Scenario read and plugin compiled: from here on, guest calls are timed against limitMs. */
  | { type: 'started'; id: number; limitMs: number }
  | { type: 'progress'; id: number; index: number; request: StuckRequest }
  /** A streamed run's next outcomes, in order, each with its failed expectations (null: no expect block). */
  | { type: 'outcomes'; id: number; outcomes: Outcome[]; failures: Array<ExpectationFailure[] | null> }
  | (GuestCallMessage & { id: number })
  | { type: 'done'; id: number; result: RunResult }
  | { type: 'error'; id: number; error: RunFailure };

/** How many 'outcomes' batches a streaming worker sends ahead of the supervisor's acks before it waits. */
export const OUTCOME_BATCHES_AHEAD = 8;
