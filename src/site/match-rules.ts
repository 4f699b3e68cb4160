/**
 * What a Higress plugin actually receives: a WasmPlugin's `defaultConfig` and `matchRules` turned
 * into one JSON document with a `_rules_` list, as the controller does it (alibaba/higress
 * pkg/ingress/config/ingress_config.go, convertIstioWasmPlugin; reference higress-sdk.md §8.5).
 * Pure: takes the parsed YAML value, never a string, and touches no DOM.
 */

export type Lang = 'en' | 'zh-CN';
export type PathKey = string | number;

/** The translation: the JSON the plugin gets, and what the reader should know about it. */
export interface MatchRulesTranslation {
  /** The plugin configuration; null when Higress does not push the plugin to the gateway at all. */
  json: Record<string, unknown> | null;
  /** One sentence each, in the requested language. */
  warnings: string[];
}

/** A WasmPlugin Higress would reject or that is not a WasmPlugin; `path` points into the input. */
export class MatchRulesError extends Error {
  readonly kind = 'invalid-wasmplugin';
  readonly path: PathKey[];
  constructor(message: string, path: PathKey[]) {
    super(message);
    this.name = 'MatchRulesError';
    this.path = path;
  }
}

/** The pre-filled example of the translator: the reference's `qpm` example, with a domain rule. */
export const EXAMPLE_WASMPLUGIN_YAML = `apiVersion: extensions.higress.io/v1alpha1
kind: WasmPlugin
metadata:
  name: redis-limiter
  namespace: higress-system
spec:
  url: oci://registry.example.com/plugins/redis-limiter:1.0.0
  defaultConfig:
    serviceName: redis.static
    qpm: 100
  matchRules:
    - ingress:
        - default/foo
      config:
        serviceName: redis.static
        qpm: 10
    - domain:
        - "*.example.com"
      config:
        serviceName: redis.static
        qpm: 1000
    - service:
        - httpbin.default.svc.cluster.local
      configDisable: true
`;

type Messages = {
  notMapping: (where: string) => string;
  notWasmPlugin: (where: string, kind: string) => string;
  notObject: (where: string) => string;
  notBoolean: (where: string) => string;
  notList: (where: string) => string;
  notStringList: (where: string, example: string) => string;
  noMatch: (where: string) => string;
  pluginConfigWins: (where: string) => string;
  defaultDropped: (where: string) => string;
  notPushed: string;
  emptyConfig: string;
  allRulesOffGlobal: string;
  noGlobal: string;
  unknownField: (where: string, close: string | undefined) => string;
  reservedKey: (where: string, key: string) => string;
  ignoredMatch: (where: string, kept: string, ignored: string) => string;
};

const MESSAGES: Record<Lang, Messages> = {
  en: {
    notMapping: (where) => `${where} is not a mapping; paste a WasmPlugin document or its spec.`,
    notWasmPlugin: (where, kind) => `${where} is "${kind}", not WasmPlugin; paste a Higress WasmPlugin (extensions.higress.io/v1alpha1).`,
    notObject: (where) => `${where} must be a mapping of config keys, like "qpm: 10".`,
    notBoolean: (where) => `${where} must be true or false.`,
    notList: (where) => `${where} must be a list of rules, each starting with "- ".`,
    notStringList: (where, example) => `${where} must be a list of strings; write it as [${example}].`,
    noMatch: (where) =>
      `${where} has no ingress, domain or service, and Higress rejects the whole WasmPlugin for it; add one, or set configDisable: true.`,
    pluginConfigWins: (where) => `${where} is set, so Higress sends it as is and ignores defaultConfig and matchRules.`,
    defaultDropped: (where) => `${where} is not sent, because defaultConfigDisable is true.`,
    notPushed: 'defaultConfigDisable is true and no rule is enabled, so Higress does not push this plugin to the gateway at all.',
    emptyConfig: 'Neither defaultConfig nor an enabled rule is set: the plugin gets an empty configuration and runs on every request.',
    allRulesOffGlobal: 'Every rule is disabled, so only the global config is sent and it applies to every request.',
    noGlobal: 'There is no global config, so requests that match no rule skip the plugin.',
    unknownField: (where, close) => `${where} is not a field Higress reads${close ? `; did you mean ${close}?` : ', so it is ignored.'}`,
    reservedKey: (where, key) => `${where} sets ${key} itself; the value made from the rule's match lists replaces it.`,
    ignoredMatch: (where, kept, ignored) => `${where} lists ${kept} and ${ignored}; wasm-go matches such a rule by ${kept} only and ignores ${ignored}.`,
  },
  'zh-CN': {
    notMapping: (where) => `${where} 不是映射（mapping）；请粘贴完整的 WasmPlugin 或它的 spec。`,
    notWasmPlugin: (where, kind) => `${where} 是 "${kind}"，不是 WasmPlugin；请粘贴 Higress 的 WasmPlugin（extensions.higress.io/v1alpha1）。`,
    notObject: (where) => `${where} 必须是配置项的映射，例如 "qpm: 10"。`,
    notBoolean: (where) => `${where} 只能是 true 或 false。`,
    notList: (where) => `${where} 必须是规则列表，每条以 "- " 开头。`,
    notStringList: (where, example) => `${where} 必须是字符串列表；请写成 [${example}]。`,
    noMatch: (where) => `${where} 没有 ingress、domain 或 service，Higress 会因此拒绝整个 WasmPlugin；请加上其中一项，或设置 configDisable: true。`,
    pluginConfigWins: (where) => `设置了 ${where}，Higress 会原样下发它，忽略 defaultConfig 和 matchRules。`,
    defaultDropped: (where) => `${where} 不会下发，因为 defaultConfigDisable 为 true。`,
    notPushed: 'defaultConfigDisable 为 true 且没有启用的规则，Higress 根本不会把这个插件下发到网关。',
    emptyConfig: '既没有 defaultConfig 也没有启用的规则：插件收到空配置，并对每个请求生效。',
    allRulesOffGlobal: '所有规则都被禁用，只下发全局配置，它对每个请求生效。',
    noGlobal: '没有全局配置，所以不匹配任何规则的请求会跳过这个插件。',
    unknownField: (where, close) => `${where} 不是 Higress 读取的字段${close ? `；你是不是想写 ${close}？` : '，会被忽略。'}`,
    reservedKey: (where, key) => `${where} 自己设置了 ${key}；由规则的匹配列表生成的值会覆盖它。`,
    ignoredMatch: (where, kept, ignored) => `${where} 同时写了 ${kept} 和 ${ignored}；wasm-go 对这种规则只按 ${kept} 匹配，忽略 ${ignored}。`,
  },
};

/**
 * CRD match lists and the `_rules_` keys they become, in the order the controller writes them.
 * The starter project's WasmPlugin generator (src/playground/starter/higress.ts) reads it backwards.
 */
export const MATCH_KEYS = [
  ['ingress', '_match_route_'],
  ['domain', '_match_domain_'],
  ['service', '_match_service_'],
] as const;
const RULE_FIELDS = ['ingress', 'domain', 'service', 'config', 'configDisable'];
const CONFIG_FIELDS = ['defaultConfig', 'defaultConfigDisable', 'matchRules', 'pluginConfig'];
const RESERVED = /^_(rules|match_route|match_domain|match_service|match_route_prefix)_$/;

/**
 * Turns a WasmPlugin (a whole document with `kind`/`spec`, or just its `spec`) into the JSON the
 * plugin receives: `defaultConfig` keys at the top, then `_rules_` with one entry per enabled
 * match rule (its match lists as `_match_route_`/`_match_domain_`/`_match_service_`, then its
 * `config`). Throws MatchRulesError for input Higress would reject; the message is in `lang`.
 */
export function translateMatchRules(input: unknown, lang: Lang = 'en'): MatchRulesTranslation {
  const m = MESSAGES[lang];
  if (!isMapping(input)) throw new MatchRulesError(m.notMapping(lang === 'en' ? 'The input' : '输入'), []);
  const isDocument = 'spec' in input || 'kind' in input;
  if (isDocument && input.kind !== undefined && input.kind !== 'WasmPlugin') {
    throw new MatchRulesError(m.notWasmPlugin('kind', String(input.kind)), ['kind']);
  }
  const base: PathKey[] = isDocument ? ['spec'] : [];
  const spec = isDocument ? input.spec : input;
  if (!isMapping(spec)) throw new MatchRulesError(m.notMapping(where(base) || 'spec'), base);
  const warnings: string[] = [];
  for (const key of Object.keys(spec)) {
    if (CONFIG_FIELDS.includes(key)) continue;
    const close = CONFIG_FIELDS.find((known) => isTypo(key, known));
    if (close !== undefined) warnings.push(m.unknownField(where([...base, key]), close));
  }

  if (spec.pluginConfig != null) {
    const pluginConfig = objectField(spec, 'pluginConfig', base, m) ?? {};
    warnings.push(m.pluginConfigWins(where([...base, 'pluginConfig'])));
    return { json: { ...pluginConfig }, warnings };
  }
  const defaultConfig = objectField(spec, 'defaultConfig', base, m);
  const isDefaultDisabled = booleanField(spec, 'defaultConfigDisable', base, m);
  const rules = listField(spec, 'matchRules', base, m);
  if (isDefaultDisabled && defaultConfig && Object.keys(defaultConfig).length > 0) {
    warnings.push(m.defaultDropped(where([...base, 'defaultConfig'])));
  }
  const global = isDefaultDisabled ? undefined : defaultConfig;
  for (const key of Object.keys(global ?? {})) {
    if (RESERVED.test(key)) warnings.push(m.reservedKey(where([...base, 'defaultConfig', key]), key));
  }

  const ruleValues = rules.flatMap((rule, i) => translateRule(rule, [...base, 'matchRules', i], m, warnings));
  if (ruleValues.length === 0 && isDefaultDisabled) return { json: null, warnings: [...warnings, m.notPushed] };
  if (rules.length === 0 && global === undefined) return { json: {}, warnings: [...warnings, m.emptyConfig] };

  const json: Record<string, unknown> = { ...global };
  if (ruleValues.length > 0) json._rules_ = ruleValues;
  else if (rules.length > 0) warnings.push(Object.keys(json).length > 0 ? m.allRulesOffGlobal : m.emptyConfig);
  if (ruleValues.length > 0 && Object.keys(json).length === 1) warnings.push(m.noGlobal);
  return { json, warnings };
}

/** One match rule as a `_rules_` entry, or none when it is disabled. */
function translateRule(rule: unknown, path: PathKey[], m: Messages, warnings: string[]): Array<Record<string, unknown>> {
  if (!isMapping(rule)) throw new MatchRulesError(m.notObject(where(path)), path);
  for (const key of Object.keys(rule)) {
    if (!RULE_FIELDS.includes(key)) warnings.push(m.unknownField(where([...path, key]), RULE_FIELDS.find((f) => isTypo(key, f))));
  }
  if (booleanField(rule, 'configDisable', path, m)) return [];
  const config = objectField(rule, 'config', path, m) ?? {};
  const entry: Record<string, unknown> = {};
  for (const [field, key] of MATCH_KEYS) {
    const values = stringListField(rule, field, path, m);
    if (values.length > 0) entry[key] = values;
  }
  if (Object.keys(entry).length === 0) throw new MatchRulesError(m.noMatch(where(path)), path);
  const present = MATCH_KEYS.filter(([, key]) => key in entry).map(([field]) => field);
  // wasm-go's matcher (pkg/matcher/rule_matcher.go): route wins over domain, domain over service;
  // only route + service are combined (both must match).
  if (present.includes('ingress') && present.includes('domain')) warnings.push(m.ignoredMatch(where(path), 'ingress', 'domain'));
  else if (present.includes('domain') && present.includes('service')) warnings.push(m.ignoredMatch(where(path), 'domain', 'service'));
  for (const [key, value] of Object.entries(config)) {
    if (key in entry) warnings.push(m.reservedKey(where([...path, 'config', key]), key));
    else entry[key] = value;
  }
  return [entry];
}

function objectField(owner: Record<string, unknown>, key: string, path: PathKey[], m: Messages): Record<string, unknown> | undefined {
  const value = owner[key];
  if (value == null) return undefined;
  if (!isMapping(value)) throw new MatchRulesError(m.notObject(where([...path, key])), [...path, key]);
  return value;
}

function booleanField(owner: Record<string, unknown>, key: string, path: PathKey[], m: Messages): boolean {
  const value = owner[key];
  if (value == null) return false;
  if (typeof value !== 'boolean') throw new MatchRulesError(m.notBoolean(where([...path, key])), [...path, key]);
  return value;
}

function listField(owner: Record<string, unknown>, key: string, path: PathKey[], m: Messages): unknown[] {
  const value = owner[key];
  if (value == null) return [];
  if (!Array.isArray(value)) throw new MatchRulesError(m.notList(where([...path, key])), [...path, key]);
  return value;
}

function stringListField(owner: Record<string, unknown>, key: string, path: PathKey[], m: Messages): string[] {
  const value = owner[key];
  if (value == null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    const example = typeof value === 'string' ? JSON.stringify(value) : '"…"';
    throw new MatchRulesError(m.notStringList(where([...path, key]), example), [...path, key]);
  }
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `spec.matchRules[1].ingress` */
function where(path: PathKey[]): string {
  return path.reduce<string>((text, key) => (typeof key === 'number' ? `${text}[${key}]` : text ? `${text}.${key}` : key), '');
}

/** A likely misspelling of `known`: same letters in another case, or at most two edits away. */
function isTypo(key: string, known: string): boolean {
  if (key.toLowerCase() === known.toLowerCase()) return true;
  if (Math.abs(key.length - known.length) > 2) return false;
  let previous = Array.from({ length: known.length + 1 }, (_, j) => j);
  for (let i = 1; i <= key.length; i++) {
    const row = [i];
    for (let j = 1; j <= known.length; j++) {
      row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (key[i - 1] === known[j - 1] ? 0 : 1));
    }
    previous = row;
  }
  return previous[known.length]! <= 2;
}
