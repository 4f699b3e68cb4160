/**
 * The watchdog: stops a plugin callback that runs past the scenario's callbackTimeout. It looks
 * only at guest calls (guest-calls.ts), so a slow worker start, a download, compilation or the
 * host waiting for a reply never count. A loaded machine must not make a healthy callback look
 * stuck, so the time counted is, where the platform tells it (Node on Linux), the CPU time of the
 * thread running the VM; elsewhere (browsers) it is real time while the watchdog's own timer runs
 * on time: a stretch in which the watchdog itself was kept waiting for a core counts only as one
 * tick, since the VM's thread was most likely waiting too.
 */
import { sharedNow, type GuestCall } from './guest-calls.ts';

/** Why the watchdog stopped a run: the call, and how long it had run when it was stopped. */
export interface CallbackOverrun {
  callback: string;
  /** The request the call ran for, or -1 for start-up and timers. */
  request: number;
  /** Milliseconds the call had run, on `clock`. */
  usedMs: number;
  limitMs: number;
  /** `cpu`: the thread's CPU time; `wall`: real time while the watchdog ran on time. */
  clock: 'cpu' | 'wall';
}

export interface WatchdogOptions {
  limitMs: number;
  /** The call in progress, or null between calls. */
  read(): GuestCall | null;
  /** The VM thread's CPU time in milliseconds, where the platform can tell; null otherwise. */
  threadCpuMs?: (() => number | null) | undefined;
  onOverrun(overrun: CallbackOverrun): void;
  /** The clock guest calls are stamped with (tests step it by hand). */
  now?: () => number;
}

/** How often to look: often enough to stop a loop soon after the limit, rarely enough to cost nothing. */
export function pollInterval(limitMs: number): number {
  return Math.min(50, Math.max(5, Math.floor(limitMs / 10)));
}

/** Watches one run until stopped; calls onOverrun once and stops itself when a call overruns. */
export class Watchdog {
  readonly #options: WatchdogOptions;
  readonly #now: () => number;
  /** The longest stretch between two looks that counts in full; a longer one means this thread waited for a core. */
  readonly #maxStepMs: number;
  readonly #timer: ReturnType<typeof setInterval>;
  /** The call being timed: the CPU time when first seen, the real time counted so far, and when it was last looked at. */
  #tracked: { seq: number; cpuAtStart: number | null; countedMs: number; lastSeenAt: number } | null = null;
  #isStopped = false;

  constructor(options: WatchdogOptions) {
    this.#options = options;
    this.#now = options.now ?? sharedNow;
    const pollMs = pollInterval(options.limitMs);
    this.#maxStepMs = 2 * pollMs;
    this.#timer = setInterval(() => this.check(), pollMs);
  }

  /** Looks once; the timer calls it, and tests step it by hand. */
  check(): void {
    if (this.#isStopped) return;
    const { limitMs, read, threadCpuMs, onOverrun } = this.#options;
    const call = read();
    if (call === null) {
      this.#tracked = null;
      return;
    }
    const now = this.#now();
    let tracked = this.#tracked;
    if (tracked?.seq !== call.seq) {
      // CPU time counts from here: at most one poll of it goes uncounted.
      tracked = this.#tracked = { seq: call.seq, cpuAtStart: threadCpuMs?.() ?? null, countedMs: 0, lastSeenAt: Math.max(call.startedAt, now - this.#maxStepMs) };
    }
    tracked.countedMs += Math.min(now - tracked.lastSeenAt, this.#maxStepMs);
    tracked.lastSeenAt = now;
    const cpuNow = tracked.cpuAtStart === null ? null : (threadCpuMs?.() ?? null);
    const overrun: CallbackOverrun =
      tracked.cpuAtStart !== null && cpuNow !== null
        ? { callback: call.callback, request: call.request, usedMs: cpuNow - tracked.cpuAtStart, limitMs, clock: 'cpu' }
        : { callback: call.callback, request: call.request, usedMs: tracked.countedMs, limitMs, clock: 'wall' };
    if (overrun.usedMs <= limitMs) return;
    this.stop();
    // Rounded up, so the message never says a call that went past the limit ran for just the limit.
    onOverrun({ ...overrun, usedMs: Math.ceil(overrun.usedMs) });
  }

  stop(): void {
    this.#isStopped = true;
    clearInterval(this.#timer);
  }
}
