/** Serves the built site (dist/) on a free loopback port, as any plain static host would. */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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
  /**
   * Compress text-like files (html, css, js, json, svg, wasm, ttf…) on the fly with this encoding when
   * the request's Accept-Encoding allows it, as a compressing host does; each file is compressed once
   * and kept in memory. Off by default: tests see the files byte for byte.
   */
  compress?: 'gzip' | 'br';
}

/** What a compressing host compresses: text and wasm, not already-compressed images, woff2 or `.br`. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.wasm', '.txt', '.xml', '.ttf']);

/** Compressed bodies by encoding, path and mtime, for one server. */
function compressedCache(encoding: 'gzip' | 'br') {
  const cache = new Map<string, Buffer>();
  return (file: string): Buffer => {
    const key = `${file}\0${statSync(file).mtimeMs}`;
    let body = cache.get(key);
    if (!body) {
      const raw = readFileSync(file);
      // Brotli at 5, roughly what hosts use on the fly; gzip at its default level 6.
      body = encoding === 'br' ? brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } }) : gzipSync(raw);
      cache.set(key, body);
    }
    return body;
  };
}

function acceptsEncoding(header: string | string[] | undefined, encoding: string): boolean {
  return String(header ?? '')
    .split(',')
    .some((part) => {
      const [name, ...params] = part.trim().split(';');
      return name?.trim().toLowerCase() === encoding && !params.some((p) => /^\s*q=0(\.0*)?\s*$/.test(p));
    });
}

/** Starts serving `root`; throws a one-line hint when the site has not been built. */
export async function serveStatic(root = resolve(import.meta.dirname, '../../../dist'), options: StaticOptions = {}): Promise<StaticSite> {
  if (!existsSync(join(root, 'index.html'))) {
    throw new Error(`${root} has no index.html; run \`npm run build\` first.`);
  }
  const encoding = options.compress;
  const compressed = encoding ? compressedCache(encoding) : null;
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
    } else if (encoding && compressed && COMPRESSIBLE.has(extname(file)) && acceptsEncoding(req.headers['accept-encoding'], encoding)) {
      const body = compressed(file);
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-encoding': encoding,
        'content-length': body.length,
        vary: 'Accept-Encoding',
      });
      res.end(body);
      return;
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
