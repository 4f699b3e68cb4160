/**
 * One HTTP header map as Envoy keeps it: ordered, lower-case names, repeated names allowed
 * (reference/host-abi.md §8.3).
 */
import { encodePairs, type Pairs } from '../abi/pair-map.ts';

export class HeaderMap {
  #pairs: Pairs;
  /** The pair-map encoding of #pairs, kept until the next mutation (every mutator clears it). */
  #encoded: Uint8Array | null = null;

  constructor(pairs: Pairs = []) {
    this.#pairs = lowerCased(pairs);
  }

  /** All pairs in order (a copy). */
  pairs(): Pairs {
    const pairs = this.#pairs;
    const copy: Pairs = new Array(pairs.length);
    for (let i = 0; i < pairs.length; i++) copy[i] = [pairs[i]![0], pairs[i]![1]];
    return copy;
  }

  /** The pairs other than those named `name` (lower-case), in order (a copy, like pairs()). */
  pairsWithout(name: string): Pairs {
    const pairs = this.#pairs;
    const out: Pairs = [];
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i]!;
      if (pair[0] !== name) out.push([pair[0], pair[1]]);
    }
    return out;
  }

  /**
   * The pairs in the pair-map encoding (host-abi.md §6.1), made once per state of the map: the
   * bytes are shared between calls, so callers copy them out and never change them.
   */
  encoded(): Uint8Array {
    return (this.#encoded ??= encodePairs(this.#pairs));
  }

  get size(): number {
    return this.#pairs.length;
  }

  /** First value for `name`, or undefined. */
  get(name: string): string | undefined {
    const key = lowerCase(name);
    const pairs = this.#pairs;
    for (let i = 0; i < pairs.length; i++) {
      if (pairs[i]![0] === key) return pairs[i]![1];
    }
    return undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Appends a value, keeping existing ones. */
  add(name: string, value: string): void {
    this.#encoded = null;
    this.#pairs.push([lowerCase(name), value]);
  }

  /** Sets one value: replaces the first occurrence in place and drops the rest, or appends. */
  replace(name: string, value: string): void {
    this.#encoded = null;
    const key = lowerCase(name);
    const pairs = this.#pairs;
    let at = 0;
    while (at < pairs.length && pairs[at]![0] !== key) at++;
    if (at === pairs.length) {
      pairs.push([key, value]);
      return;
    }
    pairs[at] = [key, value];
    // Drop the later occurrences, compacting in place.
    let kept = at + 1;
    for (let i = at + 1; i < pairs.length; i++) {
      if (pairs[i]![0] !== key) pairs[kept++] = pairs[i]!;
    }
    pairs.length = kept;
  }

  /** Removes every value of `name`. */
  remove(name: string): void {
    this.#encoded = null;
    const key = lowerCase(name);
    const pairs = this.#pairs;
    let kept = 0;
    for (let i = 0; i < pairs.length; i++) {
      if (pairs[i]![0] !== key) pairs[kept++] = pairs[i]!;
    }
    pairs.length = kept;
  }

  /** Replaces the whole map. */
  setAll(pairs: Pairs): void {
    this.#encoded = null;
    this.#pairs = lowerCased(pairs);
  }
}

/** Own copies of the pairs with lower-case names (the caller's pairs are never shared). */
function lowerCased(pairs: Pairs): Pairs {
  const out: Pairs = new Array(pairs.length);
  for (let i = 0; i < pairs.length; i++) out[i] = [lowerCase(pairs[i]![0]), pairs[i]![1]];
  return out;
}

/**
 * `name.toLowerCase()`, without the copy it makes even of a name with nothing to change: header
 * names are nearly always lower-case already, and a plugin looks a dozen up per request.
 */
function lowerCase(name: string): string {
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if ((code >= 0x41 && code <= 0x5a) || code > 0x7f) return name.toLowerCase();
  }
  return name;
}
