/**
 * `npm run dev` on a fresh clone serves pages before any plugin is built, holds a plugin request
 * until that plugin's build ends, and prepares the in-browser toolchain without touching what
 * `npm run build` ships. Every `go build` is held until the second test releases it
 * (tests/helpers/dev-server.ts), so a dev script that builds before it serves fails the setup.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startHeldDevServer, type HeldDevServer } from '../helpers/dev-server.ts';
import { hasGo } from '../helpers/plugins.ts';

const NO_GO = hasGo() ? '' : ' (skipped: Go ≥ 1.24 is not on PATH)';

/** Resolves with 'waiting' when `promise` has not settled after `ms`. */
const stillWaitingAfter = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'waiting'>((resolve) => setTimeout(() => resolve('waiting'), ms))]);

describe.skipIf(NO_GO)(`npm run dev on a fresh clone${NO_GO}`, () => {
  let dev: HeldDevServer;
  beforeAll(async () => {
    dev = await startHeldDevServer();
  });
  afterAll(() => dev?.close());

  test('serves the home page and a playground page while every plugin build is held', async () => {
    expect((await fetch(`${dev.url}/`)).status).toBe(200);
    const guide = await fetch(`${dev.url}/guide/redis-limiter/`);
    expect(guide.status).toBe(200);
    const html = await guide.text();
    expect(html).toMatch(/data-playground="redis-limiter"[^>]*data-wasm-url="[^"]*\/wasm\/redis-limiter\.wasm[^"]*\?v=pending"/s);
    expect(html).toMatch(/data-go-url="\/go-dev"/);
    expect(existsSync(join(dev.project, 'public/wasm/manifest.json'))).toBe(false);
  });

  test('holds a plugin request until that plugin is built, then serves the module', async () => {
    const response = fetch(`${dev.url}/wasm/hello-world.wasm`);
    expect(await stillWaitingAfter(response, 2_000)).toBe('waiting');
    dev.release();
    const served = await response;
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('application/wasm');
    expect([...new Uint8Array(await served.arrayBuffer()).subarray(0, 4)]).toEqual([0x00, 0x61, 0x73, 0x6d]);
  }, 180_000);

  test('publishes the dev toolchain at /go-dev/ and leaves public/go/ to npm run build', async () => {
    dev.release();
    const manifest = await fetch(`${dev.url}/go-dev/manifest.json`);
    expect(manifest.status).toBe(200);
    const published = (await manifest.json()) as { goVersion: string; compile: { file: string } };
    const compile = await fetch(`${dev.url}/go-dev/${published.compile.file}`);
    expect(compile.status).toBe(200);
    expect(Number(compile.headers.get('content-length'))).toBeGreaterThan(1_000_000);
    expect(existsSync(join(dev.project, 'public/go'))).toBe(false);
    expect(readFileSync(join(dev.project, '.cache/go-toolchain-dev', published.goVersion, 'manifest.json'), 'utf8')).toContain(published.compile.file);
  }, 600_000);
});
