/**
 * How wasm-lab words a failure for the terminal: a harness error as its sentence (and hint); any
 * other error as one sentence saying it is a bug in wasm-lab. The stack is printed only when
 * WASM_LAB_DEBUG=1, for whoever fixes the bug.
 */
import { isHarnessError } from '../harness/errors.ts';

/** Set to 1 to see the stack of an unexpected error. */
export const DEBUG_VARIABLE = 'WASM_LAB_DEBUG';

const BUG_NOTE = `this is a bug in wasm-lab, not in your plugin or scenario; please report it to the Higress WASM Lab maintainers with the command you ran (${DEBUG_VARIABLE}=1 prints the stack)`;

/** The text to print for `error`: one sentence per problem, and never a stack unless debugging. */
export function describeFailure(error: unknown, env: Record<string, string | undefined> = process.env): string {
  const isDebug = env[DEBUG_VARIABLE] === '1';
  if (isHarnessError(error) && error.kind !== 'internal') {
    return error.message + (error.hint ? ` (${error.hint})` : '');
  }
  // An `internal` error from the worker is already a sentence about a bug; keep its first line.
  const hint = isHarnessError(error) ? error.hint : undefined;
  const detail = isHarnessError(error)
    ? error.message.split('\n')[0]!
    : `wasm-lab failed unexpectedly (${error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error)})`;
  const sentence = `${detail}; ${hint ?? BUG_NOTE}`.replace(/\.?$/, '.');
  return isDebug && error instanceof Error && error.stack ? `${sentence}\n${error.stack}` : sentence;
}
