import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { beforeAll, describe, expect, test } from 'vitest';
import { buildPlugin } from '../../src/gobuild/build-plugin.ts';
import { listImports } from '../../src/gobuild/go-imports.ts';
import type { Outcome } from '../../src/harness/outcome.ts';
import { runScenario } from '../../src/harness/run.ts';
import { loadToolchain, type LoadedToolchain } from '../helpers/go-tools.ts';
import { listExamples, loadExample, scenario, scenarioFiles } from '../helpers/plugins.ts';

const ROOT = join(import.meta.dirname, '../..');
const EXAMPLES = listExamples();

let toolchain: LoadedToolchain;
// Publishing compresses the toolchain once per Go version (minutes); `npm test` has done it in its build step.
beforeAll(async () => {
  toolchain = await loadToolchain();
}, 600_000);

/** What an outcome says about the plugin's behaviour: everything but real-time measurements. */
const behaviour = (outcomes: Outcome[]) => outcomes.map(({ pluginTimeUs: _t, trace: _tr, ...rest }) => rest);

// A ceiling for a hang, not a speed limit: the first build (tools compiled on first use) takes about
// 20 s on an idle machine and several times that at a load of 10 on two cores.
describe('buildPlugin with the js/wasm Go compiler and linker', { timeout: 600_000 }, () => {
  for (const example of EXAMPLES) {
    test(`builds ${example} into a plugin that behaves like the natively built one on every scenario`, async () => {
      const native = await loadExample(example);
      const built = await buildPlugin(toolchain.tools, toolchain.sources(example), await toolchain.loader.packages(example), {
        lang: toolchain.loader.manifest.examples[example]!.lang,
      });
      if (!built.ok) throw new Error(`${example} did not build:\n${built.output}`);
      const scenarios = scenarioFiles(example);
      expect(scenarios.length).toBeGreaterThan(0);
      for (const file of scenarios) {
        const yaml = readFileSync(join(ROOT, 'examples', example, file), 'utf8');
        const run = (module: Uint8Array) => runScenario({ module, scenario: scenario(yaml), defaultConfig: native.defaultConfig, pluginName: example });
        expect(behaviour((await run(built.wasm)).outcomes), `${example}/${file}`).toEqual(behaviour((await run(native.bytes)).outcomes));
      }
    });
  }

  test('returns a syntax error with its line and column and no plugin', async () => {
    const result = await buildPlugin(toolchain.tools, { 'main.go': 'package main\n\nfunc init() {\n\tx := \n}\n\nfunc main() {}\n' }, await toolchain.loader.packages('hello-world'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.phase).toBe('compile');
    expect(result.diagnostics[0]).toMatchObject({ file: 'main.go', line: 5, col: 1 });
    expect(result.diagnostics[0]!.message).toMatch(/syntax error/);
  });

  test('names an import the toolchain lacks at its line, and builds with the standard-library extras', async () => {
    const sources = toolchain.sources('hello-world');
    const withImports = (uses: Record<string, string>) =>
      sources['main.go']!.replace('import (', `import (\n${Object.keys(uses).map((p) => `\t"${p}"\n`).join('')}`).replace('func main() {}', `func main() {}\n\n${Object.values(uses).map((u) => `var _ = ${u}\n`).join('')}`);
    const build = async (text: string) => {
      const imports = listImports(text).map((spec) => spec.path);
      return buildPlugin(toolchain.tools, { ...sources, 'main.go': text }, await toolchain.loader.packages('hello-world', imports));
    };
    const lacking = withImports({ 'archive/tar': 'tar.NewReader' });
    const missing = await build(lacking);
    expect(missing.ok).toBe(false);
    if (missing.ok) return;
    const line = lacking.split('\n').findIndex((l) => l.includes('"archive/tar"')) + 1;
    expect(missing.diagnostics).toEqual([expect.objectContaining({ file: 'main.go', line, col: 2, message: expect.stringMatching(/^package archive\/tar is not in the in-browser Go toolchain/) })]);
    // regexp and hash/fnv are not in hello-world's closure: they come from the extras bundle.
    const extras = await build(withImports({ regexp: 'regexp.MustCompile', 'hash/fnv': 'fnv.New32a' }));
    expect(extras.ok).toBe(true);
  });

  test('returns a type error in the limiter with its line and column', async () => {
    const sources = toolchain.sources('redis-limiter');
    const lines = sources['main.go']!.split('\n');
    const at = lines.findIndex((l) => l.includes('count := response.Integer()'));
    lines[at] = lines[at]!.replace('count := response.Integer()', 'count := response.String() + 1');
    const result = await buildPlugin(toolchain.tools, { ...sources, 'main.go': lines.join('\n') }, await toolchain.loader.packages('redis-limiter'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diagnostics[0]).toMatchObject({ file: 'main.go', line: at + 1 });
    expect(result.diagnostics[0]!.col).toBeGreaterThan(1);
  });

  test('throws out-of-memory naming the compiler, then the linker, when their memory cannot grow past the engine limit', async () => {
    const sources = toolchain.sources('redis-limiter');
    const packages = await toolchain.loader.packages('redis-limiter');
    // V8's cap on wasm memory, in 64 KiB pages: 32 MiB stops the compiler (it peaks near 54 MiB),
    // 100 MiB lets it through and stops the linker (near 160 MiB). Go's runtime then dies with "fatal error: out of memory".
    const buildWithPages = async (pages: number) => {
      setFlagsFromString(`--wasm-max-mem-pages=${pages}`);
      try {
        return await buildPlugin(toolchain.tools, sources, packages).then(() => null, (error: unknown) => error);
      } finally {
        setFlagsFromString('--wasm-max-mem-pages=4294967295');
      }
    };
    const outOfMemory = (tool: string) => ({ name: 'GoBuildError', kind: 'out-of-memory', tool, message: expect.stringMatching(/^runtime: out of memory: cannot allocate \d+-byte block/) });
    expect(await buildWithPages(512)).toMatchObject(outOfMemory('compile'));
    expect(await buildWithPages(1600)).toMatchObject(outOfMemory('link'));
  });

  test('builds an edited limiter whose rejection status really changes (429 → 503)', async () => {
    const sources = toolchain.sources('redis-limiter');
    const edited = sources['main.go']!.replace('proxywasm.SendHttpResponse(429,', 'proxywasm.SendHttpResponse(503,');
    expect(edited).not.toBe(sources['main.go']);
    const built = await buildPlugin(toolchain.tools, { ...sources, 'main.go': edited }, await toolchain.loader.packages('redis-limiter'));
    if (!built.ok) throw new Error(built.output);
    const yaml = readFileSync(join(ROOT, 'examples/redis-limiter/scenario.yaml'), 'utf8');
    const { outcomes } = await runScenario({ module: built.wasm, scenario: scenario(yaml), defaultConfig: (await loadExample('redis-limiter')).defaultConfig });
    expect(outcomes.map((o) => o.status)).toEqual([200, 200, 200, 503, 200]);
  });
});
