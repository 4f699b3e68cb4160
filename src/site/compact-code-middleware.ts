/** Runs compactCodeHtml over every HTML page Astro renders (dev and build alike). */
import { defineMiddleware } from 'astro:middleware';
import { compactCodeHtml } from './compact-code.ts';

export const onRequest = defineMiddleware(async (_context, next) => {
  const response = await next();
  if (!response.headers.get('content-type')?.includes('text/html')) return response;
  const html = compactCodeHtml(await response.text());
  return new Response(html, { status: response.status, statusText: response.statusText, headers: response.headers });
});
