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

describe('listImports and missingImports', () => {
  const source = [
    'package main // import "not/this"',
    '',
    '/* import "nor/this" */',
    'import "fmt"',
    'import (',
    '\t"strings" // a comment "x/y"',
    '\tre "regexp"',
    '\t_ "embed"',
    ')',
    'import alias "hash/fnv"',
    '',
    'func main() { _ = "import \\"fake\\"" }',
  ].join('\n');

  test('finds every import path with its line and byte column, ignoring comments and strings', async () => {
    const { listImports } = await import('../../../src/gobuild/go-imports.ts');
    expect(listImports(source)).toEqual([
      { path: 'fmt', line: 4, col: 8 },
      { path: 'strings', line: 6, col: 2 },
      { path: 'regexp', line: 7, col: 5 },
      { path: 'embed', line: 8, col: 4 },
      { path: 'hash/fnv', line: 10, col: 14 },
    ]);
    expect(listImports('package main\n\nimport ("fmt"; "os")\n')).toEqual([
      { path: 'fmt', line: 3, col: 9 },
      { path: 'os', line: 3, col: 16 },
    ]);
  });

  test('reports the imports no archive provides, at their import line', async () => {
    const { missingImports } = await import('../../../src/gobuild/go-imports.ts');
    const found = missingImports({ 'main.go': source }, new Set(['fmt', 'strings', 'embed']));
    expect(found.map((d) => [d.line, d.col, d.message.split(' is ')[0]])).toEqual([
      [7, 5, 'package regexp'],
      [10, 14, 'package hash/fnv'],
    ]);
    expect(missingImports({ 'main.go': 'package main\nimport "unsafe"\n' }, new Set())).toEqual([]);
  });
});
