import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { EXAMPLE_WASMPLUGIN_YAML, MatchRulesError, translateMatchRules } from '../../../src/site/match-rules.ts';

/** Translates YAML text and returns the JSON exactly as the plugin would read it. */
const wire = (yaml: string) => JSON.stringify(translateMatchRules(parse(yaml)).json);
const warnings = (yaml: string, lang: 'en' | 'zh-CN' = 'en') => translateMatchRules(parse(yaml), lang).warnings;
const failure = (yaml: string, lang: 'en' | 'zh-CN' = 'en'): MatchRulesError => {
  try {
    translateMatchRules(parse(yaml), lang);
  } catch (error) {
    if (error instanceof MatchRulesError) return error;
    throw error;
  }
  throw new Error('expected a MatchRulesError');
};

// The illustrative example of reference/higress-sdk.md §8.5.
const QPM_DOCUMENT = `
apiVersion: extensions.higress.io/v1alpha1
kind: WasmPlugin
metadata: { name: limiter, namespace: higress-system }
spec:
  defaultConfig: { qpm: 100 }
  matchRules:
    - ingress: [default/foo]
      config: { qpm: 10 }
`;

describe('translateMatchRules', () => {
  test('turns the reference example into the exact JSON the plugin receives', () => {
    expect(wire(QPM_DOCUMENT)).toBe('{"qpm":100,"_rules_":[{"_match_route_":["default/foo"],"qpm":10}]}');
    expect(warnings(QPM_DOCUMENT)).toEqual([]);
  });

  test('accepts the spec alone as well as the whole document', () => {
    const spec = parse(QPM_DOCUMENT).spec;
    expect(JSON.stringify(translateMatchRules(spec).json)).toBe('{"qpm":100,"_rules_":[{"_match_route_":["default/foo"],"qpm":10}]}');
  });

  test('writes domain and service lists as _match_domain_ and _match_service_, match keys before config', () => {
    const yaml = `
spec:
  matchRules:
    - domain: ["*.example.com", api.example.org]
      config: { block: true }
    - service: [httpbin.default.svc.cluster.local:80]
      config: { block: false }`;
    expect(wire(yaml)).toBe(
      '{"_rules_":[{"_match_domain_":["*.example.com","api.example.org"],"block":true},' +
        '{"_match_service_":["httpbin.default.svc.cluster.local:80"],"block":false}]}',
    );
  });

  test('keeps the rules in the order written, because the first match wins', () => {
    const yaml = `
defaultConfig: { qpm: 1 }
matchRules:
  - { domain: [b.example.com], config: { qpm: 2 } }
  - { ingress: [default/a], config: { qpm: 3 } }`;
    expect(wire(yaml)).toBe('{"qpm":1,"_rules_":[{"_match_domain_":["b.example.com"],"qpm":2},{"_match_route_":["default/a"],"qpm":3}]}');
  });

  test('writes ingress, domain and service in that order when one rule has several', () => {
    const yaml = `matchRules: [{ service: [s.svc], config: { a: 1 }, ingress: [default/r] }]`;
    expect(wire(yaml)).toBe('{"_rules_":[{"_match_route_":["default/r"],"_match_service_":["s.svc"],"a":1}]}');
  });

  test('turns a rule without config into its match keys alone', () => {
    expect(wire(`defaultConfig: { a: 1 }\nmatchRules: [{ ingress: [default/r] }]`)).toBe('{"a":1,"_rules_":[{"_match_route_":["default/r"]}]}');
  });

  test('leaves out a rule with configDisable: true, even one without match lists', () => {
    const yaml = `
defaultConfig: { qpm: 100 }
matchRules:
  - { ingress: [default/foo], config: { qpm: 10 }, configDisable: true }
  - { configDisable: true }
  - { ingress: [default/bar], config: { qpm: 20 }, configDisable: false }`;
    expect(wire(yaml)).toBe('{"qpm":100,"_rules_":[{"_match_route_":["default/bar"],"qpm":20}]}');
  });

  test('drops defaultConfig when defaultConfigDisable is true, and says requests outside the rules skip the plugin', () => {
    const yaml = `
defaultConfig: { qpm: 100 }
defaultConfigDisable: true
matchRules: [{ ingress: [default/foo], config: { qpm: 10 } }]`;
    expect(wire(yaml)).toBe('{"_rules_":[{"_match_route_":["default/foo"],"qpm":10}]}');
    expect(warnings(yaml)).toMatchInlineSnapshot(`
      [
        "defaultConfig is not sent, because defaultConfigDisable is true.",
        "There is no global config, so requests that match no rule skip the plugin.",
      ]
    `);
  });

  test('returns null when everything is disabled, because Higress does not push the plugin', () => {
    const yaml = `
defaultConfigDisable: true
matchRules: [{ ingress: [default/foo], configDisable: true }]`;
    expect(translateMatchRules(parse(yaml))).toEqual({
      json: null,
      warnings: ['defaultConfigDisable is true and no rule is enabled, so Higress does not push this plugin to the gateway at all.'],
    });
  });

  test('sends the global config alone when every rule is disabled', () => {
    const yaml = `defaultConfig: { qpm: 5 }\nmatchRules: [{ ingress: [default/foo], configDisable: true }]`;
    expect(wire(yaml)).toBe('{"qpm":5}');
    expect(warnings(yaml)).toEqual(['Every rule is disabled, so only the global config is sent and it applies to every request.']);
  });

  test('gives an empty object with a warning when there is neither defaultConfig nor a rule', () => {
    expect(translateMatchRules(parse('kind: WasmPlugin\nspec: { url: "oci://x/y:1" }'))).toEqual({
      json: {},
      warnings: ['Neither defaultConfig nor an enabled rule is set: the plugin gets an empty configuration and runs on every request.'],
    });
  });

  test('sends pluginConfig as is and says defaultConfig and matchRules are ignored', () => {
    const yaml = `spec:\n  pluginConfig: { a: 1 }\n  defaultConfig: { b: 2 }\n  matchRules: [{ ingress: [default/x] }]`;
    expect(wire(yaml)).toBe('{"a":1}');
    expect(warnings(yaml)).toEqual(['spec.pluginConfig is set, so Higress sends it as is and ignores defaultConfig and matchRules.']);
  });

  test('warns that wasm-go ignores domain in a rule that also lists ingress', () => {
    expect(warnings('matchRules: [{ ingress: [default/a], domain: [a.com], config: { x: 1 } }]')).toEqual([
      'matchRules[0] lists ingress and domain; wasm-go matches such a rule by ingress only and ignores domain.',
      'There is no global config, so requests that match no rule skip the plugin.',
    ]);
  });

  test('warns about misspelled fields and names the one that was probably meant', () => {
    const yaml = 'spec:\n  defaultconfig: { a: 1 }\n  matchRules: [{ ingres: [default/a] , domain: [a.com] }]';
    expect(warnings(yaml)).toMatchInlineSnapshot(`
      [
        "spec.defaultconfig is not a field Higress reads; did you mean defaultConfig?",
        "spec.matchRules[0].ingres is not a field Higress reads; did you mean ingress?",
        "There is no global config, so requests that match no rule skip the plugin.",
      ]
    `);
  });

  test('keeps the match keys made from the lists when a rule config sets them too', () => {
    const yaml = 'matchRules: [{ ingress: [default/a], config: { _match_route_: [other], x: 1 } }]';
    expect(wire(yaml)).toBe('{"_rules_":[{"_match_route_":["default/a"],"x":1}]}');
    expect(warnings(yaml)[0]).toBe("matchRules[0].config._match_route_ sets _match_route_ itself; the value made from the rule's match lists replaces it.");
  });

  test('does not change its input', () => {
    const input = parse(QPM_DOCUMENT);
    const before = JSON.stringify(input);
    translateMatchRules(input);
    expect(JSON.stringify(input)).toBe(before);
  });

  test('translates the pre-filled example of the page', () => {
    expect(JSON.stringify(translateMatchRules(parse(EXAMPLE_WASMPLUGIN_YAML)).json)).toBe(
      '{"serviceName":"redis.static","qpm":100,"_rules_":[' +
        '{"_match_route_":["default/foo"],"serviceName":"redis.static","qpm":10},' +
        '{"_match_domain_":["*.example.com"],"serviceName":"redis.static","qpm":1000}]}',
    );
  });
});

describe('translateMatchRules errors', () => {
  test('rejects an enabled rule without ingress, domain or service, naming its path', () => {
    const error = failure(QPM_DOCUMENT.replace('- ingress: [default/foo]', '- ingress: []'));
    expect(error.path).toEqual(['spec', 'matchRules', 0]);
    expect(error.message).toMatchInlineSnapshot(
      `"spec.matchRules[0] has no ingress, domain or service, and Higress rejects the whole WasmPlugin for it; add one, or set configDisable: true."`,
    );
  });

  test('asks for a list when a match field is a plain string', () => {
    const error = failure('matchRules:\n  - ingress: default/foo');
    expect(error.path).toEqual(['matchRules', 0, 'ingress']);
    expect(error.message).toMatchInlineSnapshot(`"matchRules[0].ingress must be a list of strings; write it as ["default/foo"]."`);
  });

  test('rejects a document of another kind', () => {
    expect(failure('kind: Ingress\nspec: {}').message).toMatchInlineSnapshot(
      `"kind is "Ingress", not WasmPlugin; paste a Higress WasmPlugin (extensions.higress.io/v1alpha1)."`,
    );
  });

  test('rejects input that is not a mapping, and config values that are not mappings', () => {
    expect(failure('- a\n- b').message).toMatchInlineSnapshot(`"The input is not a mapping; paste a WasmPlugin document or its spec."`);
    expect(failure('defaultConfig: 5').message).toMatchInlineSnapshot(`"defaultConfig must be a mapping of config keys, like "qpm: 10"."`);
    expect(failure('matchRules: { ingress: [a] }').message).toMatchInlineSnapshot(`"matchRules must be a list of rules, each starting with "- "."`);
    expect(failure('defaultConfigDisable: "yes"').message).toMatchInlineSnapshot(`"defaultConfigDisable must be true or false."`);
  });

  test('words errors and warnings in Chinese for the zh-CN page', () => {
    expect(failure('matchRules:\n  - config: { a: 1 }', 'zh-CN').message).toMatchInlineSnapshot(
      `"matchRules[0] 没有 ingress、domain 或 service，Higress 会因此拒绝整个 WasmPlugin；请加上其中一项，或设置 configDisable: true。"`,
    );
    expect(warnings('defaultConfigDisable: true\nmatchRules: [{ ingress: [a] }]', 'zh-CN')).toEqual(['没有全局配置，所以不匹配任何规则的请求会跳过这个插件。']);
  });
});

describe('translateMatchRules output in the real redis-limiter plugin', () => {
  test('makes the rule apply on its route and the global config elsewhere, as wasm-go matches them', async () => {
    const { runScenario } = await import('../../../src/harness/run.ts');
    const { loadExample, scenario } = await import('../../helpers/plugins.ts');
    const limiter = await loadExample('redis-limiter');
    const { json } = translateMatchRules(
      parse(`
spec:
  defaultConfig: { serviceName: redis.static, servicePort: 6379, qpm: 100 }
  matchRules:
    - ingress: [default/foo]
      config: { serviceName: redis.static, servicePort: 6379, qpm: 1 }`),
    );
    const { outcomes } = await runScenario({
      module: limiter.bytes,
      config: json,
      scenario: scenario(`
clusters: [{ type: redis, name: redis.static, port: 6379 }]
requests:
  - { path: /a, route: default/foo, repeat: 2 }
  - { path: /b, route: default/bar }`),
    });
    // All three share the minute's counter: the second request on default/foo is over the rule's
    // qpm of 1, while the third, on another route, is judged by the global qpm of 100.
    expect(outcomes.map((o) => o.status)).toEqual([200, 429, 200]);
    expect(outcomes.map((o) => o.headers.find(([k]) => k === 'calltimeleft')?.[1])).toEqual(['0', '0', '97']);
  });
});
