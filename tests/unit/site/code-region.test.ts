import { describe, expect, test } from 'vitest';
import { extractRegion, stripRegionMarkers } from '../../../src/site/code-region.ts';

const SOURCE = [
  'package main',
  '',
  '// region: outer',
  'func a() {',
  '\t// region: inner',
  '\tx := 1',
  '\t// endregion',
  '}',
  '// endregion',
].join('\n');

describe('extractRegion', () => {
  test('returns the lines of a region without its markers or nested markers', () => {
    expect(extractRegion(SOURCE, 'outer')).toBe('func a() {\n\tx := 1\n}');
  });

  test('takes the common indentation off a nested region', () => {
    expect(extractRegion(SOURCE, 'inner')).toBe('x := 1');
  });

  test('throws an error naming the regions the file has when the region is unknown', () => {
    expect(() => extractRegion(SOURCE, 'missing', 'examples/x/main.go')).toThrowErrorMatchingInlineSnapshot(
      `[Error: examples/x/main.go has no region "missing"; regions there: outer, inner.]`,
    );
  });

  test('throws when a region is never closed', () => {
    expect(() => extractRegion('// region: open\nx', 'open')).toThrow(/no closing/);
  });
});

describe('stripRegionMarkers', () => {
  test('keeps everything but the marker lines', () => {
    expect(stripRegionMarkers(SOURCE)).toBe('package main\n\nfunc a() {\n\tx := 1\n}');
  });
});
