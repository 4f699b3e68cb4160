/** Redis's name for a script: the SHA-1 of its body in lower-case hex (EVALSHA, SCRIPT LOAD). */
import { sha1 } from '@noble/hashes/legacy.js';
import { byteStringToBytes } from '../bytes.ts';

/**
 * Names of the scripts seen lately, by body: a plugin sends the same script with every EVAL, and
 * hashing it again each time cost more than the Redis commands it runs.
 */
const known = new Map<string, string>();
const MAX_KNOWN = 64;

/** `body` is a byte string (../bytes.ts). */
export function scriptSha(body: string): string {
  let hex = known.get(body);
  if (hex !== undefined) return hex;
  hex = '';
  for (const byte of sha1(byteStringToBytes(body))) hex += byte.toString(16).padStart(2, '0');
  if (known.size >= MAX_KNOWN) known.clear();
  known.set(body, hex);
  return hex;
}
