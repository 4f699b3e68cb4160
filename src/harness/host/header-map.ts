/**
 * One HTTP header map as Envoy keeps it: ordered, lower-case names, repeated names allowed
 * (reference/host-abi.md §8.3).
 */
import type { Pairs } from '../abi/pair-map.ts';

export class HeaderMap {
  #pairs: Pairs;

  constructor(pairs: Pairs = []) {
    this.#pairs = pairs.map(([k, v]) => [k.toLowerCase(), v]);
  }

  /** All pairs in order (a copy). */
  pairs(): Pairs {
    return this.#pairs.map(([k, v]) => [k, v]);
  }

  get size(): number {
    return this.#pairs.length;
  }

  /** First value for `name`, or undefined. */
  get(name: string): string | undefined {
    const key = name.toLowerCase();
    return this.#pairs.find(([k]) => k === key)?.[1];
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  /** Appends a value, keeping existing ones. */
  add(name: string, value: string): void {
    this.#pairs.push([name.toLowerCase(), value]);
  }

  /** Sets one value: replaces the first occurrence in place and drops the rest, or appends. */
  replace(name: string, value: string): void {
    const key = name.toLowerCase();
    const at = this.#pairs.findIndex(([k]) => k === key);
    if (at === -1) {
      this.#pairs.push([key, value]);
      return;
    }
    this.#pairs[at] = [key, value];
    this.#pairs = this.#pairs.filter(([k], i) => k !== key || i === at);
  }

  /** Removes every value of `name`. */
  remove(name: string): void {
    const key = name.toLowerCase();
    this.#pairs = this.#pairs.filter(([k]) => k !== key);
  }

  /** Replaces the whole map. */
  setAll(pairs: Pairs): void {
    this.#pairs = pairs.map(([k, v]) => [k.toLowerCase(), v]);
  }
}
