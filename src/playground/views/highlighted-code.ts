/**
 * Code drawn as one text node and coloured with the CSS Custom Highlight API: each colour pair is
 * a named highlight (shared by every block on the page) and each token a Range in it. Browsers
 * without the API show the same text uncoloured. Colours follow Starlight's theme switch.
 */
import type { CodeTokens } from '../../site/code-tokens.ts';
import { append, el } from './dom.ts';

let sheet: CSSStyleSheet | null = null;
const declared = new Set<string>();

/** Fills `container` with `text`, coloured by `tokens`, under a caption naming the file. */
export function renderHighlightedCode(container: HTMLElement, text: string, tokens: CodeTokens, caption: string): void {
  const code = el('code', '', text);
  const pre = append(el('pre', 'wl-code'), code);
  pre.tabIndex = 0;
  const { colors } = tokens;
  pre.style.cssText = `--wl-code-dark:${colors.dark};--wl-code-light:${colors.light};--wl-code-dark-bg:${colors.darkBg};--wl-code-light-bg:${colors.lightBg}`;
  container.replaceChildren(append(el('figure', 'wl-code-frame'), el('figcaption', '', caption), pre));
  const node = code.firstChild;
  if (!(node instanceof Text) || typeof CSS === 'undefined' || !('highlights' in CSS)) return;
  const names = tokens.styles.map((style) => declare(style));
  for (let i = 0; i + 2 < tokens.spans.length; i += 3) {
    const [start, length, style] = [tokens.spans[i]!, tokens.spans[i + 1]!, tokens.spans[i + 2]!];
    if (start + length > node.length) break;
    const range = new Range();
    range.setStart(node, start);
    range.setEnd(node, start + length);
    const name = names[style]!;
    let highlight = CSS.highlights.get(name);
    if (!highlight) CSS.highlights.set(name, (highlight = new Highlight()));
    highlight.add(range);
  }
}

/** The highlight's name for a colour pair, with its rules added to the page once. */
function declare(style: { dark: string; light: string }): string {
  const name = `wl-${style.dark.slice(1)}-${style.light.slice(1)}`.toLowerCase();
  if (declared.has(name)) return name;
  declared.add(name);
  if (!sheet) {
    sheet = new CSSStyleSheet();
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  }
  sheet.insertRule(`.wl-code ::highlight(${name}) { color: ${style.dark}; }`);
  sheet.insertRule(`:root[data-theme='light'] .wl-code ::highlight(${name}) { color: ${style.light}; }`);
  return name;
}
