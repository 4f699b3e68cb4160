/**
 * Byte strings: Redis keys and values are bytes, not text, so the engine keeps them as JS strings
 * with one char per byte (0–255). That keeps Map keys, comparisons and glob matching byte-exact.
 */

const utf8Encoder = new TextEncoder();
// ignoreBOM keeps a leading EF BB BF as U+FEFF instead of silently dropping it.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const CHUNK = 0x2000;

/** Turns bytes into a byte string, one char per byte. */
export function bytesToByteString(bytes: Uint8Array): string {
  // TextDecoder('latin1') is really windows-1252 and remaps 0x80–0x9f, so build the string by hand.
  // apply, not spread: it reads the array directly instead of through an iterator (5–10× faster).
  if (bytes.length <= CHUNK) return String.fromCharCode.apply(null, bytes as unknown as number[]);
  let text = '';
  for (let i = 0; i < bytes.length; i += CHUNK) {
    text += String.fromCharCode.apply(null, bytes.subarray(i, i + CHUNK) as unknown as number[]);
  }
  return text;
}

/** Turns a byte string back into bytes; each char must be below 256. */
export function byteStringToBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Encodes text as UTF-8 and returns it as a byte string. */
export function textToByteString(text: string): string {
  return bytesToByteString(utf8Encoder.encode(text));
}

/** Decodes a byte string as UTF-8; invalid sequences become U+FFFD. */
export function byteStringToText(bytes: string): string {
  return utf8Decoder.decode(byteStringToBytes(bytes));
}

/** Lower-cases ASCII letters only, as C's strcasecmp does; other bytes stay as they are. */
export function asciiLower(text: string): string {
  // Command names and options mostly come lower-case already: then there is nothing to copy.
  let i = 0;
  while (i < text.length && !isAsciiUpper(text.charCodeAt(i))) i++;
  if (i === text.length) return text;
  return text.replace(/[A-Z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 32));
}

function isAsciiUpper(code: number): boolean {
  return code >= 0x41 && code <= 0x5a;
}

/** Cuts a byte string at its first NUL, as C's `%s` does when Redis formats an argument. */
export function cString(text: string): string {
  const nul = text.indexOf('\0');
  return nul === -1 ? text : text.slice(0, nul);
}

/** Joins byte arrays into one. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let size = 0;
  for (const part of parts) size += part.length;
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
