/**
 * The CLI's progress line on stderr, for runs long enough to wonder about: requests done of the
 * total, the rate, and the time left. It appears after PROGRESS_AFTER_MS and is redrawn a few
 * times a second in place on a terminal; WASM_LAB_PROGRESS=1 shows it (one line per second) when
 * stderr is not a terminal, =0 hides it. Ctrl+C handling lives here too: the first stops the run
 * cleanly, a second stops it at once.
 */

/** The environment variable that shows (1) or hides (0) the progress line. */
export const PROGRESS_VARIABLE = 'WASM_LAB_PROGRESS';

/** A run shorter than this never shows progress. */
const PROGRESS_AFTER_MS = 2000;

/** Where the line goes: stderr as Node gives it, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  write(text: string): unknown;
}

export class ProgressLine {
  readonly #stream: ProgressStream;
  readonly #isTerminal: boolean;
  readonly #startedAt: number;
  readonly #now: () => number;
  #total = 0;
  #done = 0;
  #label = '';
  #isShown = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** Shows nothing when disabled; `now` is for tests. */
  constructor(options: { stream?: ProgressStream; env?: Record<string, string | undefined>; now?: () => number } = {}) {
    const stream = options.stream ?? process.stderr;
    const setting = (options.env ?? process.env)[PROGRESS_VARIABLE];
    this.#stream = stream;
    this.#isTerminal = stream.isTTY === true;
    this.#now = options.now ?? (() => performance.now());
    this.#startedAt = this.#now();
    const isEnabled = setting === '1' || (setting !== '0' && this.#isTerminal);
    if (isEnabled) {
      this.#timer = setInterval(() => this.draw(), this.#isTerminal ? 250 : 1000);
      this.#timer.unref?.();
    }
  }

  /** Starts counting a new run of `total` requests (a label names it when several run, e.g. the scenario file). */
  start(total: number, label = ''): void {
    this.#total = total;
    this.#done = 0;
    this.#label = label;
  }

  /** `count` more requests are done. */
  advance(count: number): void {
    this.#done += count;
  }

  /** The line as it reads now. */
  text(): string {
    const elapsedS = (this.#now() - this.#startedAt) / 1000;
    const rate = elapsedS > 0 ? this.#done / elapsedS : 0;
    const left = this.#total - this.#done;
    const eta = rate > 0 && left > 0 ? ` · ETA ${formatSeconds(left / rate)}` : '';
    const label = this.#label ? `${this.#label}: ` : '';
    return `${label}${count(this.#done)}/${count(this.#total)} requests · ${count(Math.round(rate))}/s${eta}`;
  }

  /** Draws the line if the run has gone on long enough; the timer calls it. */
  draw(): void {
    if (this.#timer === undefined || this.#now() - this.#startedAt < PROGRESS_AFTER_MS) return;
    if (this.#isTerminal) this.#stream.write(`\r\x1b[K${this.text()}`);
    else this.#stream.write(`${this.text()}\n`);
    this.#isShown = true;
  }

  /** Takes the line off the terminal (before other output, and at the end); the next draw puts it back. */
  clear(): void {
    if (this.#isShown && this.#isTerminal) this.#stream.write('\r\x1b[K');
    this.#isShown = false;
  }

  stop(): void {
    this.clear();
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function formatSeconds(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

/** Ctrl+C during a run: the first asks it to stop after the current event, a second stops it at once. */
export class Interruption {
  readonly stop = new AbortController();
  readonly kill = new AbortController();
  readonly #onSignal = () => (this.stop.signal.aborted ? this.kill.abort() : this.stop.abort());

  constructor() {
    process.on('SIGINT', this.#onSignal);
  }

  get isInterrupted(): boolean {
    return this.stop.signal.aborted;
  }

  dispose(): void {
    process.off('SIGINT', this.#onSignal);
  }
}

/** The exit code of a command stopped by Ctrl+C (128 + SIGINT), as shells report it. */
export const INTERRUPTED_EXIT_CODE = 130;
