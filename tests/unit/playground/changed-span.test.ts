import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { changedSpan } from '../../../src/playground/changed-span.ts';

/** `before` with the span replaced: what the editor holds after the edit. */
const apply = (before: string, span: { start: number; end: number; text: string }) => before.slice(0, span.start) + span.text + before.slice(span.end);

describe('changedSpan', () => {
  test('covers only the span gofmt changed', () => {
    const before = 'package main\n\nfunc main(){\n  x:=1\n  _ = x\n}\n';
    const after = 'package main\n\nfunc main() {\n\tx := 1\n\t_ = x\n}\n';
    expect(changedSpan(before, after)).toEqual({ start: 25, end: 36, text: ' {\n\tx := 1\n\t' });
  });

  test('is empty for equal texts', () => {
    expect(changedSpan('package main\n', 'package main\n')).toEqual({ start: 13, end: 13, text: '' });
  });

  test('turns any text into any other', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (before, after) => apply(before, changedSpan(before, after)) === after));
  });
});
