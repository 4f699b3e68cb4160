/** Serves the built site (dist/) on a free loopback port, as any plain static host would. */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain',
  '.xml': 'application/xml',
};

export interface StaticSite {
  url: string;
  close(): Promise<void>;
}

export interface StaticOptions {
  /** Label `x.wasm.br` as `Content-Encoding: br` of `x.wasm`, as Vite's dev server and some hosts do. */
  brotliEncoding?: boolean;
  /** Extra files by URL path (`/wasm/faulty-plugin.wasm` → a file on disk), so tests never write into dist/. */
  extraFiles?: Record<string, string>;
}

/** Starts serving `root`; throws a one-line hint when the site has not been built. */
export async function serveStatic(root = resolve(import.meta.dirname, '../../../dist'), options: StaticOptions = {}): Promise<StaticSite> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root} has no index.html; run \`npm run build\` first.`);
  }
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const extra = options.extraFiles?.[pathname];
    let file = extra ?? normalize(join(root, pathname));
    if (extra === undefined && !file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404, { 'content-type': 'text/html' });
      createReadStream(join(root, '404.html')).on('error', () => res.end()).pipe(res);
      return;
    }
    if (options.brotliEncoding && file.endsWith('.br')) {
      res.writeHead(200, { 'content-type': TYPES[extname(file.slice(0, -3))] ?? 'application/octet-stream', 'content-encoding': 'br' });
    } else {
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    }
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((ok) => server.close(() => ok())),
  };
}
