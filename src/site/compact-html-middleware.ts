/** Makes every HTML page Astro renders lighter without changing how it looks (dev and build alike). */
import { defineMiddleware } from 'astro:middleware';
import { compactHeadingAnchors } from './compact-anchors.ts';
import { compactCodeHtml } from './compact-code.ts';
import { compactIcons } from './compact-icons.ts';
import { compactInlineCode } from './compact-inline-code.ts';

export const onRequest = defineMiddleware(async (_context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.includes('text/html')) return response;
  // Heading anchors first: their icons become one CSS rule, so none is left for compactIcons.
  const html = compactInlineCode(compactIcons(compactHeadingAnchors(compactCodeHtml(await response.text()))));
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
});
