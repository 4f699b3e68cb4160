/**
 * Starlight puts the same link icon, as inline SVG, after every heading (about 440 bytes and two
 * elements each; 19 on the limiter guide). The icon is drawn once per page instead: a CSS mask made
 * from the page's own SVG, on the emptied icon spans, sized and placed as Starlight places the SVG.
 */
const ICON = /<span aria-hidden="true" class="sl-anchor-icon">(<svg\b[^>]*>[\s\S]*?<\/svg>)<\/span>/g;

/** The page with its heading-link icons as one CSS rule; unchanged when the icons are not all the same. */
export function compactHeadingAnchors(html: string): string {
  const icons = new Set([...html.matchAll(ICON)].map((m) => m[1]!));
  if (icons.size !== 1 || !html.includes('</head>')) return html;
  const [svg] = icons;
  const standalone = svg!.includes('xmlns=') ? svg! : svg!.replace('<svg', '<svg xmlns="http://www.w3.org/2000/svg"');
  const url = `data:image/svg+xml,${encodeURIComponent(standalone)}`;
  const rule =
    ".sl-anchor-icon:empty::before{content:'';display:inline-block;width:var(--sl-anchor-icon-size);height:var(--sl-anchor-icon-size);vertical-align:top;" +
    'transform:translateY(calc((var(--sl-line-height-headings) * 1em - var(--sl-anchor-icon-size)) / 2));' +
    `background:currentColor;-webkit-mask:url("${url}") center/contain no-repeat;mask:url("${url}") center/contain no-repeat}`;
  return html.replace(ICON, '<span aria-hidden="true" class="sl-anchor-icon"></span>').replace('</head>', `<style>${rule}</style></head>`);
}
