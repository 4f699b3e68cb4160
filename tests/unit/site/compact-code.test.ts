import { describe, expect, test } from 'vitest';
import { CODE_FOREGROUND, compactCodeHtml } from '../../../src/site/compact-code.ts';

const plain = `--0:${CODE_FOREGROUND.dark};--1:${CODE_FOREGROUND.light}`;
const keyword = '--0:#C792EA;--0fs:italic;--1:#8D46B4;--1fs:italic';
const string = '--0:#ECC48D;--1:#984E4D';
const line = (code: string) => `<div class="ec-line"><div class="code">${code}</div></div>`;
const page = (body: string) => `<html><head><title>t</title></head><body>${body}</body></html>`;
const block = (lines: string[]) =>
  `<div class="expressive-code"><figure class="frame"><pre><code>${lines.join('')}</code></pre><div class="copy"><button title="Copy" data-copied="Copied!" data-code="func init() {\u007f  x\u007f}"><div></div></button></div></figure></div>`;

describe('compactCodeHtml', () => {
  const html = page(
    block([
      line(`<span style="${keyword}">func</span><span style="${plain}"> init() {</span>`),
      line(`<span class="indent">  </span><span style="${string}">"x"</span><span style="${keyword}">return</span>`),
      line(`<span style="${plain}">}</span>`),
    ]),
  );
  const out = compactCodeHtml(html);

  test('keeps the text of every line, in order, one element a line', () => {
    const text = (h: string) => [...h.matchAll(/<div class="(?:ec-line )?code">(.*?)<\/div>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    expect(text(out)).toEqual(text(html));
    expect(out.match(/<div class="ec-line code">/g)).toHaveLength(3);
    expect(out).toMatch(/<style>[^<]*\.expressive-code \.ec-line\.code\{grid-area:code/);
  });

  test('leaves a line with a marker or a gutter as two elements', () => {
    const marked = page(block([`<div class="ec-line mark"><div class="code"><span style="${keyword}">x</span></div></div>`, `<div class="ec-line"><div class="gutter"><div class="ln">1</div></div><div class="code">y</div></div>`]));
    const result = compactCodeHtml(marked);
    expect(result).toContain('<div class="ec-line mark"><div class="code"><span class="_0">x</span></div></div>');
    expect(result).toContain('<div class="gutter"><div class="ln">1</div></div><div class="code">y</div>');
  });

  test('gives each distinct token style one class, declared once in the head', () => {
    expect(out).not.toContain('style="--0:');
    expect(out.match(/class="_0"/g)).toHaveLength(2);
    expect(out.match(/class="_1"/g)).toHaveLength(1);
    const style = /<style>(.*?)<\/style><\/head>/.exec(out)?.[1] ?? '';
    expect(style).toContain(`._0{${keyword}}`);
    expect(style).toContain(`._1{${string}}`);
    // Both themes: the light colours under data-theme=light.
    expect(style).toMatch(/:root\[data-theme='light'\] [^{]+\{color:var\(--1,inherit\)/);
  });

  test('drops spans in the code foreground colour and indentation wrappers, keeping their text', () => {
    expect(out).not.toContain(plain);
    expect(out).not.toContain('class="indent"');
    expect(out).toContain('</span> init() {</div>');
    expect(out).toContain('<div class="ec-line code">  <span class="_1">');
  });

  test('moves the copy button\'s copy of the code to a script that reads the block when clicked', () => {
    expect(out).not.toContain('data-code=');
    expect(out).toMatch(/<script>document\.addEventListener\('click'.*\.ec-line.*<\/script><\/body>/);
    expect(out).toContain('data-copied="Copied!"');
  });

  test('leaves a page without highlighted code as it is', () => {
    const other = page('<p style="--0:#fff">not code</p><pre>plain</pre>');
    expect(compactCodeHtml(other)).toBe(other);
  });
});
