import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { MAX_SHARE_URL_LENGTH, readShareFragment, shareFragment, ShareLinkError, shareUrl, type SharedPlayground } from '../../../src/playground/share-link.ts';

const LIMITER = join(import.meta.dirname, '../../../examples/redis-limiter');
const limiter: SharedPlayground = {
  example: 'redis-limiter',
  config: readFileSync(join(LIMITER, 'config.json'), 'utf8'),
  scenario: readFileSync(join(LIMITER, 'scenario.yaml'), 'utf8'),
};
const PAGE = 'https://lab.example/en/playground/';

describe('share links', () => {
  test('restore exactly the files they were made from, in any script', () => {
    const state = fc.record(
      { example: fc.stringMatching(/^[a-z0-9-]{1,20}$/), config: fc.string({ unit: 'grapheme' }), scenario: fc.string({ unit: 'grapheme' }), code: fc.option(fc.string({ unit: 'grapheme' }), { nil: undefined }) },
      { requiredKeys: ['example', 'config', 'scenario'] },
    );
    fc.assert(
      fc.property(state, (s) => {
        const restored = readShareFragment(`#${shareFragment(s)}`);
        expect(restored).toEqual(Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined)));
      }),
    );
  });

  test('carry main.go only when the state has it', () => {
    expect(readShareFragment(shareFragment(limiter))).toEqual(limiter);
    expect(readShareFragment(shareFragment(limiter))).not.toHaveProperty('code');
    const code = '// 限流\npackage main\n';
    expect(readShareFragment(shareFragment({ ...limiter, code }))?.code).toBe(code);
  });

  test('replace any fragment of the page URL and stay short for an edited example', () => {
    const code = readFileSync(join(LIMITER, 'main.go'), 'utf8');
    const { url, isTooLong } = shareUrl(`${PAGE}#old`, { ...limiter, code });
    expect(url.startsWith(`${PAGE}#share=1.`)).toBe(true);
    expect(url).not.toContain('#old');
    expect(isTooLong).toBe(false);
    // The fragment uses only characters a URL carries as they are.
    expect(url.split('#')[1]).toMatch(/^share=1\.[A-Za-z0-9_-]+$/);
  });

  test('say when the link would be too long', () => {
    // Bytes deflate cannot shrink: a pseudo-random scenario.
    let seed = 1;
    const noise = Array.from({ length: 20_000 }, () => String.fromCharCode(33 + ((seed = (seed * 48271) % 2147483647) % 90))).join('');
    const { url, isTooLong } = shareUrl(PAGE, { ...limiter, scenario: `# ${noise}\n${limiter.scenario}` });
    expect(url.length).toBeGreaterThan(MAX_SHARE_URL_LENGTH);
    expect(isTooLong).toBe(true);
  });

  test('survive the line breaks a chat app puts into a pasted link', () => {
    const fragment = shareFragment(limiter);
    const wrapped = fragment.replace(/(.{60})/g, '$1\n');
    expect(readShareFragment(wrapped)).toEqual(limiter);
  });

  test('are told apart from fragments that are no share link', () => {
    expect(readShareFragment('')).toBeNull();
    expect(readShareFragment('#step-2')).toBeNull();
  });

  test('that are cut off, edited or from another version are refused', () => {
    const fragment = shareFragment(limiter);
    for (const broken of [fragment.slice(0, fragment.length / 2), `${fragment.slice(0, -8)}AAAAAAAA`, fragment.replace('share=1.', 'share=9.'), 'share=1', 'share=1.%%%']) {
      expect(() => readShareFragment(broken), broken.slice(0, 40)).toThrow(ShareLinkError);
    }
  });

  test('that hold something other than playground files are refused', async () => {
    const { deflateSync, strToU8 } = await import('fflate');
    const encode = (value: unknown) => `share=1.${Buffer.from(deflateSync(strToU8(JSON.stringify(value)))).toString('base64url')}`;
    expect(readShareFragment(encode({ e: 'hello-world', c: '{}', s: 'requests: []' }))).toEqual({ example: 'hello-world', config: '{}', scenario: 'requests: []' });
    for (const value of [null, [], { e: 'hello-world', c: '{}' }, { e: '../etc', c: '{}', s: '' }, { e: 'x', c: 1, s: '' }, { e: 'x', c: '', s: '', m: 2 }]) {
      expect(() => readShareFragment(encode(value)), JSON.stringify(value)).toThrow(ShareLinkError);
    }
  });
});
