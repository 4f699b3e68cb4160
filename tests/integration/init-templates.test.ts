/**
 * Every `wasm-lab init` template makes a project that builds with Go and passes its own scenario
 * as made: `make build && make test`, the promise the CLI page makes for each.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { INIT_TEMPLATES } from '../../src/cli/init-templates.ts';
import { starterFileNames } from '../../src/playground/starter/starter-project.ts';
import { runCli } from '../helpers/wasm-lab-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'wasm-lab-init-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: string[], cwd: string) => runCli(args, { cwd });

describe('wasm-lab init', () => {
  for (const template of INIT_TEMPLATES) {
    test(`--template ${template.name} builds and passes its scenario`, () => {
      const project = join(dir, template.name);
      const made = cli(['init', project, '--template', template.name], dir);
      expect(made.status, made.stderr).toBe(0);
      expect(readFileSync(join(project, 'go.mod'), 'utf8')).toMatch(new RegExp(`^module ${template.name}$`, 'm'));
      // The starter files, the higress/ ones in their folders, and the example's unit test when it has one.
      const hasTest = existsSync(join(import.meta.dirname, '../../examples', template.example, 'main_test.go'));
      const files = readdirSync(project, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(project, join(entry.parentPath, entry.name)));
      expect(files.sort()).toEqual([...starterFileNames(template.example), ...(hasTest ? ['main_test.go'] : [])].sort());
      const built = spawnSync('make', ['build'], { cwd: project, encoding: 'utf8' });
      expect(built.status, built.stderr).toBe(0);
      const tested = cli(['test', 'scenario.yaml'], project);
      expect(tested.stdout, tested.stderr).toContain('1 passed, 0 failed');
      expect(tested.status).toBe(0);
    }, 240_000);
  }
});
