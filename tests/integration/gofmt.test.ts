import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { formatGoSource } from '../../src/gobuild/gofmt.ts';
import type { GoClass } from '../../src/gobuild/go-tool.ts';
import { openPublishedToolchain } from '../helpers/go-tools.ts';

const ROOT = join(import.meta.dirname, '../..');

/** The gofmt of the local Go installation, on `source`: its output, or its error text. */
function nativeGofmt(source: string): { stdout: string; stderr: string; status: number | null } {
  const result = spawnSync('gofmt', [], { input: source, encoding: 'utf8' });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

/** The limiter with its indentation and spacing wrecked in ways gofmt repairs. */
function misformatted(source: string): string {
  return source
    .split('\n')
    .map((line, i) => (i % 3 === 0 ? line.replace(/^\t+/, '  ') : line.replace(/^\t/, '    ')))
    .join('\n')
    .replace(/ := /g, ':=')
    .replace(/\) \{/g, '){')
    .replace(/import \(\n/, 'import (\n\n');
}

let gofmt: { Go: GoClass; module: WebAssembly.Module };
// Publishing compresses the toolchain once per Go version (minutes); `npm test` has done it in its build step.
beforeAll(async () => {
  gofmt = await (await openPublishedToolchain()).gofmt();
}, 600_000);

describe('formatGoSource with gofmt-wasm (go/format for js/wasm)', () => {
  test('formats badly indented code exactly as the local gofmt does', async () => {
    const source = misformatted(readFileSync(join(ROOT, 'examples/redis-limiter/main.go'), 'utf8'));
    const native = nativeGofmt(source);
    expect(native.status).toBe(0);
    expect(native.stdout).not.toBe(source);
    expect(await formatGoSource(gofmt, source)).toEqual({ text: native.stdout });
  });

  test('answers an already formatted file with the same text', async () => {
    const source = readFileSync(join(ROOT, 'examples/hello-world/main.go'), 'utf8');
    expect(nativeGofmt(source).stdout).toBe(source);
    expect(await formatGoSource(gofmt, source)).toEqual({ text: source });
  });

  test('reports the first syntax error at the line and column the local gofmt names', async () => {
    const source = 'package main\n\nfunc main() {\n\tx := []int{1, 2\n\tprintln(x)\n}\n';
    const native = nativeGofmt(source);
    expect(native.status).not.toBe(0);
    // gofmt prints `<standard input>:4:17: syntax error: …` (the first of its errors on the first line).
    const [, line, col, message] = /^<standard input>:(\d+):(\d+): (.*)$/m.exec(native.stderr)!;
    const answer = await formatGoSource(gofmt, source);
    expect(answer).toEqual({ error: { line: Number(line), col: Number(col), message } });
    expect(answer).toMatchObject({ error: { line: 4 } });
  });
});
