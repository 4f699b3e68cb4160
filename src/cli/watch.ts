/**
 * `wasm-lab run --watch`: the local loop the debugging guide teaches, in one command. It runs the
 * scenario, then watches the plugin's Go sources (the folder of the .wasm) and the scenario file:
 * a saved .go file rebuilds the plugin with `go build` and runs the scenario again; a saved
 * scenario or config just runs again. A failed build prints the compiler's lines and waits for the
 * next save; a run that fails prints its one sentence and waits too. Ctrl-C ends it.
 */
import { spawn } from 'node:child_process';
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { HarnessError, isHarnessError } from '../harness/errors.ts';
import { describeFailure } from './failure.ts';

/** Saves come in bursts (an editor writes, renames, touches); one quiet moment starts one rebuild. */
const SETTLE_MS = 150;

export interface WatchTarget {
  /** The .wasm the scenario runs; its folder holds the Go module. */
  wasmPath: string;
  /** Files whose change reruns without a build (the scenario, a --config file). */
  inputs: string[];
  /** Runs the scenario once and prints it; throws a HarnessError when it cannot. */
  run(): Promise<void>;
}

export async function watchAndRun(target: WatchTarget, log: (line: string) => void = (line) => console.log(line)): Promise<never> {
  const moduleDir = dirname(target.wasmPath);
  const runOnce = async () => {
    try {
      await target.run();
    } catch (error) {
      log(`✗ ${isHarnessError(error) ? error.message : describeFailure(error)}`);
    }
  };
  await runOnce();
  log(`\nwatching the .go files in ${relative(process.cwd(), moduleDir) || '.'}/ and ${target.inputs.map((f) => relative(process.cwd(), f)).join(', ')}; Ctrl-C to stop`);
  let timer: NodeJS.Timeout | undefined;
  let needsBuild = false;
  let busy: Promise<void> = Promise.resolve();
  const changed = (isGo: boolean, file: string) => {
    needsBuild ||= isGo;
    clearTimeout(timer);
    timer = setTimeout(() => {
      const build = needsBuild;
      needsBuild = false;
      busy = busy.then(async () => {
        log(`\n── ${new Date().toLocaleTimeString()} ${file} changed${build ? ': go build' : ''}`);
        if (build && !(await goBuild(moduleDir, target.wasmPath, log))) return;
        await runOnce();
      });
    }, SETTLE_MS);
  };
  const watchers: FSWatcher[] = [
    watch(moduleDir, { recursive: true }, (_event, name) => {
      const file = String(name ?? '');
      if (file.endsWith('.go')) changed(true, file);
    }),
    ...target.inputs.map((input) => watch(input, () => changed(false, basename(input)))),
  ];
  return new Promise<never>(() => {
    process.once('SIGINT', () => {
      for (const w of watchers) w.close();
      process.exit(0);
    });
  });
}

/** Builds the plugin as every page shows; false (with the compiler's output printed) when it fails. */
function goBuild(moduleDir: string, wasmPath: string, log: (line: string) => void): Promise<boolean> {
  const started = performance.now();
  return new Promise((done) => {
    const child = spawn('go', ['build', '-buildmode=c-shared', '-o', resolve(wasmPath), '.'], {
      cwd: moduleDir,
      env: { ...process.env, GOOS: 'wasip1', GOARCH: 'wasm' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (error: NodeJS.ErrnoException) => {
      log(error.code === 'ENOENT' ? '✗ go is not on PATH; install Go 1.24 or newer from https://go.dev/dl/ to rebuild on save.' : `✗ go build could not start: ${error.message}`);
      done(false);
    });
    child.on('close', (code) => {
      if (code === 0) {
        log(`built ${relative(process.cwd(), wasmPath)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
        return done(true);
      }
      log(`✗ go build failed; fix it and save again:\n${output.trimEnd()}`);
      done(false);
    });
  });
}

/** The .wasm a watched run rebuilds: it must be a file path (an example name has no sources to watch here). */
export function watchedWasm(pluginArg: string | undefined, scenarioPlugin: string | undefined, scenarioPath: string): string {
  const [plugin, base] = pluginArg !== undefined ? [pluginArg, process.cwd()] : [scenarioPlugin, dirname(resolve(scenarioPath))];
  if (plugin === undefined || !plugin.endsWith('.wasm')) {
    throw new HarnessError('bad-input', `--watch rebuilds a plugin from its Go sources, so name its .wasm, e.g. wasm-lab run ./main.wasm --scenario ${scenarioPath} --watch.`);
  }
  return resolve(base, plugin);
}
