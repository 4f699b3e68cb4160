/**
 * Share links: a playground's files carried in the URL's fragment, which browsers never send to a
 * server, so a link needs no backend and tells nobody what is in it. The files are JSON, deflated
 * (fflate, already the site's zip writer) and base64url-encoded: `#share=1.<payload>`.
 * main.go travels only when the reader changed it; otherwise the link names the example and the
 * receiver runs its prebuilt plugin, so the link stays short and opens on a phone too.
 */
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';

/** What a link restores. */
export interface SharedPlayground {
  /** The example the files start from (an examples/<name> folder; `blank` for the blank plugin). */
  example: string;
  config: string;
  scenario: string;
  /** main.go, when it differs from the example's own. */
  code?: string;
}

/**
 * Links longer than this are refused with a file download instead: chat and mail apps cut or
 * reject long links, and a reader cannot tell a cut link from a broken one. An edited limiter
 * (main.go included) makes a link of about 5,000 characters.
 */
export const MAX_SHARE_URL_LENGTH = 16_384;

const KEY = 'share';
const VERSION = '1';

/** A fragment that is a share link but cannot be read (cut off, edited, or from a newer site); the message is for logs, the page words it in its language. */
export class ShareLinkError extends Error {}

/** The fragment (without `#`) that restores `state`. */
export function shareFragment(state: SharedPlayground): string {
  const json = JSON.stringify({ e: state.example, c: state.config, s: state.scenario, ...(state.code === undefined ? {} : { m: state.code }) });
  return `${KEY}=${VERSION}.${toBase64Url(deflateSync(strToU8(json), { level: 9 }))}`;
}

/** The page URL with `state` in its fragment, and whether it is too long to send as a link. */
export function shareUrl(pageUrl: string, state: SharedPlayground): { url: string; isTooLong: boolean } {
  const url = `${pageUrl.split('#')[0]}#${shareFragment(state)}`;
  return { url, isTooLong: url.length > MAX_SHARE_URL_LENGTH };
}

/**
 * The state in a location's fragment (`#share=…`, with or without the `#`); null when the fragment
 * holds no share link. Throws ShareLinkError when it does but cannot be read.
 */
export function readShareFragment(hash: string): SharedPlayground | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const value = params.get(KEY);
  if (value === null) return null;
  const dot = value.indexOf('.');
  if (dot < 0 || value.slice(0, dot) !== VERSION) throw new ShareLinkError(`unknown share link version "${value.slice(0, Math.max(dot, 0))}"`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(strFromU8(inflateSync(fromBase64Url(value.slice(dot + 1)))));
  } catch {
    throw new ShareLinkError('the link is incomplete or damaged');
  }
  const { e, c, s, m } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof e !== 'string' || !/^[a-z0-9-]+$/.test(e) || typeof c !== 'string' || typeof s !== 'string' || (m !== undefined && typeof m !== 'string')) {
    throw new ShareLinkError('the link does not hold playground files');
  }
  return { example: e, config: c, scenario: s, ...(m === undefined ? {} : { code: m }) };
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  // In slices: String.fromCharCode takes its bytes as arguments, and engines cap their number.
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  // URLSearchParams has undone %-escapes already; a link pasted from a chat may carry line breaks.
  const clean = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(clean + '='.repeat((4 - (clean.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
