/**
 * Builds the "download as a starter project" folder: the example's Go sources with the reader's
 * edited config and scenario, plus a Makefile, a local gateway that runs exactly that config, and
 * what deploying it to Higress takes: the image's Dockerfile, a WasmPlugin generated from the
 * config, and a real Higress (all-in-one) to run locally in higress/.
 */
import { HarnessError } from '../../harness/errors.ts';
import { patchEnvoyYaml } from './envoy-config.ts';
import { redisClusterFor } from './redis-cluster.ts';
import { starterScenario } from './starter-scenario.ts';
import {
  imageFor,
  LOCAL_ROUTE,
  renderDockerfile,
  renderDockerignore,
  renderHigressCompose,
  renderIngress,
  renderMcpBridge,
  renderWasmPlugin,
  serviceSourceFor,
} from './higress.ts';
import { renderDockerCompose, renderEnvoyYaml, renderMakefile, renderReadme, type RedisCluster } from './templates.ts';

/** The example's files as text, and the reader's current edits. */
export interface StarterProjectInput {
  /** The example's folder name, e.g. `redis-limiter`. */
  example: string;
  /** The example's files by name: go.mod, go.sum, main.go, config.json, and docker-compose.yaml and envoy.yaml when it has them. */
  files: Record<string, string>;
  /** The config.json text in the playground editor. */
  config: string;
  /** The scenario YAML in the playground editor. */
  scenario: string;
  /** Who makes it: the playground's download (default) or `wasm-lab init`; the README says which. */
  origin?: 'playground' | 'init';
}

/** The files of every starter project, in the order a README would list them; starterFileNames adds the one named after the plugin. */
export const STARTER_FILES = [
  'README.md',
  'Makefile',
  'go.mod',
  'go.sum',
  'main.go',
  'config.json',
  'scenario.yaml',
  'docker-compose.yaml',
  'envoy.yaml',
  'Dockerfile',
  '.dockerignore',
  'wasmplugin.yaml',
  'higress/docker-compose.yaml',
  'higress/data/mcpbridges/default.yaml',
  `higress/data/ingresses/${LOCAL_ROUTE}.yaml`,
] as const;

/** The local Higress's WasmPlugin file: Higress names the resource after the file, so it carries the plugin's name. */
export function localWasmPluginFile(example: string): string {
  return `higress/data/wasmplugins/${example}.yaml`;
}

/** Every file of the example's starter project: STARTER_FILES and the local WasmPlugin. */
export function starterFileNames(example: string): string[] {
  return [...STARTER_FILES, localWasmPluginFile(example)];
}

const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go'] as const;

/** A starter project that cannot be built from what the playground holds. */
export class StarterProjectError extends HarnessError {
  constructor(kind: 'bad-config' | 'missing-file', message: string) {
    super(kind, message);
    this.name = 'StarterProjectError';
  }
}

/**
 * Returns the starter project's files by name (exactly starterFileNames(example); names with a `/`
 * are in folders). config.json is the edited text; envoy.yaml's plugin configuration is the same
 * config as one line of JSON; scenario.yaml names `./main.wasm` and carries the config, so
 * `wasm-lab test scenario.yaml` runs what the reader ran. The example's docker-compose.yaml and
 * envoy.yaml are used when it has them, else they are generated, with Redis only when the config
 * has a `serviceName`. wasmplugin.yaml and the local Higress's copy of it are generated from the
 * config; higress/ registers the service the config calls.
 * Throws StarterProjectError `bad-config` when the config is not JSON, and `missing-file` when
 * `files` lacks go.mod, go.sum or main.go.
 */
export function buildStarterProject(input: StarterProjectInput): Record<string, string> {
  const { example, files } = input;
  const config = parseConfig(input.config);
  const configJson = JSON.stringify(config);
  const redis = redisClusterFor(config);

  const sources: Record<string, string> = {};
  for (const name of SOURCE_FILES) {
    const text = files[name];
    if (text === undefined) {
      throw new StarterProjectError('missing-file', `examples/${example}/${name} was not given; pass every file of the example to buildStarterProject.`);
    }
    sources[name] = text;
  }
  const service = serviceSourceFor(redis, sources['main.go']!);

  const project: Record<string, string> = {
    'README.md': renderReadme({ example, redis, service, ...(input.origin ? { origin: input.origin } : {}) }),
    'Makefile': renderMakefile(example, imageFor(example)),
    ...sources,
    'config.json': withFinalNewline(input.config),
    'scenario.yaml': starterScenario(localCommands(withFinalNewline(input.scenario), example), configJson),
    'docker-compose.yaml': files['docker-compose.yaml'] ?? renderDockerCompose({ example, configJson, redis }),
    'envoy.yaml': envoyYaml(example, files, configJson, redis),
    'Dockerfile': renderDockerfile(example),
    '.dockerignore': renderDockerignore(),
    'wasmplugin.yaml': renderWasmPlugin({ example, config, service }),
    'higress/docker-compose.yaml': renderHigressCompose({ example, service }),
    'higress/data/mcpbridges/default.yaml': renderMcpBridge({ example, service }),
    [`higress/data/ingresses/${LOCAL_ROUTE}.yaml`]: renderIngress(),
    [localWasmPluginFile(example)]: renderWasmPlugin({ example, config, service, local: true }),
  };
  return project;
}

/** The example's envoy.yaml with the edited config and Redis cluster, or the template when it has none. */
function envoyYaml(example: string, files: Record<string, string>, configJson: string, redis: RedisCluster | undefined): string {
  const original = files['envoy.yaml'];
  if (original !== undefined) {
    const from = redisClusterFor(parseJsonOrUndefined(files['config.json']));
    const patched = patchEnvoyYaml(original, {
      configJson,
      renameCluster: from && redis ? { from, to: redis } : undefined,
    });
    if (patched !== undefined) return patched;
  }
  return renderEnvoyYaml({ example, configJson, redis });
}

function parseConfig(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new StarterProjectError('bad-config', `config.json is not valid JSON (${reason}); fix it in the editor, then download again.`);
  }
}

function parseJsonOrUndefined(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Rewrites `examples/<name>/scenario.yaml` in comments (as in "Run it: npx wasm-lab test …") to the project's own file. */
function localCommands(scenario: string, example: string): string {
  const path = `examples/${example}/scenario.yaml`;
  return scenario.replace(/^[ \t]*#.*$/gm, (line) => line.replaceAll(path, 'scenario.yaml'));
}

function withFinalNewline(text: string): string {
  return text === '' || text.endsWith('\n') ? text : `${text}\n`;
}
