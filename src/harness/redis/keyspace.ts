/**
 * One Redis database: keys with their values and expiry times, on the caller's clock. A key whose
 * time has come disappears the moment anyone looks at it, and is dropped at the next command
 * even if nobody does: redis-server's active expiry frees such keys within moments, and without
 * it a long run that writes a key per client per minute would keep every one of them.
 */
import { MinHeap } from '../min-heap.ts';

/**
 * A stored value. Keys, fields, elements and strings are byte strings (see bytes.ts). A sorted
 * set maps each member to its score.
 */
export type StoredValue =
  | { type: 'string'; value: string }
  | { type: 'hash'; value: Map<string, string> }
  | { type: 'list'; value: string[] }
  | { type: 'set'; value: Set<string> }
  | { type: 'zset'; value: Map<string, number> };

/** A live key: its value and when it expires, in Unix milliseconds (null for never). */
export interface Entry {
  value: StoredValue;
  expiresAtMs: bigint | null;
}

/** An expiry as it was set: checked against the key's current expiry when its time comes. */
interface Expiry {
  key: string;
  atMs: bigint;
}

/** The keys of one database, in insertion order. */
export class Keyspace {
  readonly #entries = new Map<string, Entry>();
  /** Every expiry set and not yet due, earliest first (a later EXPIRE or SET leaves a stale one, skipped when due). */
  readonly #expiries = new MinHeap<Expiry>((a, b) => a.atMs < b.atMs);

  /** How many keys the database holds in memory, expired ones not yet dropped included. */
  get stored(): number {
    return this.#entries.size;
  }

  /** How many live keys there are at `nowMs` (DBSIZE). */
  size(nowMs: bigint): number {
    this.#dropExpired(nowMs);
    return this.#entries.size;
  }

  /** Looks a key up at `nowMs`, deleting it first if it has expired. */
  get(key: string, nowMs: bigint): Entry | undefined {
    this.#dropExpired(nowMs);
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs !== null && entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  /**
   * Stores a value. The key's expiry is cleared, as SET does, unless `keepTtl` is set, as for
   * SET KEEPTTL and for commands that change a value in place (INCR, HSET).
   */
  set(key: string, value: StoredValue, nowMs: bigint, keepTtl = false): void {
    const old = keepTtl ? this.get(key, nowMs) : undefined;
    this.#entries.set(key, { value, expiresAtMs: old?.expiresAtMs ?? null });
  }

  /** Sets or clears the expiry of a live key; returns false when there is no such key. */
  setExpiry(key: string, atMs: bigint | null, nowMs: bigint): boolean {
    const entry = this.get(key, nowMs);
    if (entry === undefined) return false;
    entry.expiresAtMs = atMs;
    if (atMs !== null) this.#expiries.push({ key, atMs });
    return true;
  }

  /** Deletes a live key; returns whether it was there. */
  delete(key: string, nowMs: bigint): boolean {
    return this.get(key, nowMs) !== undefined && this.#entries.delete(key);
  }

  /** Live keys at `nowMs`, sorted bytewise so replies and snapshots do not depend on history. */
  keys(nowMs: bigint): string[] {
    return [...this.#entries.keys()].filter((key) => this.get(key, nowMs) !== undefined).sort(compareBytes);
  }

  /** Drops every key. */
  clear(): void {
    this.#entries.clear();
    while (this.#expiries.pop());
  }

  /** Deletes the keys whose expiry has come. */
  #dropExpired(nowMs: bigint): void {
    for (let due = this.#expiries.peek(); due !== undefined && due.atMs <= nowMs; due = this.#expiries.peek()) {
      this.#expiries.pop();
      const entry = this.#entries.get(due.key);
      if (entry?.expiresAtMs != null && entry.expiresAtMs <= nowMs) this.#entries.delete(due.key);
    }
  }
}

/** Orders byte strings as memcmp does. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
