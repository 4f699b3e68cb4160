/**
 * Redis integers: signed 64-bit, parsed as strictly as Redis's `string2ll` (src/util.c) and
 * added with its overflow check, using bigint so no digit is lost above 2^53.
 */

/** Smallest signed 64-bit integer, C's LLONG_MIN. */
export const INT64_MIN = -(2n ** 63n);
/** Largest signed 64-bit integer, C's LLONG_MAX. */
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * Parses a byte string the way `string2ll` does, or returns null: no sign but `-`, no spaces,
 * no leading zeros (so `012` and `-0` are rejected), and within 64 bits.
 */
export function parseInt64(text: string): bigint | null {
  if (text.length === 0 || text.length >= 21 || !/^(?:0|-?[1-9][0-9]*)$/.test(text)) return null;
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** Adds as Redis's INCRBY does, or returns null where the C sum would overflow. */
export function addInt64(a: bigint, b: bigint): bigint | null {
  const sum = a + b;
  return sum < INT64_MIN || sum > INT64_MAX ? null : sum;
}
