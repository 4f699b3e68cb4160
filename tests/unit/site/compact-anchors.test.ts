import { describe, expect, test } from 'vitest';
import { compactHeadingAnchors } from '../../../src/site/compact-anchors.ts';

const svg = '<svg width="16" height="16" viewBox="0 0 24 24" fill="currentColor"><path d="M1 1h22v22H1z"></path></svg>';
const heading = (id: string, icon = svg) =>
  `<div class="sl-heading-wrapper level-h2"><h2 id="${id}">${id}</h2><a class="sl-anchor-link" href="#${id}"><span aria-hidden="true" class="sl-anchor-icon">${icon}</span><span class="sr-only">Section titled “${id}”</span></a></div>`;
const page = (body: string) => `<html><head></head><body>${body}</body></html>`;

describe('compactHeadingAnchors', () => {
  test('draws the one icon with a CSS mask made from it, keeping the links and their labels', () => {
    const out = compactHeadingAnchors(page(heading('a') + heading('b')));
    expect(out).not.toContain('<svg');
    expect(out.match(/<span aria-hidden="true" class="sl-anchor-icon"><\/span>/g)).toHaveLength(2);
    expect(out).toContain('href="#b"');
    expect(out).toContain('Section titled “a”');
    const css = /<style>(.*)<\/style><\/head>/.exec(out)?.[1] ?? '';
    expect(css).toContain('.sl-anchor-icon:empty::before');
    expect(decodeURIComponent(css)).toContain('<path d="M1 1h22v22H1z">');
    expect(decodeURIComponent(css)).toContain('xmlns="http://www.w3.org/2000/svg"');
  });

  test('leaves a page alone when its icons differ, or when it has none', () => {
    const mixed = page(heading('a') + heading('b', svg.replace('M1 1', 'M2 2')));
    expect(compactHeadingAnchors(mixed)).toBe(mixed);
    const none = page('<h2>x</h2>');
    expect(compactHeadingAnchors(none)).toBe(none);
  });
});
