// @vitest-environment happy-dom
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { renderOutcomes, renderStartupLogs } from '../../../src/playground/views/render-outcomes.ts';
import { renderRedisView } from '../../../src/playground/views/render-redis.ts';
import { renderTimeline } from '../../../src/playground/views/render-timeline.ts';
import { fault, LIMITER_SCENARIO, runFaulty, runLimiter } from './real-runs.ts';
import { readStrings, translator } from './translations.ts';

const VIEWS = join(import.meta.dirname, '..', '..', '..', 'src', 'playground', 'views');
/** The areas the outcome views own; other parts of the playground add their own keys to the same files. */
const OWN_KEY = /^(outcome|timeline|redis|startup)\./;

const zh = readStrings('zh-CN');
const en = readStrings('en');
const own = (strings: Record<string, string>) => Object.keys(strings).filter((k) => OWN_KEY.test(k)).sort();

/** Keys written out in full in the views' source, e.g. t('outcome.logs'). */
function literalKeys(): Set<string> {
  const keys = new Set<string>();
  for (const file of readdirSync(VIEWS).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(VIEWS, file), 'utf8');
    for (const m of source.matchAll(/['"`]((?:outcome|timeline|redis|startup)\.[A-Za-z.]+)['"`]/g)) keys.add(m[1]!);
  }
  return keys;
}

const t = translator('en');

beforeAll(async () => {
  // Every path that asks for a string: all three sources, errors with hints, callouts, unimplemented
  // and empty states, trace, a rejected config, the Redis table and its empty state.
  const limiter = await runLimiter(LIMITER_SCENARIO, { isTraced: true });
  const env = { WASM_DISABLE_PANIC_RECOVERY: 'true' };
  const faulty = await runFaulty(
    `clusters:\n  - { type: http, name: auth.static, reply: { status: 204 } }\nrequests:\n${fault('panic')}\n${fault('callout')}\n${fault('stall')}`,
    { env },
  );
  const root = document.createElement('div');
  renderOutcomes(root, limiter, t);
  renderOutcomes(root, faulty, t);
  renderOutcomes(root, { ...limiter, outcomes: [] }, t);
  renderOutcomes(root, { ...faulty, outcomes: faulty.outcomes.map((o) => ({ ...o, unimplemented: [{ module: 'env', name: 'proxy_foo', count: 1 }] })) }, t);
  renderStartupLogs(root, [], t, { error: { kind: 'config-rejected', message: 'm', hint: 'h' }, unimplemented: [{ module: 'env', name: 'proxy_foo', count: 1 }] });
  renderTimeline(root, [...limiter.outcomes, ...faulty.outcomes], t);
  renderRedisView(root, limiter.redis, t);
  renderRedisView(root, [], t);
});

describe('outcome view strings', () => {
  test('exist in both languages for every key the views ask for', () => {
    const asked = [...new Set([...t.used, ...literalKeys()])].sort();
    expect(asked.filter((k) => !(k in en))).toEqual([]);
    expect(asked.filter((k) => !(k in zh))).toEqual([]);
  });

  test('are the same keys in zh-CN and en, none empty', () => {
    expect(own(zh)).toEqual(own(en));
    expect(own(zh).filter((k) => !zh[k]?.trim() || !en[k]?.trim())).toEqual([]);
  });

  test('are all used by a view', () => {
    const asked = new Set([...t.used, ...literalKeys()]);
    expect(own(en).filter((k) => !asked.has(k))).toEqual([]);
  });
});
