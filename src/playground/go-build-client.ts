/**
 * Owns the Go build Worker for the page: builds the reader's main.go into a plugin, reusing the
 * last build when the code did not change (content hash), and reports download and build progress.
 */
import type { FromGoWorker, ToGoWorker } from './go-build-worker.ts';

export type BuildProgress = Extract<FromGoWorker, { type: 'progress' }>;
export type BuildOutcome =
  | { ok: true; wasm: Uint8Array; isCached: boolean }
  | { ok: false; phase: 'compile' | 'link' | 'toolchain'; diagnostics: Array<{ file: string; line: number; col: number; message: string }>; message: string };

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

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export class GoBuildClient {
  #worker: Worker | null = null;
  #nextId = 1;
  readonly #cache = new Map<string, Uint8Array>();
  readonly #pending = new Map<number, (outcome: BuildOutcome) => void>();
  readonly #listeners = new Set<(progress: BuildProgress) => void>();

  /** Calls `listener` with each progress report; returns the unsubscribe function. */
  onProgress(listener: (progress: BuildProgress) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Starts downloading and compiling the toolchain for `example` (the reader began editing code). */
  prepare(baseUrl: string, example: string): void {
    this.#send({ type: 'prepare', baseUrl, example });
  }

  /** Builds `sources`, or returns the last build of the same sources. */
  async build(baseUrl: string, example: string, sources: Record<string, string>): Promise<BuildOutcome> {
    const key = await sha256(`${example}\0${JSON.stringify(Object.entries(sources).sort())}`);
    const cached = this.#cache.get(key);
    if (cached) return { ok: true, wasm: cached, isCached: true };
    const id = this.#nextId++;
    const outcome = await new Promise<BuildOutcome>((resolve) => {
      this.#pending.set(id, resolve);
      this.#send({ type: 'build', id, baseUrl, example, sources });
    });
    if (outcome.ok) this.#cache.set(key, outcome.wasm);
    return outcome;
  }

  #send(message: ToGoWorker): void {
    if (!this.#worker) {
      this.#worker = new Worker(new URL('./go-build-worker.ts', import.meta.url), { type: 'module' });
      this.#worker.addEventListener('message', (event: MessageEvent<FromGoWorker>) => this.#receive(event.data));
    }
    this.#worker.postMessage(message);
  }

  #receive(message: FromGoWorker): void {
    if (message.type === 'progress') {
      for (const listener of this.#listeners) listener(message);
      return;
    }
    const resolve = this.#pending.get(message.id);
    if (!resolve) return;
    this.#pending.delete(message.id);
    if (message.type === 'built') {
      // For the benchmark and the browser's performance panel: how long each tool ran and its peak memory.
      performance.mark('wasm-lab:build:built', { detail: { compileMs: message.compileMs, linkMs: message.linkMs, ...message.memory } });
      resolve({ ok: true, wasm: message.wasm, isCached: false });
    }
    else if (message.type === 'diagnostics') resolve({ ok: false, phase: message.phase, diagnostics: message.diagnostics, message: message.output.trim() });
    else resolve({ ok: false, phase: 'toolchain', diagnostics: [], message: message.message });
  }
}
