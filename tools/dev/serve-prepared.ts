/**
 * The dev server's answer for what tools/dev/background-builds.ts is still preparing: a request for
 * an example plugin (/wasm/<name>.wasm or its gzipped copy .wasm.gz) or for the dev toolchain
 * (/go-dev/…) waits until that build is done, then gets the file. So a Run clicked early just takes
 * longer, and the page never needs a reload.
 */
import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, relative, resolve, sep } from 'node:path';
import { DEV_GO_PATH } from '../../src/site/playground-assets.ts';

/** What the middleware waits on: BackgroundBuilds, read-only. */
export interface PreparedBuilds {
  plugin(name: string): Promise<void> | undefined;
  toolchain(): Promise<void>;
}

export interface ServeOptions {
  /** The site's base URL without its trailing slash. */
  base: string;
  /** public/wasm/ of the project. */
  wasmDir: string;
  /** The dev toolchain's `<go version>/` folder, served at DEV_GO_PATH. */
  toolchainDir: string;
  builds: PreparedBuilds;
}

const TYPES: Record<string, string> = { '.wasm': 'application/wasm', '.json': 'application/json', '.js': 'text/javascript', '.gz': 'application/gzip' };

/** A Connect middleware for Vite's dev server; see the module comment. Passes other requests on. */
export function servePrepared(options: ServeOptions) {
  const plugins = new RegExp(`^${escape(options.base)}/wasm/([^/]+?)(\\.wasm(?:\\.gz)?)$`);
  const toolchain = `${options.base}${DEV_GO_PATH}/`;
  return (req: IncomingMessage, res: ServerResponse, next: () => void): void => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = new URL(req.url ?? '/', 'http://dev').pathname;
    const plugin = plugins.exec(path);
    const ready = plugin ? options.builds.plugin(plugin[1]!) : path.startsWith(toolchain) ? options.builds.toolchain() : undefined;
    if (!ready) return next();
    const file = plugin ? join(options.wasmDir, `${plugin[1]}${plugin[2]}`) : inside(options.toolchainDir, path.slice(toolchain.length));
    ready.then(
      () => sendFile(req, res, file),
      (error: Error) => sendText(res, 503, `${error.message}\n`),
    );
  };
}

/** `path` under `dir`, or null when it climbs out of it. */
function inside(dir: string, path: string): string | null {
  const file = resolve(dir, path);
  return relative(dir, file).split(sep)[0] === '..' ? null : file;
}

function sendFile(req: IncomingMessage, res: ServerResponse, file: string | null): void {
  const size = file ? sizeOf(file) : null;
  if (file === null || size === null) return sendText(res, 404, 'not found\n');
  const type = Object.entries(TYPES).find(([ext]) => file.endsWith(ext))?.[1] ?? 'application/octet-stream';
  // no-cache: under dev a file's bytes change under the same name whenever its sources change.
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': size, 'Cache-Control': 'no-cache' });
  if (req.method === 'HEAD') res.end();
  else createReadStream(file).pipe(res);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache' });
  res.end(text);
}

function sizeOf(file: string): number | null {
  try {
    const stat = statSync(file);
    return stat.isFile() ? stat.size : null;
  } catch {
    return null;
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
