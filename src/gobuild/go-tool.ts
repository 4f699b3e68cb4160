/**
 * Runs one Go program compiled for js/wasm (the Go compiler, linker or gofmt) once, through the Go
 * distribution's own wasm_exec.js, against an in-memory file system (reference/in-browser-go.md
 * §1.6, §2). A Go program runs once: every invocation gets a fresh `Go` object and instance; the
 * compiled WebAssembly.Module is reused.
 */
import { GoBuildError, type GoProgram, isAllocationFailure, isGoOutOfMemory } from './errors.ts';
import type { MemFs } from './memfs.ts';

interface GoInstance {
  argv: string[];
  env: Record<string, string>;
  exit: (code: number) => void;
  importObject: WebAssembly.Imports;
  run(instance: WebAssembly.Instance): Promise<void>;
}

/** The `Go` class wasm_exec.js defines. */
export type GoClass = new () => GoInstance;

/** Evaluates wasm_exec.js (a classic script) once and returns its `Go` class. */
export function loadGoClass(wasmExecSource: string): GoClass {
  const global = globalThis as { Go?: GoClass };
  if (!global.Go) new Function(wasmExecSource)();
  if (!global.Go) throw new Error('wasm_exec.js did not define globalThis.Go');
  return global.Go;
}

export interface ToolRun {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Size of the tool's linear memory when it exited: its peak, as wasm memory never shrinks. */
  memoryBytes: number;
}

/** The environment both tools need: GOOS=wasip1, or a js/wasm tool targets js/wasm (§1.6). */
export const TOOL_ENV = { GOOS: 'wasip1', GOARCH: 'wasm', PWD: '/' } as const;

let queue: Promise<unknown> = Promise.resolve();

/** Turns what a tool threw (a trap, an engine error) into a GoBuildError naming the tool. */
function toolError(tool: GoProgram, error: unknown): GoBuildError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new GoBuildError(isAllocationFailure(error) ? 'out-of-memory' : 'tool-crashed', tool, detail);
}

/**
 * Runs `argv` (argv[0] is the tool's name) with `fs` installed as globalThis.fs. Runs are queued:
 * Go reads the global fs while its syscall package initialises, so two runs must not overlap.
 * A tool that exits returns its status and output, except that the Go runtime's fatal "out of
 * memory" throws a GoBuildError (`out-of-memory`); so does an instance that cannot get its memory.
 * A tool that throws or traps instead of exiting throws a GoBuildError (`tool-crashed`).
 */
export function runGoTool(Go: GoClass, module: WebAssembly.Module, fs: MemFs, argv: [GoProgram, ...string[]]): Promise<ToolRun> {
  const tool = argv[0];
  const run = queue.then(async () => {
    const global = globalThis as { fs?: unknown };
    const previous = global.fs;
    global.fs = fs.node;
    try {
      const go = new Go();
      go.argv = argv;
      go.env = { ...TOOL_ENV };
      let exitCode = 0;
      go.exit = (code) => {
        exitCode = code;
      };
      let instance: WebAssembly.Instance;
      try {
        instance = await WebAssembly.instantiate(module, go.importObject);
        await go.run(instance);
      } catch (error) {
        throw toolError(tool, error);
      }
      const output = fs.takeOutput();
      const text = output.stderr + output.stdout;
      if (exitCode !== 0 && isGoOutOfMemory(text)) {
        // The runtime's line before the fatal error says what it could not allocate; the goroutine dump after it helps nobody here.
        throw new GoBuildError('out-of-memory', tool, /^runtime: out of memory: .*$/m.exec(text)?.[0] ?? 'fatal error: out of memory');
      }
      const memory = instance.exports['mem'];
      return { exitCode, ...output, memoryBytes: memory instanceof WebAssembly.Memory ? memory.buffer.byteLength : 0 };
    } finally {
      global.fs = previous;
    }
  });
  queue = run.catch(() => {});
  return run;
}
