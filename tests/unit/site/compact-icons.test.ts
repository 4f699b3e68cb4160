import { describe, expect, test } from 'vitest';
import { compactIcons } from '../../../src/site/compact-icons.ts';

const icon = (path: string, cls = 'a') => `<svg aria-hidden="true" class="${cls}" width="16" height="16" viewBox="0 0 24 24" fill="currentColor" style="--sl-icon-size: 1em;"><path d="${path}"/></svg>`;

describe('compactIcons', () => {
  test('stores a repeated icon once as a symbol, and each svg keeps its attributes but uses it', () => {
    const html = `<html><head></head><body class="x">${icon('M1 1', 'a')}<p>t</p>${icon('M1 1', 'b')}${icon('M2 2')}</body></html>`;
    const out = compactIcons(html);
    expect(out).toContain('<body class="x"><svg aria-hidden="true" style="position:absolute;width:0;height:0;overflow:hidden"><symbol id="wl-icon-0" viewBox="0 0 24 24"><path d="M1 1"/></symbol></svg>');
    expect(out).toContain(`<svg aria-hidden="true" class="a" width="16" height="16" viewBox="0 0 24 24" fill="currentColor" style="--sl-icon-size: 1em;"><use href="#wl-icon-0"/></svg><p>t</p>`);
    expect(out).toContain('class="b" width="16" height="16" viewBox="0 0 24 24" fill="currentColor" style="--sl-icon-size: 1em;"><use href="#wl-icon-0"/></svg>');
    // An icon that occurs once stays as it was: a symbol would save nothing.
    expect(out).toContain(icon('M2 2'));
  });

  test('leaves a page without repeated icons, or without a body, unchanged', () => {
    const once = `<body>${icon('M1 1')}</body>`;
    expect(compactIcons(once)).toBe(once);
    const fragment = `${icon('M1 1')}${icon('M1 1')}`;
    expect(compactIcons(fragment)).toBe(fragment);
  });
});
