/**
 * Finds the import paths of Go source files, with where each is written, so a build can say
 * plainly that a package is missing from the in-browser toolchain instead of the compiler's
 * "could not import regexp (open : Invalid argument)".
 */

export interface ImportSpec {
  path: string;
  /** 1-based line of the import path. */
  line: number;
  /** 1-based byte column of the path's opening quote, as the Go compiler counts. */
  col: number;
}

const encoder = new TextEncoder();

/** Blanks out comments and string contents' comment markers while keeping every line and column. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*|"(?:[^"\\\n]|\\.)*"|`[^`]*`/g, (match) =>
    match.startsWith('/') ? match.replace(/[^\n]/g, ' ') : match,
  );
}

/** The imports of one file, in order; stops at the first declaration after them. */
export function listImports(source: string): ImportSpec[] {
  const lines = withoutComments(source).split('\n');
  const imports: ImportSpec[] = [];
  let inBlock = false;
  const spec = /^(\s*(?:import\s+)?(?:[\w.]+\s+)?)"([^"]+)"/;
  lines.forEach((text, i) => {
    if (inBlock) {
      if (/^\s*\)/.test(text)) inBlock = false;
      const m = spec.exec(text);
      if (m) imports.push({ path: m[2]!, line: i + 1, col: encoder.encode(m[1]!).length + 1 });
      return;
    }
    if (/^\s*import\s*\(/.test(text)) {
      inBlock = true;
      // Specs may follow on the same line, separated by semicolons: import ("fmt"; "os").
      const open = text.indexOf('(') + 1;
      for (const m of text.slice(open).matchAll(/(^|;)(\s*(?:[\w.]+\s+)?)"([^"]+)"/g)) {
        imports.push({ path: m[3]!, line: i + 1, col: encoder.encode(text.slice(0, open + m.index + m[1]!.length) + m[2]!).length + 1 });
      }
      if (/\)\s*$/.test(text)) inBlock = false;
      return;
    }
    const single = /^\s*import\s+/.test(text) ? spec.exec(text) : null;
    if (single) imports.push({ path: single[2]!, line: i + 1, col: encoder.encode(single[1]!).length + 1 });
  });
  return imports;
}

/** Packages the compiler knows without an archive. */
const BUILT_IN = new Set(['unsafe', 'C']);

/** Every import of `sources` that no archive provides, as compiler-style diagnostics. */
export function missingImports(sources: Record<string, string>, available: ReadonlySet<string>): Array<{ file: string; line: number; col: number; message: string }> {
  return Object.entries(sources).flatMap(([file, text]) =>
    listImports(text)
      .filter((spec) => !available.has(spec.path) && !BUILT_IN.has(spec.path))
      .map((spec) => ({
        file,
        line: spec.line,
        col: spec.col,
        message: `package ${spec.path} is not in the in-browser Go toolchain, which has the packages this example's plugin links (standard library and Higress SDK) and common extras such as regexp, hash/fnv, encoding/xml, text/template and log/slog; to use it, build locally: GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared`,
      })),
  );
}
