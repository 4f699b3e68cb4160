import { describe, expect, test } from 'vitest';
import { byteColumnToCharColumn, parseDiagnostics } from '../../../src/gobuild/build-plugin.ts';

describe('parseDiagnostics', () => {
  test('reads file, line, column and message from compiler output, dropping the virtual /src/ prefix', () => {
    expect(parseDiagnostics('/src/main.go:12:5: undefined: foo\n/src/main.go:20:1: syntax error: unexpected }\nnot a diagnostic\n')).toEqual([
      { file: 'main.go', line: 12, col: 5, message: 'undefined: foo' },
      { file: 'main.go', line: 20, col: 1, message: 'syntax error: unexpected }' },
    ]);
  });
});

describe('byteColumnToCharColumn', () => {
  test('keeps columns on an ASCII line', () => {
    expect(byteColumnToCharColumn('\tx := foo()', 7)).toBe(7);
  });

  test('counts a Chinese character (3 UTF-8 bytes) as one editor column', () => {
    // `s := "限流" + 1`: the byte column of `+` is 15, its character column 11.
    const line = 's := "限流" + 1';
    expect(byteColumnToCharColumn(line, 15)).toBe(line.indexOf('+') + 1);
  });
});
