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
  const count = readNumber(bytes, 0, 'invalid multibulk length');
  if (count.value > INT_MAX) throw malformed('invalid multibulk length', 0);
  const args: Uint8Array[] = [];
  let at = count.end;
  for (let i = 0n; i < count.value; i++) {
    if (at >= bytes.length) throw incomplete(at);
    if (bytes[at] !== DOLLAR) throw malformed(`expected '$', got '${String.fromCharCode(bytes[at] ?? 0)}'`, at);
    const size = readNumber(bytes, at, 'invalid bulk length');
    if (size.value < 0n || size.value > BigInt(MAX_BULK_BYTES)) throw malformed('invalid bulk length', at);
    const end = size.end + Number(size.value);
    if (end + 2 > bytes.length) throw incomplete(bytes.length);
    if (bytes[end] !== CR || bytes[end + 1] !== LF) throw malformed('bulk string is not followed by CRLF', end);
    args.push(bytes.slice(size.end, end));
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

/** Reads the number after a type byte, up to its CR LF, with Redis's string2ll rules. */
function readNumber(bytes: Uint8Array, pos: number, problem: string): { value: bigint; end: number } {
  const cr = bytes.indexOf(CR, pos + 1);
  if (cr === -1 || cr + 1 >= bytes.length) throw incomplete(bytes.length);
  const value = parseInt64(bytesToByteString(bytes.subarray(pos + 1, cr)));
  if (value === null || bytes[cr + 1] !== LF) throw malformed(problem, pos);
  return { value, end: cr + 2 };
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
