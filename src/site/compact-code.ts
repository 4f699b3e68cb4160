/**
 * Makes Expressive Code's highlighted blocks lighter in a page's HTML, without changing how they
 * look: every token carries its two theme colours inline (`style="--0:#C792EA;--1:#8844AE"`, about
 * 40 bytes a token, a few dozen distinct values a page), so each distinct style becomes a class
 * declared once in the page, and tokens in the code's own foreground colour lose their <span>
 * (the line already has that colour), and a plain line is one element instead of two. On the
 * limiter guide this takes the code from 152 KB and 3,000 elements to well under half of each.
 */

/** The code's foreground in the dark and light theme (code-themes.ts; tests/unit/site/code-tokens.test.ts checks them). */
export const CODE_FOREGROUND = { dark: '#D6DEEB', light: '#403F53' };

const TOKEN = /<span style="(--0:[^"<>]*)">([^<]*)<\/span>/g;
const STYLED = /<span style="(--0:[^"<>]*)">/g;
/**
 * A plain line (no marker, gutter or wrapping) is two elements, `.ec-line > .code`: it becomes one,
 * `.ec-line.code`, styled by LINE_RULES like Expressive Code styles the inner one.
 */
const PLAIN_LINE = /<div class="ec-line"><div class="code">((?:(?!<\/?div)[\s\S])*)<\/div><\/div>/g;
const LINE_RULES = [
  '.expressive-code .ec-line.code{grid-area:code;position:relative;box-sizing:content-box;padding-inline:calc(var(--ec-codePadInl) - var(--ec-gtrBrdWd)) var(--ec-codePadInl);border-inline-start:var(--ec-gtrBrdWd) solid transparent}',
  '.expressive-code :nth-child(1 of .ec-line).code{padding-inline-end:calc(2rem + var(--ec-codePadInl))}',
];
/** Leading whitespace wrapped for wrapped lines' indentation; the site does not wrap code. */
const INDENT = /<span class="indent">(\s*)<\/span>/g;
/** The copy button's own copy of the code; COPY_SCRIPT reads the code from the block instead. */
const COPY_DATA = /(<button\b[^>]*?) data-code="[^"]*"/g;
/**
 * Expressive Code's copy button reads the code from its data-code when clicked. Runs first (in the
 * capture phase) and fills data-code from the block's lines, as Expressive Code writes it (lines
 * joined by U+007F).
 */
const COPY_SCRIPT = `<script>document.addEventListener('click',function(e){var b=e.target instanceof Element&&e.target.closest('.expressive-code .copy button');if(!b||b.dataset.code!==undefined)return;var f=b.closest('figure');var l=f?f.querySelectorAll('pre > code > .ec-line'):[];b.dataset.code=Array.prototype.map.call(l,function(x){return x.textContent}).join('\\u007f')},true)</script>`;

/** The page with token styles moved into one <style> in its <head>; HTML without tokens comes back as is. */
export function compactCodeHtml(html: string, foreground = CODE_FOREGROUND): string {
  if (!html.includes('<span style="--0:')) return html;
  const plain = `--0:${foreground.dark};--1:${foreground.light}`.toLowerCase();
  let out = html
    .replace(TOKEN, (span, style: string, text: string) => (style.toLowerCase() === plain ? text : span))
    .replace(INDENT, '$1')
    .replace(PLAIN_LINE, '<div class="ec-line code">$1</div>');
  const hasLines = out.includes('<div class="ec-line code">');
  const withoutCopies = out.replace(COPY_DATA, '$1');
  if (withoutCopies !== out && out.includes('</body>')) out = withoutCopies.replace('</body>', `${COPY_SCRIPT}</body>`);
  const classes = new Map<string, string>();
  out = out.replace(STYLED, (_span, style: string) => {
    let name = classes.get(style);
    if (name === undefined) classes.set(style, (name = `_${classes.size.toString(36)}`));
    return `<span class="${name}">`;
  });
  if ((classes.size === 0 && !hasLines) || !out.includes('</head>')) return out;
  return out.replace('</head>', `<style>${stylesheet(classes)}</style></head>`);
}

/**
 * The rules Expressive Code applies to `span[style^='--']` (ec.css), for the classes instead: the
 * dark colours by default and under data-theme=dark, the light ones under data-theme=light (and
 * for a light system preference before the theme script has run).
 */
function stylesheet(classes: Map<string, string>): string {
  const token = '.expressive-code .ec-line span[class^="_"]';
  const use = (n: 0 | 1) =>
    `{color:var(--${n},inherit);font-style:var(--${n}fs,inherit);font-weight:var(--${n}fw,inherit);text-decoration:var(--${n}td,inherit);background-color:var(--${n}bg,transparent)}`;
  const rules = [...LINE_RULES, `${token}${use(0)}`, `:root[data-theme='light'] ${token}${use(1)}`];
  rules.push(`@media (prefers-color-scheme:light){:root:not([data-theme='dark']) ${token}${use(1)}}`);
  for (const [style, name] of classes) rules.push(`.${name}{${style}}`);
  return rules.join('');
}
