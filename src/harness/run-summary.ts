/**
 * A run's summary, kept as outcomes go by so it costs the same for ten requests or ten million:
 * counts per status and per error kind, and percentiles of plugin time from a fixed histogram.
 */
import type { Outcome } from './outcome.ts';

/** What a run did, in numbers; plain data, so it crosses postMessage. */
export interface RunSummary {
  /** How many requests ended (all of them, unless the run was interrupted). */
  requests: number;
  /** How many of those outcomes the result leaves out (RunOptions.keepOutcomes). */
  omitted: number;
  /** Requests per response status, as a string ("0" when the client got none). */
  byStatus: Record<string, number>;
  /** Requests per error kind (`stalled`, `plugin-trap`, …); requests without an error are not counted. */
  errors: Record<string, number>;
  /**
   * Real time in plugin callbacks per request, in microseconds. Percentiles come from a
   * log-linear histogram (exact below 128 µs, then 64 buckets per doubling: within 1.6 %);
   * mean and max are exact.
   */
  pluginTimeUs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Keys in the embedded Redis at the end, over every cluster and database; null with a real Redis. */
  redisKeys: number | null;
}

/** Values below this are counted one per bucket; above, LINEAR / 2 buckets per power of two. */
const LINEAR = 128;
const SUB_BITS = Math.log2(LINEAR) - 1;
const SUB = LINEAR / 2;
/** Enough buckets for 2^31 µs (about 36 minutes); longer times count in the last one. */
const BUCKETS = LINEAR + (31 - SUB_BITS - 1) * SUB + SUB;

/** A fixed-size histogram of non-negative whole numbers. */
export class LogHistogram {
  readonly #counts = new Float64Array(BUCKETS);
  #count = 0;
  #sum = 0;
  #max = 0;

  add(value: number): void {
    const v = Math.max(0, Math.round(value));
    this.#counts[bucketOf(v)]!++;
    this.#count++;
    this.#sum += v;
    if (v > this.#max) this.#max = v;
  }

  get count(): number {
    return this.#count;
  }

  get max(): number {
    return this.#max;
  }

  get mean(): number {
    return this.#count === 0 ? 0 : this.#sum / this.#count;
  }

  /** The value at percentile `p` (0–100) by nearest rank, as its bucket's middle (exact below 128); 0 when empty. */
  percentile(p: number): number {
    if (this.#count === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.#count));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      seen += this.#counts[i]!;
      if (seen >= rank) return Math.min(middleOf(i), this.#max);
    }
    return this.#max;
  }
}

function bucketOf(v: number): number {
  if (v < LINEAR) return v;
  const top = v >= 2 ** 31 ? 30 : 31 - Math.clz32(v);
  const shift = top - SUB_BITS;
  const sub = Math.min(LINEAR - 1, Math.floor(v / 2 ** shift));
  return LINEAR + (shift - 1) * SUB + (sub - SUB);
}

function middleOf(bucket: number): number {
  if (bucket < LINEAR) return bucket;
  const shift = Math.floor((bucket - LINEAR) / SUB) + 1;
  const sub = ((bucket - LINEAR) % SUB) + SUB;
  return Math.round((sub + 0.5) * 2 ** shift);
}

/** Builds a RunSummary from outcomes as they come. */
export class SummaryCollector {
  #requests = 0;
  readonly #byStatus: Record<string, number> = {};
  readonly #errors: Record<string, number> = {};
  readonly #pluginTime = new LogHistogram();

  add(outcome: Outcome): void {
    this.#requests++;
    const status = String(outcome.status);
    this.#byStatus[status] = (this.#byStatus[status] ?? 0) + 1;
    if (outcome.error) this.#errors[outcome.error.kind] = (this.#errors[outcome.error.kind] ?? 0) + 1;
    this.#pluginTime.add(outcome.pluginTimeUs);
  }

  summary(omitted: number, redisKeys: number | null): RunSummary {
    const h = this.#pluginTime;
    return {
      requests: this.#requests,
      omitted,
      byStatus: { ...this.#byStatus },
      errors: { ...this.#errors },
      pluginTimeUs: { p50: h.percentile(50), p90: h.percentile(90), p99: h.percentile(99), max: h.max, mean: Math.round(h.mean * 10) / 10 },
      redisKeys,
    };
  }
}
