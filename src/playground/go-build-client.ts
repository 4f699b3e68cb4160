/**
 * Owns the Go build Worker for the page: builds the reader's main.go into a plugin, reusing the
 * last build when the code did not change (content hash), and reports download and build progress.
 * Every build settles; a newer build replaces the one in progress. The worker is terminated when
 * the reader cancels, when it crashes or runs out of memory, and when a tool runs past
 * TOOL_TIME_LIMIT_MS. The next build then starts a fresh worker, which takes the toolchain from
 * Cache Storage. A worker's start may wait for `beforeWorkerStarts` (the toolchain's service
 * worker, so the new worker is under its control: toolchain-cache.ts).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { GoTool } from '../gobuild/errors.ts';
import type { BuildTimings, FromGoWorker, ToGoWorker, WorkerFailure } from './go-build-worker.ts';

/**
 * Where the time of a build went, all in milliseconds, so the page can report the toolchain's
 * download apart from the build (and its own run time apart from both):
 * - `toolchainMs`: from the build() call to the compiler starting, i.e. waiting for the worker
 *   and the toolchain: downloading or reading it from Cache Storage, decoding, compiling the tool
 *   modules. Near 0 once the worker has it in memory.
 * - `toolchainSource`: where the toolchain files came from since the worker's previous build:
 *   `network` (something was downloaded), `cache` (decoded copies from Cache Storage: no download,
 *   no decoding), `memory` (nothing was loaded).
 * - `downloadedBytes`: bytes downloaded since the previous build (brotli, as served; 0 on a reload).
 * - `decodeMs`: brotli decoding since the previous build (0 when everything came from Cache Storage).
 * - `toolCompileMs`: compiling the compiler and linker WebAssembly modules since the previous
 *   build, summed over both. V8 compiles lazily, so this stays small; the cost of tools compiled
 *   from scratch shows in the first build's `compileMs` instead.
 * - `toolSource`: how the tools' modules were made: `service-worker` (from a fetch() the service
 *   worker answered from Cache Storage: Chromium reuses the machine code of an earlier visit when
 *   it kept it), `store` (streamed from Cache Storage, compiled afresh), `bytes` (just downloaded,
 *   compiled afresh), `memory` (the worker already had them).
 * - `compileMs`, `linkMs`: how long the compiler and the linker ran (`linkMs` is 0 when compiling failed).
 * A `prepare()` before the first build counts toward that build: its toolchain numbers say what
 * the reader waited for since they started editing.
 */
export type { BuildTimings };

/**
 * How long one run of the compiler or the linker may take before the build is stopped as stuck.
 * The worker reports nothing while a tool runs, so the limit must sit far above any healthy run.
 * Measured with npm run bench (bench/go-build.ts) on a shared 2-core machine, also with three busy
 * processes beside it: a tab's first compile took 7.4–7.9 s, warm compiles 1.1–1.6 s, links
 * 0.4–2.6 s. 120 s is 15× the slowest, room for a slow laptop, a throttled CPU or swapping.
 * The reader need not wait that long: Cancel stops a build at any time.
 */
export const TOOL_TIME_LIMIT_MS = 120_000;

export type BuildProgress = Extract<FromGoWorker, { type: 'progress' }>;

/** Why a build gave no plugin. Callers switch on `kind`; the playground words each one (build-status.ts). */
export type BuildFailure =
  | { kind: 'diagnostics'; phase: GoTool; diagnostics: Array<{ file: string; line: number; col: number; message: string }>; message: string; timings: BuildTimings }
  | WorkerFailure
  /** The worker stopped without a result: an uncaught error, a script that did not load, or a message the page could not read (`messageerror`). */
  | { kind: 'worker-crashed'; message: string }
  | { kind: 'tool-timeout'; tool: GoTool; limitMs: number }
  /** `cancel()` was called. */
  | { kind: 'cancelled' }
  /** A newer build started before this one ended; its outcome is not wanted. */
  | { kind: 'superseded' };

/** A build's plugin with its timings, or the plugin of an earlier build of the same sources (`isCached`: nothing ran). */
export type BuildOutcome =
  | { ok: true; wasm: Uint8Array; isCached: false; timings: BuildTimings }
  | { ok: true; wasm: Uint8Array; isCached: true }
  | ({ ok: false } & BuildFailure);

export interface GoBuildClientOptions {
  /** Starts a build worker; tests pass a fake one. */
  createWorker?: () => Worker;
  /** Overrides TOOL_TIME_LIMIT_MS (tests). */
  toolTimeLimitMs?: number;
  /**
   * What a worker's start waits for, or null for nothing (the default): the playground passes the
   * toolchain service worker's registration (whenToolchainServiceWorkerReady).
   */
  beforeWorkerStarts?: () => Promise<void> | null;
}

/** Tells whether this browser can run the Go toolchain (desktop-class memory, Workers). */
export function canBuildInBrowser(): boolean {
  const memoryGb = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return (
    typeof WebAssembly === 'object' &&
    typeof Worker === 'function' &&
    !/Mobi|Android|iPhone|iPad/i.test(navigator.userAgent) &&
    (memoryGb === undefined || memoryGb >= 4)
  );
}

/**
 * The cache key of a build. Hashed synchronously (a few kB), so builds take effect in the order
 * they are called: with an async digest, an older build could finish hashing last and win.
 */
function buildKey(example: string, sources: Record<string, string>): string {
  return bytesToHex(sha256(utf8ToBytes(`${example}\0${JSON.stringify(Object.entries(sources).sort())}`)));
}

const startWorker = () => new Worker(new URL('./go-build-worker.ts', import.meta.url), { type: 'module' });

/** The build waiting for its outcome; at most one, since a newer build replaces it. */
interface LiveBuild {
  id: number;
  key: string;
  outcome: Promise<BuildOutcome>;
  settle: (outcome: BuildOutcome) => void;
}

export class GoBuildClient {
  readonly #createWorker: () => Worker;
  readonly #toolTimeLimitMs: number;
  readonly #beforeWorkerStarts: () => Promise<void> | null;
  #worker: Worker | null = null;
  /** Messages for a worker whose start waits for `beforeWorkerStarts`; null when no start is waiting. */
  #queued: ToGoWorker[] | null = null;
  #nextId = 1;
  #live: LiveBuild | null = null;
  #toolTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #cache = new Map<string, Uint8Array>();
  readonly #listeners = new Set<(progress: BuildProgress) => void>();

  constructor(options: GoBuildClientOptions = {}) {
    this.#createWorker = options.createWorker ?? startWorker;
    this.#toolTimeLimitMs = options.toolTimeLimitMs ?? TOOL_TIME_LIMIT_MS;
    this.#beforeWorkerStarts = options.beforeWorkerStarts ?? (() => null);
  }

  /** Whether a build is waiting for its outcome. */
  get isBuilding(): boolean {
    return this.#live !== null;
  }

  /** Calls `listener` with each progress report of the current build; returns the unsubscribe function. */
  onProgress(listener: (progress: BuildProgress) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts downloading and compiling the toolchain for `example` (the reader began editing code). */
  prepare(baseUrl: string, example: string): void {
    this.#send({ type: 'prepare', baseUrl, example });
  }

  /**
   * Builds `sources`, or returns the last build of the same sources. Ends the build in progress
   * as `superseded`, unless it builds the same sources: then both callers get its outcome.
   * Never rejects: every way a build can end is a BuildOutcome.
   */
  build(baseUrl: string, example: string, sources: Record<string, string>): Promise<BuildOutcome> {
    const key = buildKey(example, sources);
    if (this.#live?.key === key) return this.#live.outcome;
    // Even a cached build replaces the one in progress, or that older code would run after it.
    this.#settle({ ok: false, kind: 'superseded' });
    const cached = this.#cache.get(key);
    if (cached) return Promise.resolve({ ok: true, wasm: cached, isCached: true });
    let settle!: (outcome: BuildOutcome) => void;
    const live: LiveBuild = { id: this.#nextId++, key, outcome: new Promise((resolve) => (settle = resolve)), settle };
    this.#live = live;
    this.#send({ type: 'build', id: live.id, baseUrl, example, sources, requestedAtMs: performance.timeOrigin + performance.now() });
    return live.outcome;
  }

  /** Stops the build in progress: terminates the worker and ends the build as `cancelled`. Returns false when no build was running. */
  cancel(): boolean {
    if (!this.#live) return false;
    this.#stop({ kind: 'cancelled' });
    return true;
  }

  #send(message: ToGoWorker): void {
    if (this.#worker) return this.#worker.postMessage(message);
    if (this.#queued) return void this.#queued.push(message);
    const wait = this.#beforeWorkerStarts();
    if (!wait) return this.#startWorker([message]);
    const queued = (this.#queued = [message]);
    // Cancel (#terminate) drops the queue; a start that no longer owns it starts nothing.
    void wait.then(() => {
      if (this.#queued !== queued) return;
      this.#queued = null;
      this.#startWorker(queued);
    });
  }

  /** Starts a worker and hands it `messages`; a worker that cannot start ends the build as worker-crashed. */
  #startWorker(messages: ToGoWorker[]): void {
    let worker: Worker;
    try {
      worker = this.#createWorker();
    } catch (error) {
      this.#settle({ ok: false, kind: 'worker-crashed', message: error instanceof Error ? error.message : String(error) });
      return;
    }
    // Events of a worker already replaced are ignored: it was terminated, or its builds were settled.
    worker.addEventListener('message', (event: MessageEvent<FromGoWorker>) => {
      if (worker === this.#worker) this.#receive(event.data);
    });
    worker.addEventListener('error', (event) => {
      if (worker === this.#worker) this.#stop({ kind: 'worker-crashed', message: (event as ErrorEvent).message ?? '' });
    });
    worker.addEventListener('messageerror', () => {
      if (worker === this.#worker) this.#stop({ kind: 'worker-crashed', message: 'messageerror' });
    });
    this.#worker = worker;
    for (const message of messages) worker.postMessage(message);
  }

  #receive(message: FromGoWorker): void {
    if (message.type === 'progress') {
      // A tool is starting: it must end (or the next one start) within the limit, whichever build it is for.
      if (message.phase === 'compile' || message.phase === 'link') this.#watchTool(message.phase);
      if (message.id !== undefined && message.id !== this.#live?.id) return;
      for (const listener of this.#listeners) listener(message);
      return;
    }
    // The worker builds one at a time: a build's end is the end of its last tool run.
    clearTimeout(this.#toolTimer);
    if (message.id !== this.#live?.id) return;
    if (message.type === 'built') {
      // For the benchmark and the browser's performance panel: how long each tool ran and its peak memory.
      performance.mark('wasm-lab:build:built', { detail: { compileMs: message.compileMs, linkMs: message.linkMs, ...message.memory, timings: message.timings } });
      this.#settle({ ok: true, wasm: message.wasm, isCached: false, timings: message.timings });
    } else if (message.type === 'diagnostics') {
      this.#settle({ ok: false, kind: 'diagnostics', phase: message.phase, diagnostics: message.diagnostics, message: message.output.trim(), timings: message.timings });
    } else {
      const { type: _type, id: _id, ...failure } = message;
      this.#settle({ ok: false, ...failure });
      // A tool that ran out of memory or crashed leaves a worker best replaced: a fresh one starts with all its memory free.
      if (failure.kind !== 'toolchain-failed') this.#terminate();
    }
  }

  #watchTool(tool: GoTool): void {
    clearTimeout(this.#toolTimer);
    const limitMs = this.#toolTimeLimitMs;
    this.#toolTimer = setTimeout(() => this.#stop({ kind: 'tool-timeout', tool, limitMs }), limitMs);
  }

  /** Ends the build in progress with `failure` and terminates the worker (stuck, broken or no longer wanted). */
  #stop(failure: BuildFailure): void {
    this.#terminate();
    this.#settle({ ok: false, ...failure });
  }

  #terminate(): void {
    clearTimeout(this.#toolTimer);
    this.#queued = null;
    this.#worker?.terminate();
    this.#worker = null;
  }

  #settle(outcome: BuildOutcome): void {
    const live = this.#live;
    if (!live) return;
    this.#live = null;
    if (outcome.ok) this.#cache.set(live.key, outcome.wasm);
    live.settle(outcome);
  }
}
