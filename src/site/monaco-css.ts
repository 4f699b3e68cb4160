/**
 * Monaco's CSS arrives with Monaco, never with a page. Monaco's ESM modules import their own
 * stylesheets (`import './hover.css'`), and Astro links the CSS of every module a page's scripts can
 * reach, dynamic imports included, from the page's <head>: every page paid for the editor's CSS
 * before anyone opened an editor. This Vite plugin turns those imports into empty modules, and lets
 * src/playground/editor/monaco.ts import Monaco's one bundled stylesheet with `?url` instead (the
 * package's `exports` hide the file), to link when Monaco loads.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Plugin } from 'vite';

/** What monaco.ts imports, with `?url`: min/vs/editor/editor.main.css of the installed package. */
export const MONACO_STYLESHEET = 'monaco-editor/min/vs/editor/editor.main.css';

const ESM_CSS = /\/node_modules\/monaco-editor\/esm\/.+\.css$/;
const EMPTY = '\0monaco-esm-css';

export function monacoCssOnDemand(): Plugin {
  // The package's `require` entry is min/vs/index.js, beside the stylesheet's folder.
  const stylesheet = join(dirname(createRequire(import.meta.url).resolve('monaco-editor')), 'editor/editor.main.css');
  return {
    name: 'monaco-css-on-demand',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (source === `${MONACO_STYLESHEET}?url`) return `${stylesheet}?url`;
      if (!source.endsWith('.css') || !importer) return null;
      // Relative in a build, absolute from the dev server's pre-bundled copy of Monaco.
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved && ESM_CSS.test(resolved.id) ? EMPTY : null;
    },
    load: (id) => (id === EMPTY ? 'export {};' : null),
  };
}
