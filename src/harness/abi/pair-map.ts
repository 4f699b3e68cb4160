/**
 * Pair-map codec for headers, trailers, local-reply headers and callout headers
 * (reference/host-abi.md §6.1). All integers are u32 little-endian:
 *
 *   ┌───────┬──────────────────────────────┬──────────────────────────────────────┐
 *   │ count │ count × (key_len, value_len) │ key bytes 00 value bytes 00 … (each) │
 *   └───────┴──────────────────────────────┴──────────────────────────────────────┘
 */
import { fromUtf8, utf8 } from './memory.ts';

export type Pairs = Array<[string, string]>;

/** cpp-host limits (include/proxy-wasm/limits.h): beyond these a map decodes as empty. */
const MAX_PAIRS = 1024;
const MAX_MAP_BYTES = 1024 * 1024;

/** Encodes pairs; an empty list is the 4-byte count 0, which the Go SDK reads as an empty map. */
export function encodePairs(pairs: Pairs): Uint8Array {
  const encoded = pairs.map(([k, v]) => [utf8(k), utf8(v)] as const);
  const size = 4 + encoded.reduce((n, [k, v]) => n + 8 + k.length + v.length + 2, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, encoded.length, true);
  let at = 4;
  for (const [k, v] of encoded) {
    view.setUint32(at, k.length, true);
    view.setUint32(at + 4, v.length, true);
    at += 8;
  }
  for (const [k, v] of encoded) {
    out.set(k, at);
    at += k.length + 1;
    out.set(v, at);
    at += v.length + 1;
  }
  return out;
}

/**
 * Decodes pairs, mirroring cpp-host's PairsUtil: malformed input (short, over the limits, a
 * missing NUL, bytes left over) decodes as an empty list rather than an error.
 */
export function decodePairs(bytes: Uint8Array): Pairs {
  if (bytes.length < 4 || bytes.length > MAX_MAP_BYTES) return [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(0, true);
  if (count > MAX_PAIRS || 4 + count * 8 > bytes.length) return [];
  const sizes: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    sizes.push([view.getUint32(4 + i * 8, true), view.getUint32(8 + i * 8, true)]);
  }
  let at = 4 + count * 8;
  const pairs: Pairs = [];
  for (const [keyLen, valueLen] of sizes) {
    if (at + keyLen + valueLen + 2 > bytes.length) return [];
    const key = bytes.subarray(at, at + keyLen);
    at += keyLen;
    if (bytes[at++] !== 0) return [];
    const value = bytes.subarray(at, at + valueLen);
    at += valueLen;
    if (bytes[at++] !== 0) return [];
    pairs.push([fromUtf8(key), fromUtf8(value)]);
  }
  return at === bytes.length ? pairs : [];
}
