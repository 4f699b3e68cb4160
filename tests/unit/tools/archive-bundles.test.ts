import { describe, expect, test } from 'vitest';
import { planBundles } from '../../../tools/lib/archive-bundles.ts';

const closure = (...archives: string[]) => ({ packages: archives.map((a): [string, string] => [`pkg/${a}`, a]) });

describe('planBundles', () => {
  const examples = {
    hello: closure('runtime', 'fmt', 'sdk'),
    limiter: closure('runtime', 'fmt', 'sdk', 'resp'),
    block: closure('runtime', 'fmt', 'sdk', 'regexp', 'resp'),
    tiny: closure('runtime'),
  };
  const bundles = planBundles(examples);

  test('puts every archive in exactly one bundle', () => {
    const all = bundles.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(new Set(all)).toEqual(new Set(['runtime', 'fmt', 'sdk', 'resp', 'regexp']));
  });

  test('gives each example bundles that hold exactly its closure', () => {
    for (const [name, { packages }] of Object.entries(examples)) {
      const wanted = new Set(packages.map(([, a]) => a));
      const fetched = bundles.filter((b) => b.some((a) => wanted.has(a))).flat();
      expect(new Set(fetched), name).toEqual(wanted);
    }
  });

  test('orders the most widely shared bundle first and keeps link order inside a bundle', () => {
    expect(bundles).toEqual([['runtime'], ['fmt', 'sdk'], ['resp'], ['regexp']]);
  });
});
