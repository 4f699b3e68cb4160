/**
 * Packs package archives into bundles for download. Brotli compresses one 66 MiB bundle to 9.3 MiB
 * but the same archives one by one to 11.4 MiB (Go archives repeat symbol and type names across
 * packages), so archives travel together. To keep "download only what the example links", archives
 * are grouped by the set of examples that link them: an example fetches the bundles whose set
 * contains it, which hold exactly its closure, and every archive lives in one bundle only.
 */

/** Archive groups in a stable order; each group's archives in link order (dependencies first). */
export function planBundles(examples: Record<string, { packages: Array<[importPath: string, archive: string]> }>): string[][] {
  const users = new Map<string, string[]>();
  for (const name of Object.keys(examples).sort()) {
    for (const [, archive] of examples[name]!.packages) {
      const list = users.get(archive) ?? [];
      if (!list.includes(name)) list.push(name);
      users.set(archive, list);
    }
  }
  const groups = new Map<string, string[]>();
  for (const [archive, names] of users) {
    const key = names.join('\n');
    groups.set(key, [...(groups.get(key) ?? []), archive]);
  }
  // Most widely shared first: that is the bundle every reader downloads.
  return [...groups.entries()].sort(([a], [b]) => b.split('\n').length - a.split('\n').length || a.localeCompare(b)).map(([, archives]) => archives);
}
