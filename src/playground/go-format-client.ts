/**
 * Formats Go source with the real gofmt (go/format, built for js/wasm) in a worker of its own
 * (gofmt-worker.ts), started on the first format() and kept. A worker that crashes, or takes
 * longer than FORMAT_TIME_LIMIT_MS, is terminated and the next format() starts a fresh one.
 */
import { byteColumnToCharColumn } from '../gobuild/build-plugin.ts';
import type { FromGofmtWorker, ToGofmtWorker } from './gofmt-worker.ts';

/**
 * How long one format() may take, the first one's download of gofmt (about 1 MB) included.
 * Formatting itself takes well under a second; the limit only catches a stuck worker.
 */
export const FORMAT_TIME_LIMIT_MS = 60_000;

/**
 * gofmt's answer: the formatted source, or the first syntax error at its line and column (both
 * 1-based; the column counts UTF-16 code units, as editors do, not gofmt's bytes).
 */
export type FormatResult = { text: string } | { error: { line: number; col: number; message: string } };

/** gofmt could not run: its worker crashed or stopped answering (`kind`), or it failed to load (`failed`). */
export class GoFormatError extends Error {
  override readonly name = 'GoFormatError';
  readonly kind: 'failed' | 'worker-crashed' | 'timeout';

  constructor(kind: GoFormatError['kind'], message: string) {
    super(message);
    this.kind = kind;
  }
}

export interface GoFormatClientOptions {
  /** Where the toolchain is published (the playground's data-go-url). */
  baseUrl: string;
  /** Starts the worker; tests pass a fake one. */
  createWorker?: () => Worker;
  /** What the worker's start waits for (the toolchain service worker, as for GoBuildClient). */
  beforeWorkerStarts?: () => Promise<void> | null;
  /** Overrides FORMAT_TIME_LIMIT_MS (tests). */
  timeLimitMs?: number;
}

interface Pending {
  source: string;
  resolve: (result: FormatResult) => void;
  reject: (error: GoFormatError) => void;
  timer: ReturnType<typeof setTimeout>;
}

const startWorker = () => new Worker(new URL('./gofmt-worker.ts', import.meta.url), { type: 'module' });

export class GoFormatClient {
  readonly #options: GoFormatClientOptions;
  #worker: Promise<Worker> | null = null;
  /** The worker whose answers count; null once it was dropped. */
  #current: Worker | null = null;
  #nextId = 1;
  readonly #pending = new Map<number, Pending>();

  constructor(options: GoFormatClientOptions) {
    this.#options = options;
  }

  /** Formats `source` as gofmt does. Rejects with a GoFormatError only when gofmt could not run. */
  format(source: string): Promise<FormatResult> {
    const id = this.#nextId++;
    const limitMs = this.#options.timeLimitMs ?? FORMAT_TIME_LIMIT_MS;
    return new Promise<FormatResult>((resolve, reject) => {
      const timer = setTimeout(() => this.#fail(new GoFormatError('timeout', `gofmt did not answer within ${limitMs / 1000} s`)), limitMs);
      this.#pending.set(id, { source, resolve, reject, timer });
      this.#start().then(
        (worker) => worker.postMessage({ type: 'format', id, baseUrl: this.#options.baseUrl, source } satisfies ToGofmtWorker),
        (error: unknown) => this.#fail(new GoFormatError('worker-crashed', error instanceof Error ? error.message : String(error))),
      );
    });
  }

  #start(): Promise<Worker> {
    this.#worker ??= (async () => {
      await this.#options.beforeWorkerStarts?.();
      const worker = (this.#options.createWorker ?? startWorker)();
      this.#current = worker;
      // Events of a worker already dropped are ignored.
      worker.addEventListener('message', (event: MessageEvent<FromGofmtWorker>) => {
        if (worker === this.#current) this.#receive(event.data);
      });
      worker.addEventListener('error', (event) => {
        if (worker === this.#current) this.#fail(new GoFormatError('worker-crashed', (event as ErrorEvent).message || 'the gofmt worker stopped'));
      });
      worker.addEventListener('messageerror', () => {
        if (worker === this.#current) this.#fail(new GoFormatError('worker-crashed', 'messageerror'));
      });
      return worker;
    })();
    return this.#worker;
  }

  #receive(message: FromGofmtWorker): void {
    const pending = this.#pending.get(message.id);
    if (!pending) return;
    this.#pending.delete(message.id);
    clearTimeout(pending.timer);
    if (message.type === 'failed') return pending.reject(new GoFormatError('failed', message.message));
    const { answer } = message;
    if ('text' in answer) return pending.resolve({ text: answer.text });
    const lineText = pending.source.split('\n')[answer.error.line - 1] ?? '';
    pending.resolve({ error: { ...answer.error, col: answer.error.col > 0 ? byteColumnToCharColumn(lineText, answer.error.col) : answer.error.col } });
  }

  /** Rejects every pending format() with `error` and drops the worker: the next format() starts a fresh one. */
  #fail(error: GoFormatError): void {
    this.#current?.terminate();
    this.#current = null;
    this.#worker = null;
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(error);
    }
    this.#pending.clear();
  }
}
