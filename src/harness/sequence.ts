/**
 * One request's call sequence (Outcome.sequence), recorded only when the run is traced: the stream,
 * the gateway and the clusters add steps as things happen, stamped with the gateway's virtual time.
 * A long body would bury the rest, so past the first CHUNK_STEPS chunks of a direction the steps
 * of each chunk are folded into one `chunk` step that counts them.
 */
import { DataStatus, HeaderStatus } from './abi/enums.ts';
import type { SequenceStep } from './outcome.ts';

/** Body chunks per direction whose steps are drawn in full; later ones (but the last) are counted. */
export const CHUNK_STEPS = 20;

type Direction = 'request' | 'response';
export type CallbackKind = 'headers' | 'body' | 'trailers';

/** The steps one folded chunk makes: its arrival, its body callback and return, its passing on. */
const FOLDABLE = new Set<SequenceStep['kind']>(['chunk', 'callback', 'return']);

const names = (table: Record<string, number>) => new Map(Object.entries(table).map(([k, v]) => [v, k]));
const HEADER_ACTIONS = names(HeaderStatus);
const DATA_ACTIONS = names(DataStatus);

/** The name of what a callback returned, as the SDK names it (`StopIteration`, `StopIterationAndBuffer`…). */
export function actionName(kind: CallbackKind, status: number): string {
  // Trailer callbacks answer Continue (0) or StopIteration (1), the header names for the same numbers.
  const name = kind === 'body' ? DATA_ACTIONS.get(status) : kind === 'headers' || status <= 1 ? HEADER_ACTIONS.get(status) : undefined;
  return name ?? `Status(${status})`;
}

/** Whether that return stops the stream's iteration (ContinueAndEndStream lets the headers go). */
export function isPausing(kind: CallbackKind, status: number): boolean {
  return status !== 0 && !(kind === 'headers' && status === HeaderStatus.ContinueAndEndStream);
}

export class SequenceLog {
  readonly #steps: SequenceStep[] = [];
  readonly #now: () => number;
  readonly #chunks: Record<Direction, number> = { request: 0, response: 0 };
  /** The direction whose chunk is being folded, while its steps run. */
  #folding: Direction | null = null;
  /** Folded chunks not yet summed up in a step: how many, and when the last one came. */
  readonly #folded: Record<Direction, { count: number; at: number }> = { request: { count: 0, at: 0 }, response: { count: 0, at: 0 } };

  /** `now`: virtual milliseconds from the scenario start (the scale of Outcome.at). */
  constructor(now: () => number) {
    this.#now = now;
  }

  add(step: Omit<SequenceStep, 'at'>): void {
    if (this.#folding !== null && step.direction === this.#folding && FOLDABLE.has(step.kind)) return;
    // Anything else comes after the chunks folded so far: their count goes first, keeping the order.
    this.#flush();
    this.#steps.push({ at: this.#at(), ...step });
  }

  /**
   * Runs the handling of one body chunk arriving in `direction`. Past the first CHUNK_STEPS its
   * chunk, callback and return steps are only counted; the last chunk is always drawn, since the
   * end of a body is where plugins act.
   */
  passChunk(direction: Direction, isLast: boolean, work: () => void): void {
    const n = ++this.#chunks[direction];
    if (isLast || n <= CHUNK_STEPS || this.#folding !== null) return work();
    const folded = this.#folded[direction];
    folded.count++;
    folded.at = this.#at();
    this.#folding = direction;
    try {
      work();
    } finally {
      this.#folding = null;
    }
  }

  steps(): SequenceStep[] {
    this.#flush();
    return this.#steps;
  }

  #flush(): void {
    for (const direction of ['request', 'response'] as const) {
      const { count, at } = this.#folded[direction];
      if (count === 0) continue;
      this.#folded[direction] = { count: 0, at: 0 };
      const from = direction === 'request' ? 'client' : 'upstream';
      this.#steps.push({ at, from, to: 'gateway', kind: 'chunk', label: `… ${count} more chunk${count === 1 ? '' : 's'}`, direction, folded: count });
    }
  }

  #at(): number {
    return Math.round(this.#now() * 1000) / 1000;
  }
}
