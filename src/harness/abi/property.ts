/**
 * Property paths and values (reference/host-abi.md §6.2–6.3). A path is its segments joined by NUL;
 * the Go SDK writes no trailing NUL, the Rust SDK does, so both are accepted.
 */
import { RecentValues } from '../recent-values.ts';
import { fromUtf8, utf8 } from './memory.ts';

/** Splits a NUL-joined path into segments, ignoring one trailing NUL. */
export function decodePropertyPath(bytes: Uint8Array): string[] {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0) end--;
  return fromUtf8(bytes.subarray(0, end)).split('\0');
}

/**
 * The path as the host keys properties, its segments joined by '.', from the path decoded as a
 * whole: decodePropertyPath(bytes).join('.') without the array (a final NUL byte is always the
 * final '\0' of the text, since UTF-8 never uses 0x00 inside a character).
 */
export function propertyKey(text: string): string {
  return keys.get(text);
}

/** Keys made lately: a plugin reads the same few properties on every request. */
const keys = new RecentValues<string, string>(
  512,
  (text) => (text.endsWith('\0') ? text.slice(0, -1) : text).replaceAll('\0', '.'),
  (text) => text.length <= 256,
);

/** A scalar property as a scenario gives it. */
export type PropertyScalar = string | number | boolean | bigint;

/**
 * Serialises a property value as Envoy's serializeValue does for scalars:
 *
 *   string       raw UTF-8 bytes, no NUL          "GÉT" → 47 c3 89 54
 *   integer      int64, 8 bytes little-endian     258   → 02 01 00 00 00 00 00 00
 *   bigint       int64 (timestamps: Unix ns)      -2n   → fe ff ff ff ff ff ff ff
 *   other number float64, 8 bytes little-endian  1.5   → 00 00 00 00 00 00 f8 3f
 *   boolean      1 byte                           true  → 01
 *
 * A request's properties are read on every request, mostly with the same values, so encodings are
 * kept (the last few hundred values): the bytes returned are shared and must not be changed.
 */
export function encodeScalar(value: PropertyScalar): Uint8Array {
  return encodings.get(value);
}

/** Keyed by SameValueZero: 1 and 1n are different keys, -0 and 0 the same one (both encode as int64 0). */
const encodings = new RecentValues<PropertyScalar, Uint8Array>(512, (value) => encodeScalarOnce(value), (value) => typeof value !== 'string' || value.length <= 1024);

function encodeScalarOnce(value: PropertyScalar): Uint8Array {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'boolean') return new Uint8Array([value ? 1 : 0]);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  if (typeof value === 'bigint') view.setBigInt64(0, value, true);
  else if (Number.isInteger(value)) view.setBigInt64(0, BigInt(value), true);
  else view.setFloat64(0, value, true);
  return out;
}
