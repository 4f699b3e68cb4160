/**
 * Drops the line breaks that wrap Chinese prose in the page sources. A browser shows a soft line
 * break as a space, which is right between English words and wrong between two Chinese characters
 * ("个请求， 超出"). A break between CJK and Latin text or digits stays a space ("用 Go 写").
 */
import type { MdastPluginDefinition } from 'satteri';

// Han, kana and bopomofo (written without spaces between words), CJK punctuation, full- and
// half-width forms. Not Hangul (Korean spaces its words), nor marks English shares such as "·",
// curly quotes or "…": hence Script, not Script_Extensions, which counts "·" as Han.
const CJK = /[\p{sc=Han}\p{sc=Bopomofo}\u3000-\u30FF\u31F0-\u31FF\uFE30-\uFE4F\uFF01-\uFF9F\uFFE0-\uFFE6]/u;
// Full-width punctuation brings its own spacing, so no space is added beside it even next to
// Latin text ("`{}`（在" rather than "`{}` （在").
const WIDE_PUNCTUATION = /[\u3000-\u303F\uFE30-\uFE4F\uFF01-\uFF0F\uFF1A-\uFF20\uFF3B-\uFF40\uFF5B-\uFF60\uFFE0-\uFFE6]/u;
const BREAK = /[ \t]*\r?\n[ \t]*/g;

/** Whether the characters on either side of a soft line break are joined with no space. */
export function joinsAcrossBreak(before: string, after: string): boolean {
  return (CJK.test(before) && CJK.test(after)) || WIDE_PUNCTUATION.test(before) || WIDE_PUNCTUATION.test(after);
}

/**
 * Removes each line break (with the spaces around it) that `joinsAcrossBreak` joins. `before` and
 * `after` are the text just outside `value` (the end and start of the neighbouring inline nodes),
 * for a break at its very start or end.
 */
export function joinCjkLines(value: string, before = '', after = ''): string {
  return value.replace(BREAK, (gap, offset: number) => {
    const end = offset + gap.length;
    const left = offset > 0 ? lastChar(value.slice(0, offset)) : lastChar(before);
    const right = end < value.length ? firstChar(value.slice(end)) : firstChar(after);
    return left && right && joinsAcrossBreak(left, right) ? '' : gap;
  });
}

/** Phrasing content as far as this plugin reads it. */
interface InlineNode {
  type: string;
  value?: string;
  children?: readonly InlineNode[];
}

// Only text, inline code and the containers of plain phrasing (emphasis, links…) count as
// neighbours; an MDX component or an image next to a break keeps its space.
const CONTAINERS = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference']);

function edgeText(node: InlineNode | undefined, edge: 'first' | 'last'): string {
  if (!node) return '';
  if (node.type === 'text' || node.type === 'inlineCode') return node.value ?? '';
  if (!CONTAINERS.has(node.type) || !node.children?.length) return '';
  return edgeText(edge === 'first' ? node.children[0] : node.children.at(-1), edge);
}

// Two UTF-16 units hold any one character (a Han ideograph outside the BMP is a surrogate pair).
const firstChar = (s: string) => Array.from(s.slice(0, 2))[0] ?? '';
const lastChar = (s: string) => Array.from(s.slice(-2)).at(-1) ?? '';

/** The Sätteri mdast plugin (Astro 7's Markdown and MDX processor) that applies `joinCjkLines`. */
export function cjkLineBreaks(): MdastPluginDefinition {
  return {
    name: 'cjk-line-breaks',
    text(node, ctx) {
      if (!node.value.includes('\n')) return;
      const siblings: readonly InlineNode[] = ctx.parent(node)?.children ?? [];
      const index = ctx.indexOf(node) ?? -1;
      const before = index > 0 ? edgeText(siblings[index - 1], 'last') : '';
      const after = index >= 0 ? edgeText(siblings[index + 1], 'first') : '';
      const value = joinCjkLines(node.value, before, after);
      if (value !== node.value) ctx.setProperty(node, 'value', value);
    },
  };
}
