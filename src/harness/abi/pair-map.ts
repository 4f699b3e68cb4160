/**
 * Pair-map codec for headers, trailers, local-reply headers and callout headers
 * (reference/host-abi.md §6.1). All integers are u32 little-endian:
 *
 *   ┌───────┬──────────────────────────────┬──────────────────────────────────────┐
 *   │ count │ count × (key_len, value_len) │ key bytes 00 value bytes 00 … (each) │
 *   └───────┴──────────────────────────────┴──────────────────────────────────────┘
 */
import { fromUtf8Range, utf8 } from './memory.ts';

export type Pairs = Array<[string, string]>;

/** cpp-host limits (include/proxy-wasm/limits.h): beyond these a map decodes as empty. */
const MAX_PAIRS = 1024;
const MAX_MAP_BYTES = 1024 * 1024;

/** Encodes pairs; an empty list is the 4-byte count 0, which the Go SDK reads as an empty map. */
export function encodePairs(pairs: Pairs): Uint8Array {
  const count = pairs.length;
  const encoded: Uint8Array[] = new Array(count * 2);
  let size = 4;
  for (let i = 0; i < count; i++) {
    const pair = pairs[i]!;
    const key = utf8(pair[0]);
    const value = utf8(pair[1]);
    encoded[2 * i] = key;
    encoded[2 * i + 1] = value;
    size += 8 + key.length + value.length + 2;
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, count, true);
  let at = 4;
  for (let i = 0; i < count; i++) {
    view.setUint32(at, encoded[2 * i]!.length, true);
    view.setUint32(at + 4, encoded[2 * i + 1]!.length, true);
    at += 8;
  }
  for (let i = 0; i < count * 2; i++) {
    const bytes = encoded[i]!;
    out.set(bytes, at);
    at += bytes.length + 1;
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
  let at = 4 + count * 8;
  const pairs: Pairs = [];
  for (let i = 0; i < count; i++) {
    const keyLen = view.getUint32(4 + i * 8, true);
    const valueLen = view.getUint32(8 + i * 8, true);
    if (at + keyLen + valueLen + 2 > bytes.length) return [];
    const keyAt = at;
    at += keyLen;
    if (bytes[at++] !== 0) return [];
    const valueAt = at;
    at += valueLen;
    if (bytes[at++] !== 0) return [];
    pairs.push([fromUtf8Range(bytes, keyAt, keyAt + keyLen), fromUtf8Range(bytes, valueAt, valueAt + valueLen)]);
  }
  return at === bytes.length ? pairs : [];
}
