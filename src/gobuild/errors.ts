/**
 * Errors of the in-browser Go build that a caller acts on rather than shows as compiler output.
 * They cross the Worker boundary as plain objects, so callers read `kind`, not `instanceof`.
 */

/** The two Go programs a build runs, named as their argv[0]. */
export type GoTool = 'compile' | 'link';

/** Every Go program the page runs: the build's two tools, and gofmt for the Format button. */
export type GoProgram = GoTool | 'gofmt';

/** `out-of-memory`: the tab could not give a tool (or the toolchain loader) more memory. `tool-crashed`: a tool threw or trapped instead of exiting. */
export type GoBuildErrorKind = 'out-of-memory' | 'tool-crashed';

export class GoBuildError extends Error {
  override readonly name = 'GoBuildError';
  readonly kind: GoBuildErrorKind;
  /** Which tool failed; `toolchain` when no tool was running (decoding or compiling the tools). */
  readonly tool: GoProgram | 'toolchain';

  constructor(kind: GoBuildErrorKind, tool: GoProgram | 'toolchain', message: string) {
    super(message);
    this.kind = kind;
    this.tool = tool;
  }
}

/** Tells a GoBuildError by `name` and `kind`, not `instanceof` (house rule for errors that travel). */
export function isGoBuildError(error: unknown): error is GoBuildError {
  return error instanceof Error && error.name === 'GoBuildError' && typeof (error as Partial<GoBuildError>).kind === 'string';
}

/**
 * Go's runtime prints this line and exits with status 2 when linear memory cannot grow (after
 * "runtime: out of memory: cannot allocate…").
 */
const GO_OUT_OF_MEMORY = /^fatal error: out of memory$/m;

/** Tells whether a tool's output ends in the Go runtime's fatal out-of-memory error. */
export function isGoOutOfMemory(output: string): boolean {
  return GO_OUT_OF_MEMORY.test(output);
}

/**
 * Tells whether a JavaScript error means the engine could not allocate memory: V8 throws a
 * RangeError ("Array buffer allocation failed", "WebAssembly.Instance(): Out of memory: Cannot
 * allocate Wasm memory for new instance"); Firefox an InternalError "out of memory".
 */
export function isAllocationFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return (error.name === 'RangeError' && /memory|allocat/i.test(error.message)) || /^out of memory$/i.test(error.message);
}
