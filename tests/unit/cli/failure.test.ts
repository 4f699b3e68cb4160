import { describe, expect, test } from 'vitest';
import { describeFailure } from '../../../src/cli/failure.ts';
import { HarnessError } from '../../../src/harness/errors.ts';

describe('describeFailure', () => {
  test('prints a harness error as its sentence and hint', () => {
    expect(describeFailure(new HarnessError('bad-module', 'x.wasm cannot be loaded: no `memory` export', 'export it'))).toBe('x.wasm cannot be loaded: no `memory` export (export it)');
  });

  test('says an unexpected error is a bug in wasm-lab, in one line without the stack', () => {
    const text = describeFailure(new TypeError("Cannot read properties of undefined (reading 'x')\nsecond line"), {});
    expect(text).toMatchInlineSnapshot(`"wasm-lab failed unexpectedly (TypeError: Cannot read properties of undefined (reading 'x')); this is a bug in wasm-lab, not in your plugin or scenario; please report it to the Higress WASM Lab maintainers with the command you ran (WASM_LAB_DEBUG=1 prints the stack)."`);
    expect(text).not.toContain('\n');
  });

  test('adds the stack when WASM_LAB_DEBUG=1', () => {
    const error = new Error('boom');
    const text = describeFailure(error, { WASM_LAB_DEBUG: '1' });
    expect(text.split('\n')[0]).toMatch(/^wasm-lab failed unexpectedly \(Error: boom\);/);
    expect(text).toContain('    at ');
  });

  test('keeps the first line of an internal error from the worker, with its own hint', () => {
    const plain = { kind: 'internal', message: 'the harness failed unexpectedly (Error: x)\n    at f (a.ts:1:1)', hint: 'this is a bug in wasm-lab, not in your plugin; please report it with the scenario' };
    expect(describeFailure(plain, {})).toBe('the harness failed unexpectedly (Error: x); this is a bug in wasm-lab, not in your plugin; please report it with the scenario.');
  });

  test('words a thrown non-error value too', () => {
    expect(describeFailure('just a string', {})).toMatch(/^wasm-lab failed unexpectedly \(just a string\); this is a bug in wasm-lab/);
  });
});
