/**
 * The builds `astro dev` runs behind its server: the example plugins, then the in-browser Go
 * toolchain. Each is a child process, because both builders block on `go` and the server must keep
 * answering. Says, read-only, when each plugin and the toolchain are ready.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Where progress goes: the dev server's logger. */
export interface ProgressLog {
  info(line: string): void;
  error(line: string): void;
}

/** One builder script, run with the Node that runs the dev server. */
export interface BuildStep {
  /** How the step is named in progress lines, e.g. `example plugins`. */
  label: string;
  /** The script, relative to the project root. */
  script: string;
}

/** The first step: what `npm run build:examples` runs. */
export const EXAMPLES_STEP: BuildStep = { label: 'example plugins', script: 'tools/build-examples.ts' };
/** The second step, after the first succeeded: the toolchain at dev quality (publish-dev-toolchain.ts). */
export const TOOLCHAIN_STEP: BuildStep = { label: 'in-browser Go toolchain', script: 'tools/dev/publish-dev-toolchain.ts' };

/**
 * The line tools/build-examples.ts prints once a plugin is in public/wasm/, built or unchanged:
 * `✓ <name>: …`. Without it a plugin still becomes ready when the whole step ends, only later.
 */
const PLUGIN_DONE = /^✓ ([\w.-]+): /;

interface Waiter {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function waiter(): Waiter {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Nobody may be waiting when a build fails; the failure is logged, not thrown at the process.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Runs the example plugins' build, then the toolchain's, once; see the module comment. */
export class BackgroundBuilds {
  readonly #root: string;
  readonly #log: ProgressLog;
  readonly #plugins = new Map<string, Waiter>();
  readonly #toolchain = waiter();
  readonly #children = new Set<ReturnType<typeof spawn>>();
  #isStarted = false;

  /** `plugins` are the example names the first step builds (folders of examples/ with a go.mod). */
  constructor(root: string, plugins: readonly string[], log: ProgressLog) {
    this.#root = root;
    this.#log = log;
    for (const name of plugins) this.#plugins.set(name, waiter());
  }

  /** Starts both steps; later calls do nothing. */
  start(): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    this.#log.info(`serving now; preparing the ${EXAMPLES_STEP.label}, then the ${TOOLCHAIN_STEP.label}, in the background`);
    void this.#run(EXAMPLES_STEP, (line) => {
      const name = PLUGIN_DONE.exec(line)?.[1];
      if (name) this.#plugins.get(name)?.resolve();
    })
      .then(() => {
        for (const plugin of this.#plugins.values()) plugin.resolve();
        return this.#run(TOOLCHAIN_STEP, () => {});
      })
      .then(() => this.#toolchain.resolve(), (error: Error) => this.#failAll(error));
  }

  /** Builds nothing and answers every wait with `reason`, a sentence that says what to do (e.g. Go is missing). */
  abandon(reason: string): void {
    if (this.#isStarted) return;
    this.#isStarted = true;
    this.#log.error(reason);
    this.#failAll(new Error(reason));
  }

  /** Settles once `name`'s plugin is in public/wasm/ (rejects when its build failed); undefined for an unknown name. */
  plugin(name: string): Promise<void> | undefined {
    return this.#plugins.get(name)?.promise;
  }

  /** Settles once the dev toolchain is published (rejects when a step failed). */
  toolchain(): Promise<void> {
    return this.#toolchain.promise;
  }

  /** Ends the running step's process (the dev server is exiting). */
  stop(): void {
    for (const child of this.#children) child.kill();
  }

  #failAll(error: Error): void {
    for (const plugin of this.#plugins.values()) plugin.reject(error);
    this.#toolchain.reject(error);
  }

  /** Runs one step, passing each stdout line to `onLine` and the unindented ones to the log; rejects with its stderr when it fails. */
  #run(step: BuildStep, onLine: (line: string) => void): Promise<void> {
    const started = performance.now();
    const child = spawn(process.execPath, ['--experimental-strip-types', '--no-warnings', join(this.#root, step.script)], {
      cwd: this.#root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#children.add(child);
    createInterface({ input: child.stdout }).on('line', (line) => {
      onLine(line);
      // Indented lines are details (a plugin's imports); the dev terminal gets one line per event.
      if (line.trim() && !/^\s/.test(line)) this.#log.info(line);
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    return new Promise((resolve, reject) => {
      child.on('error', (error) => reject(new Error(`the ${step.label} could not be built: ${error.message}`)));
      child.on('close', (code, signal) => {
        this.#children.delete(child);
        if (code === 0) {
          this.#log.info(`✓ ${step.label} ready in ${((performance.now() - started) / 1000).toFixed(0)}s`);
          resolve();
          return;
        }
        const reason = stderr.trim() || (signal ? `stopped by ${signal}` : `exit code ${code}`);
        const error = new Error(`the ${step.label} could not be built: ${reason}`);
        this.#log.error(`${error.message}\n  (fix it and restart npm run dev; pages still work, playgrounds do not)`);
        reject(error);
      });
    });
  }
}
