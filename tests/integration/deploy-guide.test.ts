/**
 * The deploy page (guide/deploy, zh-CN and English): every shell command either runs here or is
 * listed with the reason it cannot (Docker, a registry, a gateway); the commands that can run do;
 * the per-route/per-domain config it shows becomes a valid WasmPlugin whose rules the real limiter
 * obeys; the responses and log lines it promises from a real Higress are what the limiter gives in
 * wasm-lab; and both languages show the same commands, files and outputs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, test } from 'vitest';
import { runScenario } from '../../src/harness/run.ts';
import { imageFor } from '../../src/playground/starter/higress.ts';
import { buildStarterProject } from '../../src/playground/starter/starter-project.ts';
import { translateMatchRules } from '../../src/site/match-rules.ts';
import { hasGo, loadExample, scenario } from '../helpers/plugins.ts';
import { runCli } from '../helpers/wasm-lab-cli.ts';
import { readExampleFiles } from '../unit/playground/starter/example-files.ts';
import { parseKubernetesYaml, wasmPluginProblems } from '../unit/playground/starter/wasmplugin-schema.ts';

const ROOT = join(import.meta.dirname, '../..');
const PAGES = { zh: 'content/docs/guide/deploy.mdx', en: 'content/docs/en/guide/deploy.mdx' };
const page = (lang: 'zh' | 'en') => readFileSync(join(ROOT, PAGES[lang]), 'utf8');
const ENV = { ...process.env, PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}` };

interface Block { lang: string; code: string }

/** Fenced code blocks, indented ones (inside <Steps>) included, dedented. */
function blocks(mdx: string): Block[] {
  return [...mdx.matchAll(/^([ \t]*)```(\w*)[^\n]*\n([\s\S]*?)\n\1```[ \t]*$/gm)].map((m) => ({
    lang: m[2]!,
    code: m[3]!.split('\n').map((line) => line.slice(Math.min(m[1]!.length, line.length - line.trimStart().length))).join('\n'),
  }));
}

/** The page's shell commands, one per line, comments dropped. */
const commands = (mdx: string) =>
  blocks(mdx).filter((b) => b.lang === 'sh').flatMap((b) => b.code.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter((l) => l && !l.startsWith('#')));

/** The config.json the page shows for rules (its `export const RULES_CONFIG`). */
const rulesConfig = (mdx: string) => /export const RULES_CONFIG = `([\s\S]*?)`;/.exec(mdx)?.[1];

const IMAGE = 'registry.example.com/wasm/redis-limiter:0.1.0';

/** Commands on the page that cannot run here, and why. */
const NOT_RUN: Record<string, string> = {
  'docker login registry.example.com': 'needs a registry',
  [`make push IMAGE=${IMAGE}`]: 'needs Docker and a registry; tests/unit/playground/starter/templates.test.ts runs the recipe with a stand-in docker',
  [`make push-oras IMAGE=${IMAGE}`]: 'needs oras and a registry; the recipe runs with a stand-in oras in templates.test.ts, and its lines up to oras run below',
  [`oras push ${IMAGE} ./README.md:application/vnd.module.wasm.doc.v1+markdown ./plugin.tar.gz:application/vnd.oci.image.layer.v1.tar+gzip`]: 'needs a registry; checked to be the Makefile\'s push-oras line below',
  [`oras manifest fetch ${IMAGE}`]: 'needs a registry',
  'kubectl apply -f wasmplugin.yaml': 'needs a Kubernetes cluster with Higress; the file is checked against the CRD in tests/unit/playground/starter',
  'kubectl get wasmplugins -n higress-system': 'needs a Kubernetes cluster with Higress',
  "kubectl logs -n higress-system deploy/higress-controller -c higress-core | grep 'invalid wasmPlugin'": 'needs a Kubernetes cluster with Higress',
  "kubectl exec -n higress-system deploy/higress-gateway -- curl -s localhost:15000/clusters | grep -m1 'outbound|80||redis.static'": 'needs a Kubernetes cluster with Higress',
  "kubectl exec -n higress-system deploy/higress-gateway -- curl -s -X POST 'localhost:15000/logging?wasm=debug'": 'needs a Kubernetes cluster with Higress',
  'make higress': 'needs a Docker daemon and the all-in-one image; the compose and data files are checked in tests/unit/playground/starter',
  "for i in 1 2 3 4; do curl -s -o /dev/null -D - http://localhost:8080/get | grep -iE '^HTTP|^calltimeleft'; done": 'needs the running Higress; the limiter\'s answers are checked with wasm-lab below',
  'docker compose -f higress/docker-compose.yaml exec higress grep redis-limiter /var/log/higress/gateway.log': 'needs the running Higress; the plugin\'s start lines are checked with wasm-lab below',
  "docker compose -f higress/docker-compose.yaml exec higress curl -s localhost:15000/clusters | grep -m1 'outbound|6379||redis.static'": 'needs the running Higress; the registered cluster is checked in tests/unit/playground/starter/higress.test.ts',
  'docker compose -f higress/docker-compose.yaml restart higress': 'needs the running Higress',
};

/** Commands this file runs. */
const RUN_HERE = ['npx wasm-lab init my-limiter --template limiter', 'cd my-limiter', 'make build', 'cp main.wasm plugin.wasm', 'tar czf plugin.tar.gz plugin.wasm'];

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

describe('the deploy page in both languages', () => {
  test('opens with what the reader will have', () => {
    const first = (mdx: string) => mdx.replace(/^---[\s\S]*?---\n/, '').split('\n').find((line) => line.startsWith('**'));
    expect(first(page('zh'))).toMatch(/^\*\*读完本页你会得到\*\*：\S/);
    expect(first(page('en'))).toMatch(/^\*\*At the end of this page you will have:\*\* \S/);
  });

  test('shows the same commands, files, configs and outputs in zh-CN and English', () => {
    const comparable = (mdx: string) => ({
      blocks: blocks(mdx).map((b) => `${b.lang}\n${b.code.split('\n').map((l) => l.replace(/\s+#.*$/, '').trimEnd()).join('\n')}`),
      files: [...mdx.matchAll(/<StarterFile[^>]*\/>/g)].map((m) => m[0].replace(/ title="[^"]*"/, '')),
      rules: rulesConfig(mdx),
    });
    expect(comparable(page('zh'))).toEqual(comparable(page('en')));
    expect(rulesConfig(page('en'))).toBeDefined();
  });

  test('says which commands were not run', () => {
    expect(page('en')).toContain('were **not run**');
    expect(page('zh')).toContain('**没有运行过**');
  });
});

describe('every shell command on the deploy page', () => {
  test('runs here or is listed with the reason it cannot', () => {
    const onPage = new Set(commands(page('en')));
    const accounted = new Set([...RUN_HERE, ...Object.keys(NOT_RUN)]);
    expect([...onPage].filter((c) => !accounted.has(c)), 'commands neither run nor explained').toEqual([]);
    expect([...accounted].filter((c) => !onPage.has(c)), 'listed commands the page no longer shows').toEqual([]);
  });

  test('pushes the image the generated Makefile and WasmPlugin name', () => {
    expect(imageFor('redis-limiter')).toBe(IMAGE);
  });

  describe.skipIf(!hasGo())('with Go', () => {
    const parent = mkdtempSync(join(tmpdir(), 'deploy-guide-'));
    temps.push(parent);
    const project = join(parent, 'my-limiter');

    test('init makes the project, make build builds it, and the oras lines package main.wasm as plugin.wasm', { timeout: 240_000 }, () => {
      const made = runCli(['init', 'my-limiter', '--template', 'limiter'], { cwd: parent, env: ENV });
      expect(made.status, made.stderr).toBe(0);
      for (const file of ['Dockerfile', 'wasmplugin.yaml', 'higress/docker-compose.yaml', 'higress/data/mcpbridges/default.yaml']) {
        expect(existsSync(join(project, file)), file).toBe(true);
      }
      const built = spawnSync('make', ['build'], { cwd: project, env: ENV, encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      for (const line of ['cp main.wasm plugin.wasm', 'tar czf plugin.tar.gz plugin.wasm']) {
        const run = spawnSync('bash', ['-c', line], { cwd: project, env: ENV, encoding: 'utf8' });
        expect(run.status, run.stderr).toBe(0);
      }
      const tar = gunzipSync(readFileSync(join(project, 'plugin.tar.gz')));
      expect(tar.subarray(0, 100).toString('utf8').replace(/\0.*$/s, '')).toBe('plugin.wasm');
      const size = parseInt(tar.subarray(124, 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
      expect(tar.subarray(512, 512 + size).equals(readFileSync(join(project, 'main.wasm')))).toBe(true);
      // The page's oras line is the Makefile's, with the image filled in.
      const recipe = /^\toras push .*$/m.exec(readFileSync(join(project, 'Makefile'), 'utf8'))![0].trim();
      expect(commands(page('en'))).toContain(recipe.replace('$(IMAGE)', IMAGE));
    });
  });
});

describe('what the page promises from the limiter', () => {
  const files = readExampleFiles('redis-limiter');

  test('its per-route and per-domain config.json becomes a valid WasmPlugin that gives the plugin the same rules', () => {
    const config = rulesConfig(page('en'))!;
    const project = buildStarterProject({ example: 'redis-limiter', files, config, scenario: files['scenario.yaml']!, origin: 'init' });
    const doc = parseKubernetesYaml(project['wasmplugin.yaml']!);
    expect(wasmPluginProblems(doc)).toEqual([]);
    expect(doc).toMatchObject({ spec: { matchRules: [{ ingress: ['httpbin'] }, { domain: ['*.example.com'] }] } });
    expect(translateMatchRules(doc).json).toEqual(JSON.parse(config));
  });

  test('the limiter obeys those rules, with one counter for all of them', async () => {
    const plugin = await loadExample('redis-limiter');
    const config = translateMatchRules(parseKubernetesYaml(
      buildStarterProject({ example: 'redis-limiter', files, config: rulesConfig(page('en'))!, scenario: files['scenario.yaml']!, origin: 'init' })['wasmplugin.yaml']!,
    )).json!;
    const run = async (yaml: string) => (await runScenario({ module: plugin.bytes, scenario: scenario(yaml), config })).outcomes.map((o) => o.status);
    const clusters = 'clusters:\n  - { type: redis, name: redis.static, port: 6379 }\n';
    // The route httpbin: qpm 3.
    expect(await run(`${clusters}route: httpbin\nrequests:\n  - { path: /get, repeat: 4, every: 1s }\n`)).toEqual([200, 200, 200, 429]);
    // A *.example.com host: qpm 3000.
    expect(await run(`${clusters}domain: api.example.com\nrequests:\n  - { path: /get, repeat: 4, every: 1s }\n`)).toEqual([200, 200, 200, 200]);
    // Rules change the limit, not the counter: two requests elsewhere count against httpbin's 3.
    expect(await run(`${clusters}requests:\n  - { path: /get, repeat: 2, every: 1s }\n  - { path: /get, route: httpbin, at: 2s }\n  - { path: /get, route: httpbin, at: 3s }\n`)).toEqual([200, 200, 200, 429]);
  });

  test('a rule config without serviceName makes the limiter refuse its configuration', async () => {
    const plugin = await loadExample('redis-limiter');
    const config = { serviceName: 'redis.static', servicePort: 6379, qpm: 3, _rules_: [{ _match_route_: ['httpbin'], qpm: 3 }] };
    const result = await runScenario({ module: plugin.bytes, scenario: scenario('requests:\n  - { path: /get }\n'), config }).catch((error: unknown) => error);
    const text = JSON.stringify(result instanceof Error ? result.message : result);
    expect(text).toContain('serviceName: required');
  });

  test('four requests in a minute answer as the page shows: 200, 200, 200, then 429, with calltimeleft', async () => {
    const plugin = await loadExample('redis-limiter');
    const { outcomes } = await runScenario({ module: plugin.bytes, scenario: scenario('clusters:\n  - { type: redis, name: redis.static, port: 6379 }\nrequests:\n  - { path: /get, repeat: 4, every: 1s }\n'), config: plugin.defaultConfig });
    const REASONS: Record<number, string> = { 200: 'OK', 429: 'Too Many Requests' };
    const shown = outcomes.flatMap((o) => [`HTTP/1.1 ${o.status} ${REASONS[o.status]}`, `calltimeleft: ${o.headers.find(([name]) => name === 'calltimeleft')?.[1]}`]);
    for (const lang of ['en', 'zh'] as const) {
      const block = blocks(page(lang)).find((b) => b.lang === 'text' && b.code.startsWith('HTTP/1.1 200 OK'));
      expect(block?.code.split('\n')).toEqual(shown);
    }
    expect(outcomes.every((o) => o.headers.some(([name]) => name === 'timestamp'))).toBe(true);
  });

  test('the plugin starts with the two info lines the page shows after "wasm log higress-system.redis-limiter: "', async () => {
    const plugin = await loadExample('redis-limiter');
    const { startup } = await runScenario({ module: plugin.bytes, scenario: scenario('clusters:\n  - { type: redis, name: redis.static, port: 6379 }\nrequests:\n  - { path: /get }\n'), config: plugin.defaultConfig, pluginName: 'redis-limiter' });
    const prefix = '[info][wasm] wasm log higress-system.redis-limiter: ';
    const shown = blocks(page('en')).find((b) => b.lang === 'text' && b.code.startsWith(prefix))!.code.split('\n').map((l) => l.slice(prefix.length));
    const infos = startup.logs.filter((l) => l.level === 'info').map((l) => l.message);
    for (const line of shown) expect(infos).toContain(line);
    expect(shown).toHaveLength(2);
  });
});
