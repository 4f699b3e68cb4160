/**
 * Values computed lately, by their input: the harness sees the same few property paths, property
 * values and Lua scripts on every request, and computing them again cost more than looking them up.
 * The store starts over when full, so it stays small whatever a run sends; an input `isKept`
 * refuses (a long string) is computed every time and never stored.
 */
export class RecentValues<K, V> {
  readonly #values = new Map<K, V>();
  readonly #max: number;
  readonly #make: (input: K) => V;
  readonly #isKept: (input: K) => boolean;

  constructor(max: number, make: (input: K) => V, isKept: (input: K) => boolean = () => true) {
    this.#max = max;
    this.#make = make;
    this.#isKept = isKept;
  }

  /** The value for `input`, computed now unless it was lately. Keyed by SameValueZero, as a Map. */
  get(input: K): V {
    const known = this.#values.get(input);
    if (known !== undefined) return known;
    const value = this.#make(input);
    if (!this.#isKept(input)) return value;
    if (this.#values.size >= this.#max) this.#values.clear();
    this.#values.set(input, value);
    return value;
  }
}
