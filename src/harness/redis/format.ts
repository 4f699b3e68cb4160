/**
 * Commands and replies as one line of text, for outcome tables and the Redis view. Replies read
 * like redis-cli's; arguments are quoted so that parseInlineCommand reads them back unchanged.
 */
import type { RespValue } from './resp.ts';

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Renders a reply on one line, the way redis-cli prints it: `OK`, `(error) ERR …`,
 * `(integer) 3`, `"value"`, `(nil)`, `(empty array)`. Array items are numbered and joined by
 * commas, `1) "a", 2) (nil)`, and a nested array sits in brackets.
 */
export function formatReply(reply: RespValue): string {
  switch (reply.type) {
    case 'simple':
      return reply.value;
    case 'error':
      return `(error) ${reply.value}`;
    case 'integer':
      return `(integer) ${reply.value}`;
    case 'bulk':
      return reply.value === null ? '(nil)' : quoteBytes(reply.value);
    case 'array':
      if (reply.value === null) return '(nil)';
      if (reply.value.length === 0) return '(empty array)';
      return reply.value
        .map((item, i) => `${i + 1}) ${item.type === 'array' && item.value !== null ? `[${formatReply(item)}]` : formatReply(item)}`)
        .join(', ');
  }
}

/**
 * Renders a command as one line, `set "a key" 1 ex 60`: arguments joined by spaces, and quoted
 * (with redis-cli's escapes) when empty or holding spaces, quotes, control characters or bytes
 * that are not UTF-8. parseInlineCommand turns the line back into the same arguments.
 */
export function formatCommand(args: ReadonlyArray<string | Uint8Array>): string {
  return args.map((arg) => formatArg(typeof arg === 'string' ? encoder.encode(arg) : arg)).join(' ');
}

function formatArg(bytes: Uint8Array): string {
  const text = decodeStrict(bytes);
  if (text !== null && text !== '' && !/[\s"'\p{Cc}]/u.test(text)) return text;
  return quoteBytes(bytes);
}

/**
 * Quotes bytes as redis-cli's `sdscatrepr` does, except that readable UTF-8 (Chinese keys, say)
 * stays readable instead of turning into `\xe4\xb8\xad`.
 */
function quoteBytes(bytes: Uint8Array): string {
  const text = decodeStrict(bytes);
  let out = '"';
  if (text === null) {
    for (const byte of bytes) out += escapeChar(byte < 0x80 ? String.fromCharCode(byte) : null, byte);
  } else {
    for (const ch of text) out += escapeChar(ch, 0);
  }
  return `${out}"`;
}

/** One character (or, for `ch` null, the raw `byte` of text that is not UTF-8) as redis-cli writes it. */
function escapeChar(ch: string | null, byte: number): string {
  switch (ch) {
    case '\\':
      return '\\\\';
    case '"':
      return '\\"';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
  }
  if (ch !== null && !/\p{Cc}/u.test(ch)) return ch;
  // Only control characters get here, so the UTF-8 encoding is made for them alone.
  return [...(ch === null ? [byte] : encoder.encode(ch))].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

function decodeStrict(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}
