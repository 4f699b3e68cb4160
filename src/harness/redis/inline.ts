/**
 * Inline commands, the one-line form redis-cli and telnet users type: `set "a key" "x\ny"`.
 * A port of Redis's `sdssplitargs` (src/sds.c), so quoting behaves exactly as on a real server.
 */
import { RespDecodeError } from './errors.ts';

const encoder = new TextEncoder();

/**
 * Splits one inline command line into arguments, honouring "double quotes" (with `\n`, `\r`,
 * `\t`, `\b`, `\a`, `\\`, `\"` and `\xHH` escapes) and 'single quotes' (with `\'`). Text is
 * encoded as UTF-8 first. Throws RespDecodeError (`resp-malformed`, detail
 * `unbalanced quotes in request`, Redis's words) for an open quote or a quote glued to more text.
 */
export function parseInlineCommand(line: string | Uint8Array): Uint8Array[] {
  const bytes = typeof line === 'string' ? encoder.encode(line) : line;
  // C strings end at NUL: reading past the end, or a NUL byte, stops the scan as it does in Redis.
  const at = (i: number): number => bytes[i] ?? 0;
  const args: Uint8Array[] = [];
  let p = 0;
  for (;;) {
    while (at(p) !== 0 && isSpace(at(p))) p++;
    if (at(p) === 0) return args;
    const current: number[] = [];
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = at(p);
      if (inDouble) {
        if (c === BACKSLASH && at(p + 1) === X && isHex(at(p + 2)) && isHex(at(p + 3))) {
          current.push(hexValue(at(p + 2)) * 16 + hexValue(at(p + 3)));
          p += 3;
        } else if (c === BACKSLASH && at(p + 1) !== 0) {
          p++;
          current.push(ESCAPES.get(at(p)) ?? at(p));
        } else if (c === DOUBLE_QUOTE) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) throw unbalanced(p);
          done = true;
        } else if (c === 0) {
          throw unbalanced(p);
        } else {
          current.push(c);
        }
      } else if (inSingle) {
        if (c === BACKSLASH && at(p + 1) === SINGLE_QUOTE) {
          p++;
          current.push(SINGLE_QUOTE);
        } else if (c === SINGLE_QUOTE) {
          if (at(p + 1) !== 0 && !isSpace(at(p + 1))) throw unbalanced(p);
          done = true;
        } else if (c === 0) {
          throw unbalanced(p);
        } else {
          current.push(c);
        }
      } else if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0) {
        done = true;
      } else if (c === DOUBLE_QUOTE) {
        inDouble = true;
      } else if (c === SINGLE_QUOTE) {
        inSingle = true;
      } else {
        current.push(c);
      }
      if (at(p) !== 0) p++;
    }
    args.push(Uint8Array.from(current));
  }
}

const BACKSLASH = 0x5c;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const X = 0x78;
/** `\n`, `\r`, `\t`, `\b`, `\a` inside double quotes; any other escaped byte stands for itself. */
const ESCAPES = new Map([
  [0x6e, 0x0a],
  [0x72, 0x0d],
  [0x74, 0x09],
  [0x62, 0x08],
  [0x61, 0x07],
]);

/** C's isspace in the "C" locale: space, \t, \n, \v, \f, \r. */
function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
}

function unbalanced(offset: number): RespDecodeError {
  return new RespDecodeError('resp-malformed', 'unbalanced quotes in request', offset);
}
