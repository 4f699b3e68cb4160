/**
 * Rewrites an example's envoy.yaml for the reader's config: the wasm filter's StringValue becomes
 * the edited config, and a Redis cluster is renamed when the edited config names another one.
 */
import { isMap, isPair, isScalar, parseDocument, visit } from 'yaml';
import { yamlName, yamlSingleQuoted, type RedisCluster } from './templates.ts';
import { applyEdits, type TextEdit } from './text-edits.ts';

const STRING_VALUE_TYPE = 'type.googleapis.com/google.protobuf.StringValue';

/** How to change an example's envoy.yaml. */
export interface EnvoyPatch {
  /** The plugin configuration as one line of JSON. */
  configJson: string;
  /** A Redis cluster to rename where its name appears as a value (name, cluster_name) or in a comment. */
  renameCluster?: { from: RedisCluster; to: RedisCluster } | undefined;
}

/**
 * Returns envoy.yaml with every wasm filter's `configuration` StringValue set to `configJson`
 * (single-quoted) and the cluster renamed, keeping the rest of the text as it was. Returns
 * undefined when the text does not parse or has no StringValue `configuration`, so the caller can
 * fall back to the template instead of shipping a gateway that runs another config.
 */
export function patchEnvoyYaml(text: string, patch: EnvoyPatch): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  const edits: TextEdit[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (!isScalar(pair.key) || pair.key.value !== 'configuration' || !isMap(pair.value)) return;
      if (pair.value.get('@type') !== STRING_VALUE_TYPE) return;
      const value = pair.value.items.find((p) => isScalar(p.key) && p.key.value === 'value')?.value;
      if (!isScalar(value) || !value.range) return;
      edits.push({ start: value.range[0], end: value.range[1], insert: yamlSingleQuoted(patch.configJson) });
    },
  });
  if (edits.length === 0) return undefined;
  const rename = patch.renameCluster;
  if (!rename || rename.from.name === rename.to.name) return applyEdits(text, edits);
  visit(doc, {
    Scalar(_, node, path) {
      const parent = path.at(-1);
      // Only values: a key that happens to equal the name is left alone.
      if (isPair(parent) && parent.key === node) return;
      if (node.value !== rename.from.name || !node.range) return;
      edits.push({ start: node.range[0], end: node.range[1], insert: yamlName(rename.to.name) });
    },
  });
  return renameInComments(applyEdits(text, edits), rename.from, rename.to);
}

/** Keeps comments that explain the cluster name (like examples/redis-limiter/envoy.yaml's header) true after a rename. */
function renameInComments(text: string, from: RedisCluster, to: RedisCluster): string {
  return text.replace(/^([ \t]*#.*)$/gm, (line) => line
    .replaceAll(`FQDN: "${from.fqdn}", Port: ${from.port}`, `FQDN: "${to.fqdn}", Port: ${to.port}`)
    .replaceAll(from.name, to.name));
}
