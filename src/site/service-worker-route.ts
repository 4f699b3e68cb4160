/**
 * `<base>/sw.js`: the site's service worker (src/playground/offline/site-sw.ts), bundled with
 * esbuild into one classic script. Served from the site's root because a service worker's scope
 * can be no wider than its script's folder, and it must control the harness worker under
 * `/_astro/` (site-sw.ts says why); Vite would put a bundled worker under `/_astro/` itself.
 * Each site build gets a new build id in the script, so browsers install the new worker, which
 * drops the previous build's caches. Under `astro dev` the script is a stand-in that removes
 * itself (nothing registers it there, but a built site on the same origin may have).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { APIRoute } from 'astro';
import { build } from 'esbuild';

/** When this build started (the module is loaded once per `astro build`), in base 36. */
const BUILD_TIME = Date.now().toString(36);

function buildId(root: string): string {
  if (import.meta.env.DEV) return 'dev';
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return `${version}-${BUILD_TIME}`;
}

let script: Promise<string> | null = null;

async function bundle(): Promise<string> {
  const root = process.cwd();
  const result = await build({
    entryPoints: [join(root, 'src/playground/offline/site-sw.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    legalComments: 'none',
    define: { __BUILD_ID__: JSON.stringify(buildId(root)) },
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no service worker');
  return output.text;
}

export const GET: APIRoute = async () => {
  script ??= bundle();
  return new Response(await script, { headers: { 'content-type': 'text/javascript; charset=utf-8' } });
};
