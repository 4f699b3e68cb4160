import { describe, expect, test } from 'vitest';
import { isKeptWorkerFile } from '../../../src/playground/go-worker-files.ts';

const ORIGIN = 'https://lab.example';

describe('isKeptWorkerFile', () => {
  test('keeps the Go workers\' scripts and the toolchain manifest of this origin', () => {
    expect(isKeptWorkerFile(`${ORIGIN}/_astro/go-build-worker-BxY1.js`, ORIGIN)).toBe(true);
    expect(isKeptWorkerFile(`${ORIGIN}/_astro/toolchain-loader-Ab12.js?x=1`, ORIGIN)).toBe(true);
    expect(isKeptWorkerFile(`${ORIGIN}/sub/_astro/chunk.mjs`, ORIGIN)).toBe(true);
    expect(isKeptWorkerFile(`${ORIGIN}/go/go1.26.8/manifest.json`, ORIGIN)).toBe(true);
  });

  test('leaves the published toolchain files, the kept tools and other origins to the rest of the worker', () => {
    expect(isKeptWorkerFile(`${ORIGIN}/go/go1.26.8/pkg/bundle-8684c7ab9a9c7a6b63434c19.bin.br`, ORIGIN)).toBe(false);
    expect(isKeptWorkerFile(`${ORIGIN}/go/go1.26.8/compile-c0812aa7a320d289b93b3893.wasm`, ORIGIN)).toBe(false);
    expect(isKeptWorkerFile(`${ORIGIN}/go/go1.26.8/wasm_exec-0c949f4996f9a89698e4b5c5.js.br`, ORIGIN)).toBe(false);
    expect(isKeptWorkerFile('https://cdn.example/_astro/go-build-worker.js', ORIGIN)).toBe(false);
    expect(isKeptWorkerFile(`${ORIGIN}/manifest.json.br`, ORIGIN)).toBe(false);
  });
});
