/**
 * Commands on the wire: the query of proxy_redis_call is one RESP array of bulk strings
 * (reference/host-abi.md §6.4). Reading follows Redis's request parser (src/networking.c), so a
 * bad query earns the same `Protocol error: …` words a real server would send.
 */
import { bytesToByteString } from './bytes.ts';
import { RespDecodeError } from './errors.ts';
import { parseInlineCommand } from './inline.ts';
import { parseInt64 } from './integers.ts';
import { encodeResp } from './resp.ts';

const encoder = new TextEncoder();
const STAR = 0x2a;
const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;
/** Redis's default proto-max-bulk-len. */
const MAX_BULK_BYTES = 512 * 1024 * 1024;
const INT_MAX = 2 ** 31 - 1;

/**
 * Encodes a command as RESP, an array of bulk strings. Text arguments are sent as UTF-8.
 *
 *   ['incr', 'k']  →  *2\r\n $4\r\n incr\r\n $1\r\n k\r\n
 */
export function encodeCommand(args: ReadonlyArray<string | Uint8Array>): Uint8Array {
  return encodeResp({
    type: 'array',
    value: args.map((a) => ({ type: 'bulk', value: typeof a === 'string' ? encoder.encode(a) : a })),
  });
}

/**
 * Reads one complete query into its arguments: a RESP array of bulk strings or, when the first
 * byte is not `*`, an inline command line. An empty array or blank line gives no arguments, which
 * Redis would silently skip. Throws RespDecodeError: `resp-incomplete` when the query stops short,
 * `resp-malformed` (with Redis's `detail`, e.g. `invalid bulk length`) for bad bytes or bytes
 * after the command.
 */
export function decodeCommand(bytes: Uint8Array): Uint8Array[] {
  if (bytes[0] !== STAR) return decodeInline(bytes);
  let at = readNumber(bytes, 0, 'invalid multibulk length');
  const count = numberRead;
  if (count > INT_MAX) throw malformed('invalid multibulk length', 0);
  const args: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (at >= bytes.length) throw incomplete(at);
    if (bytes[at] !== DOLLAR) throw malformed(`expected '$', got '${String.fromCharCode(bytes[at] ?? 0)}'`, at);
    const sizeEnd = readNumber(bytes, at, 'invalid bulk length');
    const size = numberRead;
    if (size < 0 || size > MAX_BULK_BYTES) throw malformed('invalid bulk length', at);
    const end = sizeEnd + size;
    if (end + 2 > bytes.length) throw incomplete(bytes.length);
    if (bytes[end] !== CR || bytes[end + 1] !== LF) throw malformed('bulk string is not followed by CRLF', end);
    args.push(bytes.slice(sizeEnd, end));
    at = end + 2;
  }
  if (at !== bytes.length) throw trailing(at);
  return args;
}

function decodeInline(bytes: Uint8Array): Uint8Array[] {
  const newline = bytes.indexOf(LF);
  const lineEnd = newline === -1 ? bytes.length : newline;
  if (newline !== -1 && newline + 1 !== bytes.length) throw trailing(newline + 1);
  // Redis drops one CR before the LF and splits the rest.
  const line = bytes[lineEnd - 1] === CR ? bytes.subarray(0, lineEnd - 1) : bytes.subarray(0, lineEnd);
  return parseInlineCommand(line);
}

/** The value readNumber read last (a module variable rather than an object per number). */
let numberRead = 0;

/**
 * Reads the number after a type byte, up to its CR LF, with Redis's string2ll rules; returns
 * where the line ends and leaves the number in numberRead. Callers only compare it with limits
 * far below 2^53, so a number that large may be inexact without changing any outcome.
 */
function readNumber(bytes: Uint8Array, pos: number, problem: string): number {
  const cr = bytes.indexOf(CR, pos + 1);
  if (cr === -1 || cr + 1 >= bytes.length) throw incomplete(bytes.length);
  const value = readDigits(bytes, pos + 1, cr) ?? parseInt64(bytesToByteString(bytes.subarray(pos + 1, cr)));
  if (value === null || bytes[cr + 1] !== LF) throw malformed(problem, pos);
  numberRead = Number(value);
  return cr + 2;
}

/** bytes[start, end) as a number when they are 1 to 9 digits without a leading zero (or one 0), else null (parseInt64 decides). */
function readDigits(bytes: Uint8Array, start: number, end: number): number | null {
  const length = end - start;
  if (length < 1 || length > 9 || (bytes[start] === 0x30 && length > 1)) return null;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]! - 0x30;
    if (digit < 0 || digit > 9) return null;
    value = value * 10 + digit;
  }
  return value;
}

function malformed(detail: string, offset: number): RespDecodeError {
  return new RespDecodeError('resp-malformed', detail, offset);
}

function incomplete(offset: number): RespDecodeError {
  return new RespDecodeError('resp-incomplete', 'the command stops before its last argument ends', offset);
}

function trailing(offset: number): RespDecodeError {
  return malformed('unexpected bytes after the command', offset);
}
