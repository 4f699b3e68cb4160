/**
 * Doubles as Redis 7.0 prints them: C's `%.17g` (src/util.c d2string), used for sorted-set scores
 * in replies and for Lua numbers passed to redis.call.
 */

/** C's `%.17g`: `3`, `0.10000000000000001`, `1e+20`, `inf`, `-nan`. */
export function formatG17(n: number): string {
  return formatG(n, 17);
}

/** C's `%.<precision>g` for a double. */
export function formatG(n: number, precision: number): string {
  // JS cannot see a NaN's sign; 0/0, the usual source, is -nan on x86 (what redis-server prints).
  if (!Number.isFinite(n)) return Number.isNaN(n) ? '-nan' : n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const [mantissa, exp] = n.toExponential(precision - 1).split('e') as [string, string];
  const exponent = Number(exp);
  if (exponent < -4 || exponent >= precision) {
    const digits = mantissa.replace(/\.?0+$/, '');
    return `${digits}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  const fixed = n.toFixed(precision - 1 - exponent);
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** A decimal number as strtod reads it for Redis: sign, digits with an optional point, exponent. */
const DECIMAL = /^([+-]?)(\d*)\.?(\d*)(?:[eE]([+-]?\d+))?$/;
const INFINITY = /^[+-]?inf(inity)?$/i;

/** A double as Redis reads one (no spaces, nothing after it, not NaN; `inf` allowed), or null. */
export function parseDouble(text: string): number | null {
  if (INFINITY.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  const match = DECIMAL.exec(text);
  return match === null || (match[2] === '' && match[3] === '') ? null : Number(text);
}

/**
 * INCRBYFLOAT's arithmetic: Redis parses and adds in x87 long double (64-bit mantissa) and stores
 * `%.17Lf` with the trailing zeros cut, so `5.6 + 1000` is `1005.59999999999999998`. Doubles cannot
 * reproduce that; exact BigInt arithmetic rounded to 64 bits after every step does.
 */
export interface LongDouble {
  /** Signed mantissa with 64 significant bits (0n for zero). */
  m: bigint;
  /** Power of two: the value is m × 2^e. */
  e: number;
}

/** log2 of LDBL_MAX, about 1.19e4932; beyond it a long double is infinite. */
const LONG_DOUBLE_MAX_EXP = 16384;

function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const twice = (num - q * den) * 2n;
  return twice > den || (twice === den && q % 2n === 1n) ? q + 1n : q;
}

/** The long double nearest to num / den, or null when it would be infinite. */
function nearest(num: bigint, den: bigint): LongDouble | null {
  if (num === 0n) return { m: 0n, e: 0 };
  const negative = num < 0n;
  const n = negative ? -num : num;
  let e = n.toString(2).length - den.toString(2).length - 64;
  for (;;) {
    const m = e >= 0 ? roundHalfEven(n, den << BigInt(e)) : roundHalfEven(n << BigInt(-e), den);
    if (m >= 1n << 64n) e++;
    else if (m < 1n << 63n) e--;
    else return e + 64 > LONG_DOUBLE_MAX_EXP ? null : { m: negative ? -m : m, e };
  }
}

/**
 * A number as strtold reads it for Redis (no spaces, nothing after it, not out of range): the
 * long double, `'infinite'` for a literal `inf`, or null when Redis would not take the text.
 */
export function parseLongDouble(text: string): LongDouble | 'infinite' | null {
  if (INFINITY.test(text)) return 'infinite';
  const match = DECIMAL.exec(text);
  if (match === null || (match[2] === '' && match[3] === '')) return null;
  const fraction = match[3] ?? '';
  const exponent = Number(match[4] ?? 0) - fraction.length;
  const isZero = !/[1-9]/.test(match[2]! + fraction);
  if (isZero) return { m: 0n, e: 0 };
  const significant = `${match[2] ?? ''}${fraction}`.replace(/^0+/, '');
  // Overflow and underflow (beyond LDBL_MAX ≈ 1.19e4932, below the least subnormal ≈ 3.6e-4951)
  // set ERANGE, and Redis then refuses the number.
  const magnitude = significant.length - 1 + exponent;
  if (magnitude > 4932 || magnitude < -4951) return null;
  const digits = BigInt(significant) * (match[1] === '-' ? -1n : 1n);
  return nearest(exponent > 0 ? digits * 10n ** BigInt(exponent) : digits, exponent < 0 ? 10n ** BigInt(-exponent) : 1n);
}

/** a + b rounded to a long double, or null when the sum is infinite. */
export function addLongDouble(a: LongDouble, b: LongDouble): LongDouble | null {
  const e = Math.min(a.e, b.e);
  const sum = (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e));
  return e >= 0 ? nearest(sum << BigInt(e), 1n) : nearest(sum, 1n << BigInt(-e));
}

/** `%.17Lf` with the trailing zeros (and a bare point) cut: what INCRBYFLOAT stores. */
export function formatLongDouble(value: LongDouble): string {
  const negative = value.m < 0n;
  const m = negative ? -value.m : value.m;
  const scaled = value.e >= 0 ? (m << BigInt(value.e)) * 10n ** 17n : roundHalfEven(m * 10n ** 17n, 1n << BigInt(-value.e));
  const digits = scaled.toString().padStart(18, '0');
  const text = `${digits.slice(0, -17)}.${digits.slice(-17)}`.replace(/\.?0+$/, '');
  return negative && text !== '0' ? `-${text}` : text;
}
