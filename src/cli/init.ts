/**
 * `wasm-lab init <dir> [--template <name>]`: a new plugin project from one of the site's examples,
 * made the way the playground's "download as a starter project" makes it (src/playground/starter/):
 * go.mod with the pinned SDK, main.go, config.json, a scenario.yaml with expect blocks that names
 * ./main.wasm, a Makefile (make build, make test), docker-compose.yaml and envoy.yaml, the deploy
 * files (Dockerfile, wasmplugin.yaml, a local Higress in higress/), and the example's pkg/test unit
 * test when it has one. `make build && make test` passes in it as made.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closest, HarnessError, show } from '../harness/errors.ts';
import { REPO_ROOT } from '../harness/node/plugin-files.ts';
import { buildStarterProject } from '../playground/starter/starter-project.ts';
import { DEFAULT_INIT_TEMPLATE, INIT_TEMPLATES, type InitTemplate } from './init-templates.ts';

/** The example files a project is made from; main_test.go joins the starter's files when the example has one. */
const SOURCE_FILES = ['go.mod', 'go.sum', 'main.go', 'main_test.go', 'config.json', 'scenario.yaml', 'docker-compose.yaml', 'envoy.yaml'];

export async function initCommand(args: { dir: string; template?: string }): Promise<number> {
  const template = findTemplate(args.template ?? DEFAULT_INIT_TEMPLATE);
  const target = resolve(args.dir);
  if (existsSync(target) && readdirSync(target).length > 0) {
    throw new HarnessError('bad-input', `${args.dir} is not empty; name a new folder, e.g. wasm-lab init my-plugin.`);
  }
  const files = templateFiles(template);
  const project = buildStarterProject({ example: template.example, files, config: files['config.json']!, scenario: files['scenario.yaml']!, origin: 'init' });
  // The module is the reader's now: named after its folder (go.sum does not depend on the name).
  project['go.mod'] = project['go.mod']!.replace(/^module .*$/m, `module ${moduleName(target)}`);
  if (files['main_test.go'] !== undefined) project['main_test.go'] = files['main_test.go'];
  mkdirSync(target, { recursive: true });
  for (const [name, text] of Object.entries(project)) {
    // higress/… files sit in folders.
    mkdirSync(dirname(join(target, name)), { recursive: true });
    writeFileSync(join(target, name), text);
  }
  const shown = relative(process.cwd(), target) || '.';
  console.log(`made a ${template.name} plugin project in ${shown}/ (${Object.keys(project).length} files, from the Lab's ${template.example} example)`);
  console.log(`next:\n  cd ${shown}\n  make build    # main.wasm, needs Go 1.24 or newer\n  make test     # wasm-lab test scenario.yaml${files['main_test.go'] ? '\n  go test ./... # the unit tests, with the wasm-go test framework' : ''}`);
  return 0;
}

/** A Go module path from the folder's name: lower-case letters, digits, dots, dashes and underscores. */
function moduleName(dir: string): string {
  return basename(dir).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'plugin';
}

function findTemplate(name: string): InitTemplate {
  const template = INIT_TEMPLATES.find((t) => t.name === name);
  if (template) return template;
  const names = INIT_TEMPLATES.map((t) => t.name);
  const near = closest(name, names);
  throw new HarnessError('bad-input', `there is no template ${show(name)}; ${near ? `did you mean "${near}"? The templates are ${names.join(', ')}.` : `use one of ${names.join(', ')}.`}`);
}

/**
 * The template's files: from the package's templates/ (installed wasm-lab), else from the
 * repository's examples/ (a clone).
 */
function templateFiles(template: InitTemplate): Record<string, string> {
  const packaged = new URL(`../templates/${template.name}/`, import.meta.url);
  // fileURLToPath, not .pathname: a folder with a space in its name is percent-encoded in a URL.
  const dir = existsSync(packaged) ? fileURLToPath(packaged) : join(REPO_ROOT, 'examples', template.example);
  const files: Record<string, string> = {};
  for (const name of SOURCE_FILES) {
    const path = join(dir, name);
    if (existsSync(path)) files[name] = readFileSync(path, 'utf8');
  }
  return files;
}
