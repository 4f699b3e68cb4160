// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import { renderRedisView } from '../../../src/playground/views/render-redis.ts';
import { HOSTILE, LIMITER_SCENARIO, runFaulty, runLimiter, runRedisDatabase } from './real-runs.ts';
import { translator } from './translations.ts';

const t = translator('en');

const cells = (table: Element) =>
  [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent));

describe('renderRedisView', () => {
  test('shows one row per key left after the example run, with type, value and TTL', async () => {
    const { redis } = await runLimiter(LIMITER_SCENARIO);
    const root = document.createElement('div');
    renderRedisView(root, redis, t);
    const table = root.querySelector('table.wl-redis')!;
    expect(table.querySelector('caption')!.textContent).toBe('Redis keys after the run');
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Key', 'Type', 'Value', 'TTL', 'Cluster']);
    expect(cells(table)).toEqual([['1735689660', 'string', '1', '60s', 'outbound|6379||redis.static']]);
    expect(table.querySelector('tbody th')!.getAttribute('scope')).toBe('row');
  });

  test('renders seeded hash fields and script-looking keys and values as text', async () => {
    const seed = `seed: { ${JSON.stringify(HOSTILE)}: { ${JSON.stringify(HOSTILE)}: x }, plain: ${JSON.stringify(HOSTILE)} }`;
    const { redis } = await runLimiter(`clusters:\n  - { type: redis, name: redis.static, port: 6379, ${seed} }\nrequests:\n  - { path: /get }`);
    const root = document.createElement('div');
    renderRedisView(root, redis, t);
    expect(root.querySelector('script, img')).toBeNull();
    expect(cells(root.querySelector('table')!)).toEqual([
      ['1735689600', 'string', '1', '60s', 'outbound|6379||redis.static'],
      [HOSTILE, 'hash', `${HOSTILE}: x`, '—', 'outbound|6379||redis.static'],
      ['plain', 'string', HOSTILE, '—', 'outbound|6379||redis.static'],
    ]);
  });

  test('adds a database column when some key is outside database 0', async () => {
    const { redis } = await runRedisDatabase('clusters:\n  - { type: redis, name: redis.static, seed: { hits: 5 } }\nrequests:\n  - { path: / }', { database: 2 });
    const root = document.createElement('div');
    renderRedisView(root, redis, t);
    const table = root.querySelector('table.wl-redis')!;
    expect([...table.querySelectorAll('thead th')].map((th) => th.textContent)).toEqual(['Key', 'Type', 'Value', 'TTL', 'Cluster', 'Database']);
    expect(cells(table)).toEqual([
      ['hits', 'string', '5', '—', 'outbound|6379||redis.static', '0'],
      ['hits', 'string', '1', '—', 'outbound|6379||redis.static', '2'],
    ]);
  });

  test('shows an empty-state message when no key is left', async () => {
    const { redis } = await runFaulty('requests: [{ path: / }]');
    const root = document.createElement('div');
    root.append(document.createElement('table'));
    renderRedisView(root, redis, t);
    expect(root.querySelector('table')).toBeNull();
    expect(root.querySelector('.wl-empty')!.textContent).toBe('No keys are left in Redis after the run.');
  });
});
