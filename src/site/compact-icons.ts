/**
 * Starlight draws its icons as inline SVG, the same paths again and again on a page (the search,
 * theme, language and GitHub icons twice, in the header and the mobile menu; the caret of every
 * sidebar group). Each repeated icon's drawing is kept once per page as a <symbol>, and each <svg>
 * keeps its element, classes and size but draws it with <use>, so every style that targets these
 * <svg> elements still applies.
 */
const ICON = /(<svg\b[^>]*\bviewBox="0 0 24 24"[^>]*\bfill="currentColor"[^>]*>)([\s\S]*?)(<\/svg>)/g;
const BODY = /<body\b[^>]*>/;

/** The page with each icon drawing that occurs more than once stored once; unchanged when none does. */
export function compactIcons(html: string): string {
  const counts = new Map<string, number>();
  for (const [, , drawing] of html.matchAll(ICON)) {
    if (drawing && !drawing.includes('<use ')) counts.set(drawing, (counts.get(drawing) ?? 0) + 1);
  }
  const shared = [...counts].filter(([, n]) => n > 1).map(([drawing]) => drawing);
  if (shared.length === 0 || !BODY.test(html)) return html;
  const ids = new Map(shared.map((drawing, i) => [drawing, `wl-icon-${i}`]));
  const symbols = shared.map((drawing) => `<symbol id="${ids.get(drawing)}" viewBox="0 0 24 24">${drawing}</symbol>`).join('');
  const sprite = `<svg aria-hidden="true" style="position:absolute;width:0;height:0;overflow:hidden">${symbols}</svg>`;
  return html
    .replace(ICON, (whole, open: string, drawing: string, close: string) => {
      const id = ids.get(drawing);
      return id === undefined ? whole : `${open}<use href="#${id}"/>${close}`;
    })
    .replace(BODY, (body) => `${body}${sprite}`);
}
