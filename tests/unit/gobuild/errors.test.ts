import { describe, expect, test } from 'vitest';
import { GoBuildError, isAllocationFailure, isGoBuildError, isGoOutOfMemory } from '../../../src/gobuild/errors.ts';

describe('isGoOutOfMemory', () => {
  test('finds the Go runtime’s fatal error in a tool’s output', () => {
    const output = 'runtime: out of memory: cannot allocate 524288-byte block (13926400 in use)\nfatal error: out of memory\n\ngoroutine 1 gp=0xe821c0 m=0 mp=0xd5b360 [running]:\nruntime.throw({0x15dfea, 0xd})\n';
    expect(isGoOutOfMemory(output)).toBe(true);
  });

  test('ignores the words inside a compiler diagnostic', () => {
    expect(isGoOutOfMemory('/src/main.go:3:9: undefined: fatal error: out of memory\n')).toBe(false);
  });
});

describe('isAllocationFailure', () => {
  test('tells the engine’s allocation failures from other errors', () => {
    expect(isAllocationFailure(new RangeError('Array buffer allocation failed'))).toBe(true);
    expect(isAllocationFailure(new RangeError('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance'))).toBe(true);
    expect(isAllocationFailure(Object.assign(new Error('out of memory'), { name: 'InternalError' }))).toBe(true);
    expect(isAllocationFailure(new RangeError('Maximum call stack size exceeded'))).toBe(false);
    expect(isAllocationFailure(new Error('Array buffer allocation failed'))).toBe(false);
    expect(isAllocationFailure('out of memory')).toBe(false);
  });
});

describe('isGoBuildError', () => {
  test('recognises the error by name and kind', () => {
    expect(isGoBuildError(new GoBuildError('tool-crashed', 'link', 'RuntimeError: unreachable'))).toBe(true);
    expect(isGoBuildError(Object.assign(new Error('x'), { name: 'GoBuildError', kind: 'out-of-memory' }))).toBe(true);
    expect(isGoBuildError(new Error('x'))).toBe(false);
  });
});
