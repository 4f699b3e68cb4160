import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { buildStarterProject } from '../../../../src/playground/starter/starter-project.ts';
import { zipStarterProject } from '../../../../src/playground/starter/zip.ts';
import { readExampleFiles } from './example-files.ts';

const files = readExampleFiles('redis-limiter');
const project = buildStarterProject({ example: 'redis-limiter', files, config: files['config.json']!, scenario: files['scenario.yaml']! });

afterEach(() => {
  vi.useRealTimers();
});

describe('zipStarterProject', () => {
  test('unzips to the same files under the folder', () => {
    const entries = unzipSync(zipStarterProject('redis-limiter-starter', project));
    expect(Object.keys(entries).sort()).toEqual(Object.keys(project).map((name) => `redis-limiter-starter/${name}`).sort());
    for (const [name, text] of Object.entries(project)) {
      expect(strFromU8(entries[`redis-limiter-starter/${name}`]!), name).toBe(text);
    }
  });

  test('puts the higress/ files in their folders', () => {
    const entries = unzipSync(zipStarterProject('redis-limiter', project));
    for (const name of ['higress/docker-compose.yaml', 'higress/data/mcpbridges/default.yaml', 'higress/data/wasmplugins/redis-limiter.yaml']) {
      expect(strFromU8(entries[`redis-limiter/${name}`]!), name).toBe(project[name]);
    }
  });

  test('keeps non-ASCII text intact as UTF-8', () => {
    const entries = unzipSync(zipStarterProject('p', { 'README.md': '# 限流 — ≥ 2.1.5\n' }));
    expect(strFromU8(entries['p/README.md']!)).toBe('# 限流 — ≥ 2.1.5\n');
  });

  test('gives byte-identical output for identical input, whatever the key order', () => {
    const reversed = Object.fromEntries(Object.entries(project).reverse());
    const first = zipStarterProject('redis-limiter', project);
    expect(zipStarterProject('redis-limiter', project)).toEqual(first);
    expect(zipStarterProject('redis-limiter', reversed)).toEqual(first);
  });

  test('gives the same bytes when zipped at another time', () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-03-04T05:06:07Z'));
    const early = zipStarterProject('redis-limiter', project);
    vi.setSystemTime(new Date('2031-12-31T23:59:59Z'));
    expect(zipStarterProject('redis-limiter', project)).toEqual(early);
  });

  test('changes the bytes when a file changes', () => {
    const edited = { ...project, 'config.json': '{"serviceName":"redis.static","qpm":4}\n' };
    expect(zipStarterProject('redis-limiter', edited)).not.toEqual(zipStarterProject('redis-limiter', project));
  });
});
