/**
 * Drops `dir="auto"` from inline code. Starlight marks every inline <code> with it so code reads
 * left to right on right-to-left pages; this site's languages (zh-CN, en) are both left to right,
 * where `auto` resolves to the page's own direction for any code the pages hold. On the limiter
 * guide that is 200 attributes, 2 KB of HTML.
 */
const INLINE_CODE_DIR = /<code dir="auto"/g;

export function compactInlineCode(html: string): string {
  return html.replace(INLINE_CODE_DIR, '<code');
}
