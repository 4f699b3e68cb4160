/** Redis's name for a script: the SHA-1 of its body in lower-case hex (EVALSHA, SCRIPT LOAD). */
import { sha1 } from '@noble/hashes/legacy.js';
import { RecentValues } from '../../recent-values.ts';
import { byteStringToBytes } from '../bytes.ts';

/** `body` is a byte string (../bytes.ts). */
export function scriptSha(body: string): string {
  return names.get(body);
}

/** Names of the scripts seen lately: a plugin sends the same script with every EVAL, and hashing it again cost more than its commands. */
const names = new RecentValues<string, string>(64, (body) => {
  let hex = '';
  for (const byte of sha1(byteStringToBytes(body))) hex += byte.toString(16).padStart(2, '0');
  return hex;
});
