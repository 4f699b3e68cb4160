import { pathToFileURL } from 'node:url';
import { describe, expect, test, vi } from 'vitest';
import type { AstroIntegration } from 'astro';
import { prepareInBackground } from '../../../../tools/dev/prepare-in-background.ts';

type ConfigSetup = NonNullable<AstroIntegration['hooks']['astro:config:setup']>;

/** Runs the integration's config hook for `command`; returns what it passed to updateConfig. */
function configFor(command: 'dev' | 'build' | 'preview' | 'sync'): unknown[] {
  const updateConfig = vi.fn();
  const hook = prepareInBackground().hooks['astro:config:setup'] as ConfigSetup;
  const options = { command, updateConfig, config: { root: pathToFileURL('/project/'), base: '/' }, logger: { info() {}, error() {} } };
  void hook(options as unknown as Parameters<ConfigSetup>[0]);
  return updateConfig.mock.calls.map(([config]) => config);
}

describe('prepareInBackground', () => {
  test('changes nothing outside astro dev, so npm run build builds everything first as before', () => {
    expect(configFor('build')).toEqual([]);
    expect(configFor('preview')).toEqual([]);
    expect(configFor('sync')).toEqual([]);
  });

  test('adds one Vite plugin for the dev server only', () => {
    const [config] = configFor('dev') as Array<{ vite: { plugins: Array<{ name: string; apply: string }> } }>;
    expect(config?.vite.plugins.map((p) => [p.name, p.apply])).toEqual([['wasm-lab:serve-prepared', 'serve']]);
  });
});
