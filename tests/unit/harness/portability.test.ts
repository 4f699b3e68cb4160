/**
 * The harness core runs in a browser Worker as well as in Node; only src/harness/node/ may use
 * Node. The sources are parsed with the TypeScript compiler, so a word in a comment or a property
 * named `window` is not mistaken for a use.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, test } from 'vitest';

const HARNESS = fileURLToPath(new URL('../../../src/harness/', import.meta.url));
const NODE_ONLY_DIR = join(HARNESS, 'node');

/** Bare packages the core may import, each known to run in a browser Worker. */
const BROWSER_SAFE_PACKAGES = new Set(['zod', 'yaml', 'fengari', '@noble/hashes']);

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

interface Source {
  path: string;
  file: ts.SourceFile;
}

function readCoreSources(): Source[] {
  return readdirSync(HARNESS, { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.ts'))
    .map((path) => join(HARNESS, path))
    .filter((path) => !path.startsWith(NODE_ONLY_DIR + '/'))
    .map((path) => ({ path, file: ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true) }));
}

function visit(node: ts.Node, onNode: (node: ts.Node) => void): void {
  onNode(node);
  node.forEachChild((child) => visit(child, onNode));
}

/** Every module specifier: static imports and re-exports, import(), require() and import types. */
function specifiers(file: ts.SourceFile): string[] {
  const found: string[] = [];
  visit(file, (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const [first] = node.arguments;
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if ((isImport || isRequire) && first && ts.isStringLiteralLike(first)) found.push(first.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
  });
  return found;
}

/** `react-dom/client` → `react-dom`, `@scope/pkg/sub` → `@scope/pkg`. */
function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Identifiers that refer to the browser globals `document` or `window`, not properties named so. */
function browserGlobalUses(file: ts.SourceFile): string[] {
  const found: string[] = [];
  visit(file, (node) => {
    if (!ts.isIdentifier(node) || (node.text !== 'document' && node.text !== 'window')) return;
    const parent = node.parent;
    const isPropertyName =
      (ts.isPropertyAccessExpression(parent) && parent.name === node && !isGlobalObject(parent.expression)) ||
      ((ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent) || ts.isPropertyDeclaration(parent) ||
        ts.isMethodDeclaration(parent) || ts.isMethodSignature(parent)) && parent.name === node);
    if (!isPropertyName) found.push(`${node.text} at line ${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  });
  return found;
}

function isGlobalObject(expression: ts.Expression): boolean {
  return ts.isIdentifier(expression) && ['globalThis', 'self'].includes(expression.text);
}

const CORE_SOURCES = readCoreSources();

/** Findings per file, as `path: finding` lines, so a failure names the offending file. */
function report(find: (source: Source) => string[]): string[] {
  return CORE_SOURCES.flatMap((source) => find(source).map((finding) => `${relative(HARNESS, source.path)}: ${finding}`));
}

describe('src/harness outside node/', () => {
  test('finds the core sources to check', () => {
    const paths = CORE_SOURCES.map(({ path }) => relative(HARNESS, path));
    expect(paths).toContain('wasi.ts');
    expect(paths).toContain('host/headers.ts');
    expect(paths.some((path) => path.startsWith('node/'))).toBe(false);
  });

  test('imports no Node built-in module', () => {
    expect(report(({ file }) => specifiers(file).filter((s) => NODE_BUILTINS.has(s)))).toEqual([]);
  });

  test('imports only packages known to run in a browser Worker', () => {
    const bare = ({ file }: Source) => specifiers(file).filter((s) => !s.startsWith('.') && !NODE_BUILTINS.has(s));
    expect(report((source) => bare(source).filter((s) => !BROWSER_SAFE_PACKAGES.has(packageName(s))))).toEqual([]);
  });

  test('imports nothing from src/harness/node/', () => {
    const intoNode = ({ path, file }: Source) =>
      specifiers(file).filter((s) => s.startsWith('.') && resolve(dirname(path), s).startsWith(NODE_ONLY_DIR + '/'));
    expect(report(intoNode)).toEqual([]);
  });

  test('references neither document nor window', () => {
    expect(report(({ file }) => browserGlobalUses(file))).toEqual([]);
  });
});

describe('the portability checks', () => {
  const parse = (code: string) => ts.createSourceFile('probe.ts', code, ts.ScriptTarget.Latest, true);

  test('see static, dynamic, type-only and require imports', () => {
    const file = parse(`
      import { readFile } from 'node:fs';
      export { join } from 'path';
      import type { Worker } from 'worker_threads';
      const net = await import('node:net');
      const os = require('os');
      type T = import('node:crypto').Hash;
    `);
    expect(specifiers(file)).toEqual(['node:fs', 'path', 'worker_threads', 'node:net', 'os', 'node:crypto']);
    expect(specifiers(file).every((s) => NODE_BUILTINS.has(s))).toBe(true);
  });

  test('flag browser globals but not comments or properties of the same name', () => {
    const file = parse(`
      // a minute window
      const limits = { window: 60 };
      limits.window = 30;
      const title = document.title;
      const w = globalThis.window;
    `);
    expect(browserGlobalUses(file)).toEqual(['document at line 5', 'window at line 6']);
  });

  test('name the package of a deep or scoped import', () => {
    expect(packageName('zod/v4')).toBe('zod');
    expect(packageName('@astrojs/starlight/components')).toBe('@astrojs/starlight');
  });
});
