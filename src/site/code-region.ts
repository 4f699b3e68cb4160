/**
 * Cuts a named region out of an example's source so pages show code that is built and tested,
 * never retyped. Regions are marked with `// region: <name>` and `// endregion` lines.
 */

const REGION_START = /^\s*\/\/\s*region:\s*(\S+)\s*$/;
const REGION_END = /^\s*\/\/\s*endregion\b/;

/** A region that a page asked for but the file does not have. */
export class RegionNotFoundError extends Error {
  readonly kind = 'region-not-found';
}

/** Removes region marker lines, keeping everything else as written. */
export function stripRegionMarkers(source: string): string {
  return source
    .split('\n')
    .filter((line) => !REGION_START.test(line) && !REGION_END.test(line))
    .join('\n');
}

/**
 * Returns the lines between `// region: name` and its `// endregion`, markers excluded, with
 * nested markers removed and the common indentation taken off.
 */
export function extractRegion(source: string, name: string, fileLabel = 'the file'): string {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => REGION_START.exec(line)?.[1] === name);
  if (start === -1) {
    const known = lines.map((l) => REGION_START.exec(l)?.[1]).filter(Boolean);
    throw new RegionNotFoundError(
      `${fileLabel} has no region "${name}"; regions there: ${known.length ? known.join(', ') : 'none'}.`,
    );
  }
  let depth = 0;
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (REGION_START.test(line)) depth++;
    else if (REGION_END.test(line)) {
      if (depth === 0) return dedent(body).join('\n');
      depth--;
    } else body.push(line);
  }
  throw new RegionNotFoundError(`${fileLabel}: region "${name}" has no closing // endregion.`);
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut));
}
