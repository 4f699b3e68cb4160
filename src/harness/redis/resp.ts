/**
 * RESP2, the Redis wire format: what proxy_redis_call sends as its query and what the gateway
 * hands back in buffer 9 (reference/host-abi.md §6.4). Pure codec, no I/O.
 *
 * Every value starts with one type byte, and every line ends in CR LF:
 *
 *   +OK\r\n                          simple string
 *   -ERR syntax error\r\n            error
 *   :42\r\n                          integer (signed 64-bit)
 *   $3\r\nabc\r\n                    bulk string: byte length, bytes, CR LF
 *   $-1\r\n                          null bulk string
 *   *2\r\n$3\r\nget\r\n$1\r\nk\r\n   array: element count, then each element
 *   *-1\r\n                          null array
 */
import { concatBytes } from './bytes.ts';
import { RespDecodeError, RespEncodeError } from './errors.ts';

/**
 * One RESP2 value. Integers are plain numbers while they are safe integers, and bigints beyond
 * that, so that every signed 64-bit reply (INCR near 2^63) keeps its exact digits.
 */
export type RespValue =
  | { type: 'simple'; value: string }
  | { type: 'error'; value: string }
  | { type: 'integer'; value: number | bigint }
  | { type: 'bulk'; value: Uint8Array | null }
  | { type: 'array'; value: RespValue[] | null };

/** Result of decoding one value: the value and how many bytes it took. */
export interface RespDecoded {
  value: RespValue;
  bytesRead: number;
}

const CR = 0x0d;
const LF = 0x0a;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
/** Redis's default proto-max-bulk-len. */
const MAX_BULK_BYTES = 512 * 1024 * 1024;
/** Longest length or integer line: a sign and 19 digits, with room to spare. */
const MAX_NUMBER_LINE = 24;
/** Nesting limit, so hostile input cannot overflow the stack. */
const MAX_DEPTH = 512;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const CRLF = new Uint8Array([CR, LF]);

/** Encodes one value; throws RespEncodeError for a line break in a simple string or error, or an integer outside 64 bits. */
export function encodeResp(value: RespValue): Uint8Array {
  const parts: Uint8Array[] = [];
  writeValue(value, parts);
  return concatBytes(parts);
}

function writeValue(v: RespValue, parts: Uint8Array[]): void {
  switch (v.type) {
    case 'simple':
    case 'error':
      if (/[\r\n]/.test(v.value)) {
        throw new RespEncodeError(`a RESP ${v.type} cannot contain CR or LF (${JSON.stringify(v.value)}); send it as a bulk string.`);
      }
      parts.push(line(v.type === 'simple' ? '+' : '-', v.value));
      return;
    case 'integer': {
      const n = v.value;
      if (typeof n === 'number' ? !Number.isSafeInteger(n) : n < INT64_MIN || n > INT64_MAX) {
        throw new RespEncodeError(`RESP integers are signed 64-bit, so ${String(n)} cannot be sent; send it as a bulk string.`);
      }
      parts.push(line(':', String(n)));
      return;
    }
    case 'bulk':
      if (v.value === null) {
        parts.push(line('$', '-1'));
      } else {
        parts.push(line('$', String(v.value.length)), v.value, CRLF);
      }
      return;
    case 'array':
      if (v.value === null) {
        parts.push(line('*', '-1'));
        return;
      }
      parts.push(line('*', String(v.value.length)));
      for (const item of v.value) writeValue(item, parts);
  }
}

function line(typeByte: string, text: string): Uint8Array {
  // Lengths, integers and most simple strings are short ASCII: copied by hand, without TextEncoder.
  const length = text.length;
  if (length <= 64) {
    const out = new Uint8Array(length + 3);
    out[0] = typeByte.charCodeAt(0);
    for (let i = 0; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code > 0x7f) return encoder.encode(`${typeByte}${text}\r\n`);
      out[i + 1] = code;
    }
    out[length + 1] = CR;
    out[length + 2] = LF;
    return out;
  }
  return encoder.encode(`${typeByte}${text}\r\n`);
}

/**
 * Decodes the value that starts at `offset`. Throws RespDecodeError: kind `resp-incomplete` when
 * the bytes end before the value does (read more and try again), `resp-malformed` otherwise.
 */
export function decodeResp(bytes: Uint8Array, offset = 0): RespDecoded {
  const parsed = parseValue(bytes, offset, 0);
  if (parsed === INCOMPLETE) {
    throw new RespDecodeError('resp-incomplete', `the value starting here needs more than the ${bytes.length - offset} bytes given`, offset);
  }
  return { value: parsed.value, bytesRead: parsed.end - offset };
}

/**
 * Measures the value that starts at `offset`: its byte length, or null while it is incomplete.
 * For stream readers that frame replies; throws RespDecodeError (`resp-malformed`) on bad bytes.
 */
export function frameResp(bytes: Uint8Array, offset = 0): number | null {
  const parsed = parseValue(bytes, offset, 0);
  return parsed === INCOMPLETE ? null : parsed.end - offset;
}

/** Marks input that ends before the value does. */
const INCOMPLETE = Symbol('incomplete');
type Parsed = { value: RespValue; end: number } | typeof INCOMPLETE;

/** Parses one value at `pos`, or says it is incomplete. */
function parseValue(bytes: Uint8Array, pos: number, depth: number): Parsed {
  if (pos >= bytes.length) return INCOMPLETE;
  const typeByte = bytes[pos] ?? 0;
  const typeChar = String.fromCharCode(typeByte);
  switch (typeChar) {
    case '+':
    case '-': {
      const lineEnd = findLineEnd(bytes, pos + 1, Infinity);
      if (lineEnd === INCOMPLETE) return INCOMPLETE;
      const text = decoder.decode(bytes.subarray(pos + 1, lineEnd));
      return { value: { type: typeChar === '+' ? 'simple' : 'error', value: text }, end: lineEnd + 2 };
    }
    case ':': {
      const n = readNumberLine(bytes, pos, 'invalid integer');
      if (n === INCOMPLETE) return INCOMPLETE;
      return { value: { type: 'integer', value: toRespInteger(n.value) }, end: n.end };
    }
    case '$': {
      const n = readNumberLine(bytes, pos, 'invalid bulk length');
      if (n === INCOMPLETE) return INCOMPLETE;
      if (n.value === -1n) return { value: { type: 'bulk', value: null }, end: n.end };
      if (n.value < 0n || n.value > BigInt(MAX_BULK_BYTES)) throw malformed('invalid bulk length', pos);
      const size = Number(n.value);
      if (n.end + size + 2 > bytes.length) return INCOMPLETE;
      if (bytes[n.end + size] !== CR || bytes[n.end + size + 1] !== LF) {
        throw malformed(`bulk string of ${size} bytes is not followed by CRLF`, n.end + size);
      }
      return { value: { type: 'bulk', value: bytes.slice(n.end, n.end + size) }, end: n.end + size + 2 };
    }
    case '*': {
      if (depth >= MAX_DEPTH) throw malformed(`arrays nest deeper than ${MAX_DEPTH} levels`, pos);
      const n = readNumberLine(bytes, pos, 'invalid multibulk length');
      if (n === INCOMPLETE) return INCOMPLETE;
      if (n.value === -1n) return { value: { type: 'array', value: null }, end: n.end };
      if (n.value < 0n || n.value > INT64_MAX) throw malformed('invalid multibulk length', pos);
      const items: RespValue[] = [];
      let at = n.end;
      for (let i = 0n; i < n.value; i++) {
        const item = parseValue(bytes, at, depth + 1);
        if (item === INCOMPLETE) return INCOMPLETE;
        items.push(item.value);
        at = item.end;
      }
      return { value: { type: 'array', value: items }, end: at };
    }
    default:
      throw malformed(`unknown type byte ${describeByte(typeByte)}`, pos);
  }
}

/** Finds the CR of the CR LF that ends the line starting at `from`. */
function findLineEnd(bytes: Uint8Array, from: number, maxLength: number): number | typeof INCOMPLETE {
  const limit = Math.min(bytes.length, from + maxLength);
  for (let i = from; i < limit; i++) {
    const b = bytes[i];
    if (b === LF) throw malformed('line ends in LF without CR', i);
    if (b === CR) {
      if (i + 1 >= bytes.length) return INCOMPLETE;
      if (bytes[i + 1] !== LF) throw malformed('CR is not followed by LF', i);
      return i;
    }
  }
  if (limit < bytes.length) throw malformed('number line is too long', from);
  return INCOMPLETE;
}

function readNumberLine(bytes: Uint8Array, pos: number, problem: string): { value: bigint; end: number } | typeof INCOMPLETE {
  const lineEnd = findLineEnd(bytes, pos + 1, MAX_NUMBER_LINE);
  if (lineEnd === INCOMPLETE) return INCOMPLETE;
  const text = decoder.decode(bytes.subarray(pos + 1, lineEnd));
  if (!/^-?\d+$/.test(text)) throw malformed(problem, pos);
  const value = BigInt(text);
  if (value < INT64_MIN || value > INT64_MAX) throw malformed(problem, pos);
  return { value, end: lineEnd + 2 };
}

/** Normalises an integer: a number while it is safe, a bigint beyond. */
export function toRespInteger(n: bigint): number | bigint {
  const small = Number(n);
  return Number.isSafeInteger(small) ? small : n;
}

function malformed(detail: string, offset: number): RespDecodeError {
  return new RespDecodeError('resp-malformed', detail, offset);
}

/** Names a byte for a message: the character when printable, else its hex code. */
function describeByte(byte: number): string {
  return byte >= 0x20 && byte < 0x7f ? `'${String.fromCharCode(byte)}'` : `0x${byte.toString(16).padStart(2, '0')}`;
}
