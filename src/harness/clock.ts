/**
 * Virtual time for one run. The scenario timeline moves it (`at: 61s`), so a minute window shows
 * in milliseconds of real time; every read inside a callback also moves it forward a little, and
 * a sleep (poll_oneoff) moves it by the sleep's length, so a plugin that polls the time or sleeps
 * still terminates (as wazero's fake clock does; see RATIONALE.md "Why is time virtual?").
 */

/** How far each clock read moves time: small enough to keep a request's timestamps together. */
const TICK_PER_READ_NS = 1_000;

export class VirtualClock {
  readonly #startUnixNs: bigint;
  /** Nanoseconds since the run started; a Number is exact for 104 days of virtual time. */
  #elapsedNs = 0;

  /** @param startUnixMs wall-clock time at the start of the run, in Unix milliseconds. */
  constructor(startUnixMs: number) {
    this.#startUnixNs = BigInt(Math.round(startUnixMs)) * 1_000_000n;
  }

  /** Milliseconds since the run started (the outcome's `at` scale). */
  get elapsedMs(): number {
    return this.#elapsedNs / 1e6;
  }

  /** Wall-clock Unix time in milliseconds: what Redis expiry compares against. */
  get unixMs(): number {
    return Number(this.#startUnixNs / 1_000_000n) + this.#elapsedNs / 1e6;
  }

  /** Moves time forward to `elapsedMs`; never backwards (reads may already have passed it). */
  advanceTo(elapsedMs: number): void {
    this.#elapsedNs = Math.max(this.#elapsedNs, Math.round(elapsedMs * 1e6));
  }

  /** Moves time forward by a duration in nanoseconds (a plugin sleeping). */
  advanceByNs(durationNs: number): void {
    if (durationNs > 0) this.#elapsedNs += durationNs;
  }

  /** Reads realtime (WASI clock 0) as Unix nanoseconds, ticking forward. */
  readRealtimeNs(): bigint {
    this.#elapsedNs += TICK_PER_READ_NS;
    return this.#startUnixNs + BigInt(this.#elapsedNs);
  }

  /** Reads the monotonic clock (WASI clock 1) in nanoseconds since the run started, ticking forward. */
  readMonotonicNs(): bigint {
    this.#elapsedNs += TICK_PER_READ_NS;
    return BigInt(this.#elapsedNs);
  }
}
