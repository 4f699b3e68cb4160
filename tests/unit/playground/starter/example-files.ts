/** Reads an example's files the way the playground hands them to buildStarterProject. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const EXAMPLES_DIR = join(import.meta.dirname, '../../../../examples');

const EXAMPLE_FILES = ['go.mod', 'go.sum', 'main.go', 'config.json', 'scenario.yaml', 'docker-compose.yaml', 'envoy.yaml'];

/** The example's files by name, those it has only. */
export function readExampleFiles(example: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of EXAMPLE_FILES) {
    const path = join(EXAMPLES_DIR, example, name);
    if (existsSync(path)) files[name] = readFileSync(path, 'utf8');
  }
  return files;
}

/** The example's files without docker-compose.yaml and envoy.yaml, as an example that has none. */
export function withoutGatewayFiles(files: Record<string, string>): Record<string, string> {
  const { 'docker-compose.yaml': _compose, 'envoy.yaml': _envoy, ...rest } = files;
  return rest;
}

/** Every example folder with a plugin (main.go) and its config.json, sorted. */
export function examplesWithConfig(): string[] {
  return readdirSync(EXAMPLES_DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(EXAMPLES_DIR, d.name, 'main.go')) && existsSync(join(EXAMPLES_DIR, d.name, 'config.json')))
    .map((d) => d.name)
    .sort();
}
