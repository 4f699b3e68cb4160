import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { goToolchainUrl, pluginVersion } from '../../../src/site/playground-assets.ts';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A project root whose public/ holds what the given build steps wrote. */
function project(built: { plugins?: Record<string, string>; toolchain?: boolean }): string {
  root = mkdtempSync(join(tmpdir(), 'playground-assets-'));
  if (built.plugins) {
    mkdirSync(join(root, 'public/wasm'), { recursive: true });
    const examples = Object.fromEntries(Object.entries(built.plugins).map(([name, hash]) => [name, { hash }]));
    writeFileSync(join(root, 'public/wasm/manifest.json'), JSON.stringify({ goVersion: 'go1.26.8', examples }));
  }
  if (built.toolchain) {
    mkdirSync(join(root, 'public/go/go1.26.8'), { recursive: true });
    writeFileSync(join(root, 'public/go/go1.26.8/manifest.json'), '{}');
  }
  return root;
}

describe('pluginVersion', () => {
  test('answers the content hash public/wasm/manifest.json gives the example', () => {
    const context = { root: project({ plugins: { 'hello-world': 'abc123' } }), base: '', isDev: false };
    expect(pluginVersion('hello-world', context)).toBe('abc123');
    expect(pluginVersion('hello-world', { ...context, isDev: true })).toBe('abc123');
  });

  test('answers "pending" under astro dev while the plugin is not built', () => {
    expect(pluginVersion('hello-world', { root: project({}), base: '', isDev: true })).toBe('pending');
  });

  test('throws a sentence naming the fix in a site build when the plugin is not built', () => {
    const context = { root: project({ plugins: { other: 'abc123' } }), base: '', isDev: false };
    expect(() => pluginVersion('hello-world', context)).toThrowErrorMatchingInlineSnapshot(
      `[Error: <Playground example="hello-world">: public/wasm/hello-world.wasm is not built; run npm run build:examples.]`,
    );
  });
});

describe('goToolchainUrl', () => {
  test('points a site build at public/go/<go version>/ when the toolchain was published', () => {
    expect(goToolchainUrl({ root: project({ plugins: {}, toolchain: true }), base: '/lab', isDev: false })).toBe('/lab/go/go1.26.8');
  });

  test('turns in-browser builds off in a site build without a published toolchain', () => {
    expect(goToolchainUrl({ root: project({ plugins: {} }), base: '', isDev: false })).toBe('');
  });

  test('points astro dev at /go-dev, which the dev server prepares, even before anything is built', () => {
    expect(goToolchainUrl({ root: project({}), base: '', isDev: true })).toBe('/go-dev');
  });
});
