/**
 * Property paths and values (reference/host-abi.md §6.2–6.3). A path is its segments joined by NUL;
 * the Go SDK writes no trailing NUL, the Rust SDK does, so both are accepted.
 */
import { encodePairs } from './pair-map.ts';
import { fromUtf8, utf8 } from './memory.ts';

/** Splits a NUL-joined path into segments, ignoring one trailing NUL. */
export function decodePropertyPath(bytes: Uint8Array): string[] {
  let end = bytes.length;
  if (end > 0 && bytes[end - 1] === 0) end--;
  return fromUtf8(bytes.subarray(0, end)).split('\0');
}

/** A property value before Envoy serialises it. */
export type PropertyValue =
  | { type: 'string'; value: string }
  | { type: 'bytes'; value: Uint8Array }
  | { type: 'int64'; value: bigint }
  | { type: 'uint64'; value: bigint }
  | { type: 'bool'; value: boolean }
  | { type: 'timestamp'; unixNanos: bigint }
  | { type: 'map'; value: Array<[string, string]> };

/** Serialises a value as Envoy's serializeValue does: strings raw, numbers 8 bytes LE, bools 1 byte. */
export function encodePropertyValue(p: PropertyValue): Uint8Array {
  switch (p.type) {
    case 'string':
      return utf8(p.value);
    case 'bytes':
      return p.value;
    case 'bool':
      return new Uint8Array([p.value ? 1 : 0]);
    case 'map':
      return encodePairs(p.value);
    default: {
      const out = new Uint8Array(8);
      const view = new DataView(out.buffer);
      if (p.type === 'uint64') view.setBigUint64(0, p.value, true);
      else view.setBigInt64(0, p.type === 'timestamp' ? p.unixNanos : p.value, true);
      return out;
    }
  }
}

/** A scalar property as a scenario gives it. */
export type PropertyScalar = string | number | boolean | bigint;

/** Envoy's serializeValue for scalars: strings raw, integers 8 bytes LE, other numbers as doubles, booleans 1 byte. */
export function encodeScalar(value: PropertyScalar): Uint8Array {
  if (typeof value === 'string') return utf8(value);
  if (typeof value === 'boolean') return new Uint8Array([value ? 1 : 0]);
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  if (typeof value === 'bigint') view.setBigInt64(0, value, true);
  else if (Number.isInteger(value)) view.setBigInt64(0, BigInt(value), true);
  else view.setFloat64(0, value, true);
  return out;
}
