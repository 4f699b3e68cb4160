import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { isHarnessError } from '../../../../src/harness/errors.ts';
import { loadScenarioText } from '../../../../src/harness/scenario.ts';
import { buildStarterProject, starterFileNames, StarterProjectError } from '../../../../src/playground/starter/starter-project.ts';
import { REDIS_IP } from '../../../../src/playground/starter/templates.ts';
import { readExampleFiles, withoutGatewayFiles } from './example-files.ts';
import { clusters, composeServices, pluginConfiguration } from './gateway-yaml.ts';

const helloFiles = readExampleFiles('hello-world');
const limiterFiles = readExampleFiles('redis-limiter');

function build(example: string, files: Record<string, string>, config = files['config.json']!, scenario = files['scenario.yaml']!) {
  return buildStarterProject({ example, files, config, scenario });
}

describe('buildStarterProject', () => {
  test.each([
    ['hello-world', 'hello-world', helloFiles],
    ['redis-limiter', 'redis-limiter', limiterFiles],
    ['an example without gateway files', 'redis-limiter', withoutGatewayFiles(limiterFiles)],
  ])('returns exactly the starter files for %s', (_, example, files) => {
    const project = build(example, files);
    expect(Object.keys(project).sort()).toEqual(starterFileNames(example).sort());
    expect(Object.keys(project).sort()).toEqual([
      '.dockerignore', 'Dockerfile', 'Makefile', 'README.md', 'config.json', 'docker-compose.yaml', 'envoy.yaml', 'go.mod', 'go.sum',
      'higress/data/ingresses/httpbin.yaml', 'higress/data/mcpbridges/default.yaml', `higress/data/wasmplugins/${example}.yaml`,
      'higress/docker-compose.yaml', 'main.go', 'scenario.yaml', 'wasmplugin.yaml',
    ]);
  });

  test('copies the Go sources unchanged and writes the edited config.json as typed', () => {
    const edited = '{\n  "headerName": "x-lab",\n  "headerValue": "yes"\n}\n';
    const project = build('hello-world', helloFiles, edited);
    expect(project['main.go']).toBe(helloFiles['main.go']);
    expect(project['go.mod']).toBe(helloFiles['go.mod']);
    expect(project['go.sum']).toBe(helloFiles['go.sum']);
    expect(project['config.json']).toBe(edited);
  });

  test.each([
    ['hello-world', helloFiles, '{ "headerName": "x-lab",\n  "headerValue": "it\'s me" }'],
    ['redis-limiter', limiterFiles, '{"serviceName": "redis.static", "servicePort": 6379, "qpm": 10}'],
    ['hello-world without gateway files', withoutGatewayFiles(helloFiles), '{"headerName":"x-lab","headerValue":"a \\"quoted\\" value"}'],
  ])('puts the edited config, as compact JSON, in envoy.yaml for %s', (_, files, edited) => {
    const project = build('hello-world', files, edited);
    const value = pluginConfiguration(project['envoy.yaml']!);
    expect(JSON.parse(value)).toEqual(JSON.parse(edited));
    expect(value).toBe(JSON.stringify(JSON.parse(edited)));
  });

  test('keeps the example\'s envoy.yaml and docker-compose.yaml byte for byte when the config is unchanged', () => {
    const project = build('redis-limiter', limiterFiles);
    expect(project['envoy.yaml']).toBe(limiterFiles['envoy.yaml']);
    expect(project['docker-compose.yaml']).toBe(limiterFiles['docker-compose.yaml']);
  });

  test('renames the example\'s Redis cluster when the edited config names another service or port', () => {
    const project = build('redis-limiter', limiterFiles, '{"serviceName":"cache.static","qpm":3}');
    const names = [...clusters(project['envoy.yaml']!).keys()];
    expect(names).toEqual(['httpbin', 'outbound|80||cache.static']);
    expect(clusters(project['envoy.yaml']!).get('outbound|80||cache.static')).toEqual({
      type: 'STATIC', clusterName: 'outbound|80||cache.static', address: `${REDIS_IP}:6379`,
    });
    expect(project['envoy.yaml']).not.toContain('redis.static');
  });

  test('generates a gateway without Redis when the config has no serviceName', () => {
    const project = build('hello-world', withoutGatewayFiles(helloFiles));
    expect(Object.keys(composeServices(project['docker-compose.yaml']!))).toEqual(['envoy', 'httpbin']);
    expect([...clusters(project['envoy.yaml']!).keys()]).toEqual(['httpbin']);
  });

  test('generates a Redis service and a STATIC cluster at its address when the config has a serviceName', () => {
    const project = build('redis-limiter', withoutGatewayFiles(limiterFiles), '{"serviceName":"redis.dns","qpm":3}');
    const services = composeServices(project['docker-compose.yaml']!);
    expect(Object.keys(services)).toEqual(['envoy', 'httpbin', 'redis']);
    expect(services['envoy']!.depends_on).toEqual(['httpbin', 'redis']);
    expect(services['redis']!.networks).toEqual({ wasmtest: { ipv4_address: REDIS_IP } });
    expect(clusters(project['envoy.yaml']!).get('outbound|6379||redis.dns')).toEqual({
      type: 'STATIC', clusterName: 'outbound|6379||redis.dns', address: `${REDIS_IP}:6379`,
    });
  });

  test('generates the same gateway as the hand-written hello-world files', () => {
    const project = build('hello-world', withoutGatewayFiles(helloFiles));
    expect(parse(project['envoy.yaml']!)).toEqual(parse(helloFiles['envoy.yaml']!));
    expect(parse(project['docker-compose.yaml']!)).toEqual(parse(helloFiles['docker-compose.yaml']!));
  });

  test('generates the same gateway as the hand-written redis-limiter files', () => {
    const project = build('redis-limiter', withoutGatewayFiles(limiterFiles));
    expect(parse(project['envoy.yaml']!)).toEqual(parse(limiterFiles['envoy.yaml']!));
    expect(parse(project['docker-compose.yaml']!)).toEqual(parse(limiterFiles['docker-compose.yaml']!));
  });

  test('writes a scenario that runs ./main.wasm with the edited config and the reader\'s requests', () => {
    const edited = '{"serviceName":"redis.static","servicePort":6379,"qpm":1}';
    const userScenario = 'plugin: redis-limiter\nrequests:\n  - path: /get\n    repeat: 2\n';
    const project = build('redis-limiter', limiterFiles, edited, userScenario);
    const scenario = loadScenarioText(project['scenario.yaml']!, 'scenario.yaml');
    expect(scenario.plugin).toBe('./main.wasm');
    expect(scenario.config).toEqual(JSON.parse(edited));
    expect(scenario.requests).toHaveLength(1);
    expect(scenario.requests[0]).toMatchObject({ path: '/get', repeat: 2 });
  });

  test('points the example scenario\'s "Run it" comment at the project\'s own scenario.yaml', () => {
    const project = build('hello-world', helloFiles);
    expect(project['scenario.yaml']).toContain('# Run it: npx wasm-lab test scenario.yaml\n');
    expect(project['scenario.yaml']).not.toContain('examples/hello-world');
  });

  test('describes the project and the make targets in the README', () => {
    const readme = build('redis-limiter', limiterFiles)['README.md']!;
    for (const text of [
      'make build', 'make run', 'make test', 'docker compose up', 'wasm-lab test scenario.yaml', 'Go 1.24', '2.1.5', 'outbound|6379||redis.static',
      'make higress', 'make push', 'make push-oras', 'kubectl apply -f wasmplugin.yaml', 'wasmplugins/redis-limiter.yaml', '`_match_route_` → `ingress`',
      '/var/log/higress/gateway.log', 'port 80',
    ]) {
      expect(readme).toContain(text);
    }
  });

  test('throws a bad-config error that names the fix when the config is not JSON', () => {
    const run = () => build('hello-world', helloFiles, '{"headerName": ');
    expect(run).toThrow(StarterProjectError);
    expect(run).toThrowErrorMatchingInlineSnapshot(`[StarterProjectError: config.json is not valid JSON (Unexpected end of JSON input); fix it in the editor, then download again.]`);
    try {
      run();
    } catch (error) {
      expect(isHarnessError(error) && error.kind).toBe('bad-config');
    }
  });

  test('throws a missing-file error when an example file is not given', () => {
    const { 'go.sum': _, ...files } = helloFiles;
    expect(() => build('hello-world', files)).toThrowErrorMatchingInlineSnapshot(`[StarterProjectError: examples/hello-world/go.sum was not given; pass every file of the example to buildStarterProject.]`);
  });
});
