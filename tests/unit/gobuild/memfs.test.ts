import { describe, expect, test } from 'vitest';
import { createMemFs, O } from '../../../src/gobuild/memfs.ts';

type Cb<T> = (error: (Error & { code?: string }) | null, result?: T) => void;
type NodeFs = Record<string, (...args: never[]) => unknown>;

/** Calls a Node-style fs function and returns [error, result] (the shim calls back synchronously). */
function call<T>(fs: NodeFs, name: string, ...args: unknown[]): [(Error & { code?: string }) | null, T | undefined] {
  let out: [(Error & { code?: string }) | null, T | undefined] = [null, undefined];
  (fs[name] as unknown as (...a: unknown[]) => void)(...args, ((error, result) => (out = [error, result])) as Cb<T>);
  return out;
}

describe('createMemFs', () => {
  test('answers ENOENT with a Node errno code for a missing file, which Go maps to an error', () => {
    const fs = createMemFs().node as NodeFs;
    const [error] = call(fs, 'open', '/missing.go', O.RDONLY, 0);
    expect(error?.code).toBe('ENOENT');
  });

  test('reads a file sequentially, then at explicit positions without moving the cursor', () => {
    const mem = createMemFs();
    mem.writeFile('/a.txt', 'hello world');
    const fs = mem.node as NodeFs;
    const [, fd] = call<number>(fs, 'open', '/a.txt', O.RDONLY, 0);
    const buf = new Uint8Array(5);
    expect(call<number>(fs, 'read', fd, buf, 0, 5, null)[1]).toBe(5);
    expect(new TextDecoder().decode(buf)).toBe('hello');
    call<number>(fs, 'read', fd, buf, 0, 5, 6);
    expect(new TextDecoder().decode(buf)).toBe('world');
    call<number>(fs, 'read', fd, buf, 0, 5, null);
    expect(new TextDecoder().decode(buf)).toBe(' worl');
  });

  test('rewrites earlier bytes with a positional write and grows the file past its end, as compile -pack needs', () => {
    const mem = createMemFs();
    const fs = mem.node as NodeFs;
    const [, fd] = call<number>(fs, 'open', '/out/main.a', O.RDWR | O.CREAT | O.TRUNC, 0o644);
    const bytes = (text: string) => new TextEncoder().encode(text);
    call(fs, 'write', fd, bytes('header??body'), 0, 12, null);
    call(fs, 'write', fd, bytes('!!'), 0, 2, 6);
    call(fs, 'write', fd, bytes('tail'), 0, 4, null);
    expect(new TextDecoder().decode(mem.readFile('/out/main.a'))).toBe('header!!bodytail');
  });

  test('gives stat objects every numeric field Go reads, and a working isDirectory', () => {
    const mem = createMemFs();
    mem.writeFile('/pkg/1.a', new Uint8Array(1000));
    const fs = mem.node as NodeFs;
    const [, file] = call<Record<string, unknown> & { isDirectory(): boolean }>(fs, 'stat', '/pkg/1.a');
    for (const field of ['dev', 'ino', 'mode', 'nlink', 'uid', 'gid', 'rdev', 'size', 'blksize', 'blocks', 'atimeMs', 'mtimeMs', 'ctimeMs']) {
      expect(typeof file![field], field).toBe('number');
    }
    expect(file!.size).toBe(1000);
    expect(file!.isDirectory()).toBe(false);
    expect(call<{ isDirectory(): boolean }>(fs, 'stat', '/pkg')[1]!.isDirectory()).toBe(true);
  });

  test('captures what a tool writes to stdout and stderr, by both routes', () => {
    const mem = createMemFs();
    const fs = mem.node as NodeFs;
    call(fs, 'write', 1, new TextEncoder().encode('main.go:4:2: declared and not used: x\n'), 0, 38, null);
    (fs.writeSync as unknown as (fd: number, v: Uint8Array) => number)(2, new TextEncoder().encode('panic: boom\n'));
    expect(mem.takeOutput()).toEqual({ stdout: 'main.go:4:2: declared and not used: x\n', stderr: 'panic: boom\n' });
    expect(mem.takeOutput()).toEqual({ stdout: '', stderr: '' });
  });

  test('refuses O_CREAT|O_EXCL on an existing file with EEXIST', () => {
    const mem = createMemFs();
    mem.writeFile('/x', 'x');
    expect(call(mem.node as NodeFs, 'open', '/x', O.WRONLY | O.CREAT | O.EXCL, 0o644)[0]?.code).toBe('EEXIST');
  });
});
