/**
 * Turns the playground scenario into the starter project's scenario.yaml: the plugin becomes
 * ./main.wasm and the edited config is copied under `config`, since a .wasm path has no config.json.
 */
import { isMap, isScalar, parseDocument, type Pair } from 'yaml';
import { applyEdits, lineEnd, lineStart, type TextEdit } from './text-edits.ts';

/** The plugin path a starter scenario names, relative to the scenario file (src/cli/run.ts). */
export const STARTER_PLUGIN = './main.wasm';

/** The top-level keys the starter sets; any the author wrote are replaced. */
const REPLACED_KEYS = new Set(['plugin', 'config']);

/**
 * Returns the scenario text with `plugin: ./main.wasm` and `config: <configJson>` as its first
 * keys, replacing any `plugin` or `config` it had; everything else is kept byte for byte.
 * `configJson` is the edited config as one line of JSON, which YAML reads as a flow mapping.
 * A scenario that does not parse to a mapping is kept as it is, under comments that say which two
 * keys to add, so the reader's text is never lost.
 */
export function starterScenario(scenario: string, configJson: string): string {
  const doc = parseDocument(scenario);
  const lines = [
    `plugin: ${STARTER_PLUGIN}`,
    '# A copy of config.json: with a .wasm path, wasm-lab takes the plugin config from here.',
    `config: ${configJson}`,
  ];
  if (doc.errors.length === 0 && doc.contents === null) return `${scenario}${scenario === '' || scenario.endsWith('\n') ? '' : '\n'}${lines.join('\n')}\n`;
  const map = doc.contents;
  if (doc.errors.length > 0 || !isMap(map)) {
    return `# This scenario did not parse in the playground. Fix it, and keep these two keys in it:\n${lines.map((l) => `# ${l}`).join('\n')}\n${scenario}`;
  }
  if (map.flow) {
    // JSON or a one-line flow mapping: no lines to splice, so rewrite it through the document.
    map.items = map.items.filter((pair) => !REPLACED_KEYS.has(keyOf(pair)));
    const kept = map.items.length;
    doc.set('plugin', STARTER_PLUGIN);
    doc.set('config', JSON.parse(configJson));
    map.items.unshift(...map.items.splice(kept));
    return doc.toString();
  }
  const edits: TextEdit[] = [];
  for (const pair of map.items) {
    if (!REPLACED_KEYS.has(keyOf(pair))) continue;
    const keyRange = rangeOf(pair.key);
    const valueRange = rangeOf(pair.value);
    if (!keyRange) continue;
    edits.push({ start: lineStart(scenario, keyRange[0]), end: lineEnd(scenario, valueRange?.[2] ?? keyRange[2]), insert: '' });
  }
  const firstKey = rangeOf(map.items[0]?.key);
  const at = firstKey ? lineStart(scenario, firstKey[0]) : scenario.length;
  const indent = firstKey ? ' '.repeat(firstKey[0] - at) : '';
  edits.push({ start: at, end: at, insert: lines.map((l) => `${indent}${l}\n`).join('') });
  return applyEdits(scenario, edits);
}

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : '';
}

/** The node's source range [start, valueEnd, nodeEnd], when it came from the text. */
function rangeOf(node: unknown): readonly [number, number, number] | undefined {
  if (typeof node !== 'object' || node === null || !('range' in node)) return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && range.length === 3 ? (range as [number, number, number]) : undefined;
}
