import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { servePrepared } from '../../../../tools/dev/serve-prepared.ts';

/** A wait the test settles by hand. */
function gate() {
  let open!: () => void;
  let fail!: (error: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  promise.catch(() => {});
  return { promise, open, fail };
}

const dir = mkdtempSync(join(tmpdir(), 'serve-prepared-'));
const wasmDir = join(dir, 'wasm');
const toolchainDir = join(dir, 'go-dev', 'go1.26.8');
const plugins = { 'hello-world': gate(), broken: gate() };
const toolchain = gate();
let server: Server;
let url = '';

beforeAll(async () => {
  mkdirSync(wasmDir, { recursive: true });
  mkdirSync(join(toolchainDir, 'pkg'), { recursive: true });
  writeFileSync(join(dir, 'go-dev', 'secret.txt'), 'outside the toolchain');
  const middleware = servePrepared({
    base: '/lab',
    wasmDir,
    toolchainDir,
    builds: { plugin: (name) => plugins[name as keyof typeof plugins]?.promise, toolchain: () => toolchain.promise },
  });
  server = createServer((req, res) => middleware(req, res, () => res.writeHead(418).end('passed on')));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lab`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

/** Resolves with 'waiting' when `promise` has not settled after `ms`. */
const stillWaitingAfter = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise, new Promise((resolve) => setTimeout(() => resolve('waiting'), ms))]);

describe('servePrepared', () => {
  test('holds a plugin request until its build is done, then sends the file as application/wasm', async () => {
    const response = fetch(`${url}/wasm/hello-world.wasm?v=pending`);
    expect(await stillWaitingAfter(response, 200)).toBe('waiting');
    writeFileSync(join(wasmDir, 'hello-world.wasm'), new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    writeFileSync(join(wasmDir, 'hello-world.wasm.gz'), 'gz');
    plugins['hello-world'].open();
    const served = await response;
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/wasm');
    expect(served.headers.get('cache-control')).toBe('no-cache');
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    // The gzipped copy is the bytes as written, not a Content-Encoding the browser would undo.
    const gz = await fetch(`${url}/wasm/hello-world.wasm.gz`);
    expect([gz.headers.get('content-type'), gz.headers.get('content-encoding'), await gz.text()]).toEqual(['application/gzip', null, 'gz']);
  });

  test('answers 503 with the build\'s sentence when that plugin failed to build', async () => {
    plugins.broken.fail(new Error('the example plugins could not be built: examples/broken failed to build'));
    const response = await fetch(`${url}/wasm/broken.wasm`);
    expect([response.status, await response.text()]).toEqual([503, 'the example plugins could not be built: examples/broken failed to build\n']);
  });

  test('holds a toolchain request until the toolchain is published, and keeps to its folder', async () => {
    const response = fetch(`${url}/go-dev/manifest.json`);
    expect(await stillWaitingAfter(response, 200)).toBe('waiting');
    writeFileSync(join(toolchainDir, 'manifest.json'), '{"goVersion":"go1.26.8"}');
    writeFileSync(join(toolchainDir, 'pkg', 'bundle-1.bin.br'), 'br');
    toolchain.open();
    const served = await response;
    expect([served.status, served.headers.get('content-type'), await served.text()]).toEqual([200, 'application/json', '{"goVersion":"go1.26.8"}']);
    expect((await fetch(`${url}/go-dev/pkg/bundle-1.bin.br`)).headers.get('content-type')).toBe('application/octet-stream');
    expect((await fetch(`${url}/go-dev/missing.br`)).status).toBe(404);
    expect((await fetch(`${url}/go-dev/..%2fsecret.txt`)).status).toBe(404);
  });

  test('passes on what it does not prepare: pages, unknown plugins, other methods, paths outside the base', async () => {
    const passed = async (path: string, init?: RequestInit) => (await fetch(`${url}${path}`, init)).status === 418;
    expect(await passed('/')).toBe(true);
    expect(await passed('/wasm/manifest.json')).toBe(true);
    expect(await passed('/wasm/not-an-example.wasm')).toBe(true);
    expect(await passed('/wasm/hello-world.wasm', { method: 'POST' })).toBe(true);
    expect((await fetch(url.replace('/lab', '/wasm/hello-world.wasm'))).status).toBe(418);
  });
});
