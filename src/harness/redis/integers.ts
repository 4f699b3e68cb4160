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
  const length = text.length;
  if (length === 0 || length >= 21) return null;
  // The rules of /^(?:0|-?[1-9][0-9]*)$/, checked by hand (this runs several times per command).
  const sign = text.charCodeAt(0) === 0x2d /* '-' */ ? 1 : 0;
  if (sign === length) return null;
  if (text.charCodeAt(sign) === 0x30 /* '0' */) return length === 1 ? 0n : null;
  let small = 0;
  for (let i = sign; i < length; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return null;
    small = small * 10 + digit;
  }
  // Up to 15 digits the sum above is exact; longer ones are parsed as bigint and range-checked.
  if (length - sign <= 15) return BigInt(sign ? -small : small);
  const value = BigInt(text);
  return value < INT64_MIN || value > INT64_MAX ? null : value;
}

/** Adds as Redis's INCRBY does, or returns null where the C sum would overflow. */
export function addInt64(a: bigint, b: bigint): bigint | null {
  const sum = a + b;
  return sum < INT64_MIN || sum > INT64_MAX ? null : sum;
}
