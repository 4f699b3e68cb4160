/** Messages between the page and the harness Worker. Errors cross as plain objects, recognised by `kind`. */
import type { HarnessErrorJSON } from '../harness/errors.ts';
import type { RunResult } from '../harness/run.ts';

export interface RunJob {
  /** Where the compiled plugin is served, e.g. /wasm/redis-limiter.wasm?v=<hash>. */
  wasmUrl: string;
  /** A plugin built in the page from the reader's code; used instead of wasmUrl when present. */
  wasmBytes?: Uint8Array;
  pluginName: string;
  /** The scenario as the reader edited it (YAML). */
  scenarioText: string;
  /** The config.json tab, parsed; a `config:` in the scenario replaces it, as the CLI does. */
  config: unknown;
  isTraced: boolean;
}

/** A failure as it crosses postMessage: the harness error's plain form plus what views need. */
export type RunFailure = HarnessErrorJSON & {
  /** Scenario problems with their 1-based line and column, for editor markers. */
  issues?: Array<{ path: string; message: string; line?: number; col?: number }>;
  /** The plugin's log lines when it rejected its configuration. */
  logs?: Array<{ level: string; message: string }>;
};

export type ToWorker = { type: 'prepare'; wasmUrl: string } | { type: 'run'; id: number; job: RunJob };

export type FromWorker =
  | { type: 'progress'; id: number; index: number }
  | { type: 'done'; id: number; result: RunResult }
  | { type: 'error'; id: number; error: RunFailure };
