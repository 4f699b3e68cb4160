/**
 * Checks a WasmPlugin document against the fields, types and enum values of Higress's CRD
 * (alibaba/higress api/extensions/v1alpha1/wasmplugin.proto; reference/deploy.md §2.1).
 * Returns one sentence per problem, so a failing test says what is wrong where.
 */
import { parse } from 'yaml';
import { FAIL_STRATEGIES, PLUGIN_PHASES, PULL_POLICIES } from '../../../../src/playground/starter/higress.ts';

const SPEC_FIELDS = [
  'url', 'sha256', 'imagePullPolicy', 'imagePullSecret', 'verificationKey', 'pluginConfig', 'pluginName',
  'phase', 'priority', 'failStrategy', 'vmConfig', 'defaultConfig', 'matchRules', 'defaultConfigDisable',
];
const MATCH_FIELDS = ['ingress', 'domain', 'service'] as const;
const RULE_FIELDS = [...MATCH_FIELDS, 'config', 'configDisable'];
const INT32 = 2 ** 31;

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNameList = (v: unknown) => Array.isArray(v) && v.length > 0 && v.every((s) => typeof s === 'string' && s !== '');

/**
 * Parses YAML the way Kubernetes (YAML 1.1) and a YAML 1.2 reader would, and fails if they differ:
 * a value like `on` would be true for kubectl and "on" for the test.
 */
export function parseKubernetesYaml(text: string): unknown {
  const v12 = parse(text);
  const v11 = parse(text, { version: '1.1' });
  if (JSON.stringify(v11) !== JSON.stringify(v12)) throw new Error('the YAML reads differently as YAML 1.1 (Kubernetes) and 1.2');
  return v12;
}

/** What is wrong with a WasmPlugin; empty when nothing. */
export function wasmPluginProblems(doc: unknown): string[] {
  const problems: string[] = [];
  if (!isMapping(doc)) return ['the document is not a mapping'];
  if (doc.apiVersion !== 'extensions.higress.io/v1alpha1') problems.push(`apiVersion is ${String(doc.apiVersion)}`);
  if (doc.kind !== 'WasmPlugin') problems.push(`kind is ${String(doc.kind)}`);
  const metadata = doc.metadata;
  if (!isMapping(metadata) || typeof metadata.name !== 'string' || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(metadata.name)) {
    problems.push('metadata.name is not a DNS-1123 name');
  }
  if (!isMapping(metadata) || metadata.namespace !== 'higress-system') problems.push('metadata.namespace is not higress-system');
  const spec = doc.spec;
  if (!isMapping(spec)) return [...problems, 'spec is not a mapping'];
  for (const key of Object.keys(spec)) if (!SPEC_FIELDS.includes(key)) problems.push(`spec.${key} is not a WasmPlugin field`);
  if (typeof spec.url !== 'string' || !/^(oci|file|https?):\/\/\S+$/.test(spec.url)) problems.push(`spec.url ${String(spec.url)} is not an oci://, file:// or http(s):// URL`);
  if (!(PLUGIN_PHASES as readonly unknown[]).includes(spec.phase)) problems.push(`spec.phase ${String(spec.phase)} is not one of ${PLUGIN_PHASES.join(', ')}`);
  if (!(FAIL_STRATEGIES as readonly unknown[]).includes(spec.failStrategy)) problems.push(`spec.failStrategy ${String(spec.failStrategy)} is not one of ${FAIL_STRATEGIES.join(', ')}`);
  if (!(PULL_POLICIES as readonly unknown[]).includes(spec.imagePullPolicy)) problems.push(`spec.imagePullPolicy ${String(spec.imagePullPolicy)} is not one of ${PULL_POLICIES.join(', ')}`);
  if (!Number.isInteger(spec.priority) || (spec.priority as number) < -INT32 || (spec.priority as number) >= INT32) problems.push(`spec.priority ${String(spec.priority)} is not an int32`);
  if (spec.imagePullSecret !== undefined && typeof spec.imagePullSecret !== 'string') problems.push('spec.imagePullSecret is not a string');
  if (!isMapping(spec.defaultConfig)) problems.push('spec.defaultConfig is not a mapping');
  if (spec.pluginConfig !== undefined) problems.push('spec.pluginConfig is set, so Higress would ignore defaultConfig and matchRules');
  if (spec.matchRules !== undefined) {
    if (!Array.isArray(spec.matchRules)) problems.push('spec.matchRules is not a list');
    else spec.matchRules.forEach((rule, i) => problems.push(...ruleProblems(rule, `spec.matchRules[${i}]`)));
  }
  return problems;
}

function ruleProblems(rule: unknown, where: string): string[] {
  if (!isMapping(rule)) return [`${where} is not a mapping`];
  const problems: string[] = [];
  for (const key of Object.keys(rule)) if (!RULE_FIELDS.includes(key)) problems.push(`${where}.${key} is not a match rule field`);
  const lists = MATCH_FIELDS.filter((f) => rule[f] !== undefined);
  if (lists.length !== 1) problems.push(`${where} has ${lists.length} of ingress, domain and service, not exactly one`);
  for (const f of lists) if (!isNameList(rule[f])) problems.push(`${where}.${f} is not a non-empty list of names`);
  if (rule.config === undefined && rule.configDisable === undefined) problems.push(`${where} has neither config nor configDisable`);
  if (rule.config !== undefined && !isMapping(rule.config)) problems.push(`${where}.config is not a mapping`);
  if (rule.configDisable !== undefined && typeof rule.configDisable !== 'boolean') problems.push(`${where}.configDisable is not a boolean`);
  return problems;
}
