/**
 * A file's syntax colours as data rather than markup: where each coloured token starts, how long it
 * is, and which of a few colour pairs (dark theme, light theme) it has. The playground draws its
 * code as one text node and colours it with the CSS Custom Highlight API
 * (src/playground/views/highlighted-code.ts), so 300 lines of code add three elements to the page
 * instead of three thousand.
 */
import { codeToTokens } from 'shiki';
import { CODE_THEMES } from './code-themes.ts';

export interface CodeTokens {
  /** Colour pairs, e.g. { dark: '#C792EA', light: '#994CC3' }. */
  styles: Array<{ dark: string; light: string }>;
  /** Flat triples: start offset in the text (UTF-16 units), length, index into `styles`. */
  spans: number[];
  /** The themes' own text and background colours. */
  colors: { dark: string; light: string; darkBg: string; lightBg: string };
}

export async function tokenizeCode(code: string, lang: string): Promise<CodeTokens> {
  const result = await codeToTokens(code, { lang: lang as 'go', themes: CODE_THEMES, defaultColor: false });
  const vars = (css: string | undefined) => Object.fromEntries((css ?? '').split(';').map((d) => d.split(':').map((p) => p.trim()) as [string, string]));
  const fg = vars(result.fg);
  const bg = vars(result.bg);
  const colors = { dark: fg['--shiki-dark'] ?? '', light: fg['--shiki-light'] ?? '', darkBg: bg['--shiki-dark-bg'] ?? '', lightBg: bg['--shiki-light-bg'] ?? '' };
  const styles: CodeTokens['styles'] = [];
  const index = new Map<string, number>();
  const spans: number[] = [];
  for (const token of result.tokens.flat()) {
    const style = token.htmlStyle as Record<string, string> | undefined;
    const dark = style?.['--shiki-dark'];
    const light = style?.['--shiki-light'];
    if (!dark || !light || !token.content.trim()) continue;
    // Text in the themes' own foreground needs no highlight.
    if (dark.toLowerCase() === colors.dark.toLowerCase() && light.toLowerCase() === colors.light.toLowerCase()) continue;
    const key = `${dark}/${light}`;
    let n = index.get(key);
    if (n === undefined) index.set(key, (n = styles.push({ dark, light }) - 1));
    spans.push(token.offset, token.content.length, n);
  }
  return { styles, spans, colors };
}
