/**
 * `wasm-lab run --watch`, the local loop: a project made by `wasm-lab init`, a first run, then a
 * saved main.go that breaks the build (the compiler's line is shown), and one that fixes it and
 * changes what the plugin does (rebuilt, and the new outcome printed).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { cliArgv, runCli } from '../helpers/wasm-lab-cli.ts';

/** Each Go build of the project; generous for a busy machine. */
const BUILD_WAIT_MS = 120_000;

const dir = mkdtempSync(join(tmpdir(), 'wasm-lab-watch-'));
let child: ChildProcess | undefined;
afterAll(() => {
  child?.kill('SIGINT');
  rmSync(dir, { recursive: true, force: true });
});


test('rebuilds on a saved .go file and runs the scenario again, showing a failed build until it is fixed', async () => {
  const project = join(dir, 'hello');
  expect(runCli(['init', project], { cwd: dir }).status).toBe(0);
  const build = spawnSync('make', ['build'], { cwd: project, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);

  let output = '';
  child = spawn(process.execPath, cliArgv(['run', './main.wasm', '--scenario', 'scenario.yaml', '--watch']), { cwd: project });
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const waitFor = (text: string | RegExp, from: number) =>
    expect.poll(() => output.slice(from), { timeout: BUILD_WAIT_MS, interval: 100 }).toMatch(text);

  await waitFor('watching the .go files in ./', 0);
  expect(output).toMatch(/#\s+at\s+request\s+status/);

  const main = join(project, 'main.go');
  const source = readFileSync(main, 'utf8');
  let mark = output.length;
  writeFileSync(main, `${source}\nfunc broken() { return 1 }\n`);
  await waitFor('✗ go build failed; fix it and save again:', mark);
  await waitFor(/main\.go:\d+:\d+: too many return values/, mark);

  mark = output.length;
  writeFileSync(main, `${source}\n// saved again\n`);
  await waitFor(/built main\.wasm in [\d.]+ s/, mark);
  await waitFor(/#\s+at\s+request\s+status/, mark);
}, BUILD_WAIT_MS * 3);
