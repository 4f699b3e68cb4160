import { describe, expect, test } from 'vitest';
import { isHarnessError, ScenarioError } from '../../../src/harness/errors.ts';
import {
  clusterName,
  expandRequests,
  loadScenarioText,
  parseScenario,
  resolveClusters,
  resolveTiming,
  scenarioJsonSchema,
  serviceClusterName,
} from '../../../src/harness/scenario.ts';

/** The rate limiter's story: three requests pass, the fourth in the same minute gets 429, a new minute resets. */
const REDIS_LIMITER = `
plugin: redis-limiter
config:
  serviceName: redis.static
  servicePort: 6379
  qpm: 3
clusters:
  - name: redis.static
    type: redis
    seed:
      stale: 1
      "user:1": { name: alice, visits: 3 }
requests:
  - path: /api
    repeat: 3
    every: 1s
    expect:
      status: 200
      upstream: { reached: true }
  - at: 10s
    path: /api
    expect:
      status: 429
      source: plugin
      headers: { X-RateLimit-Remaining: "0", retry-after: "*" }
      logs: [rate limited]
  - at: 61s
    path: /api
    expect: { status: 200 }
`;

/** A header plugin scoped to one route by _rules_, with a client address and per-request properties. */
const HELLO_WORLD_JSON = JSON.stringify(
  {
    plugin: 'examples/hello-world/main.wasm',
    config: { _rules_: [{ _match_route_: ['api-route'], greeting: 'hi' }] },
    route: 'api-route',
    service: 'backend.default.svc.cluster.local:8080',
    properties: { x_request_id: 'req-1' },
    upstream: { echo: true },
    requests: [
      {
        method: 'post',
        path: '/hello?x=1',
        headers: { 'Content-Type': 'application/json', 'X-Count': 3 },
        body: '{"a":1}',
        source: '10.0.0.7:51234',
        properties: { x_request_id: 'req-2', 'source.port': 51234 },
        expect: { headers: { 'x-hello': 'hi', server: null }, upstream: { headers: { 'x-added': '*' } } },
      },
      { at: '1500ms', route: 'other-route', domain: 'other.example.com' },
    ],
  },
  null,
  '\t',
);

function problems(input: unknown): string {
  try {
    parseScenario(input);
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

function textProblems(text: string, fileName?: string): string {
  try {
    loadScenarioText(text, fileName);
  } catch (error) {
    if (error instanceof ScenarioError) return error.message;
    throw error;
  }
  throw new Error('the scenario was accepted');
}

describe('parseScenario', () => {
  test('fills every default into a scenario with one empty request', () => {
    expect(parseScenario({ requests: [{}] })).toMatchInlineSnapshot(`
      {
        "bufferLimit": 32768,
        "callbackTimeout": "2s",
        "clusters": [],
        "domain": "example.com",
        "failStrategy": "FAIL_CLOSE",
        "logLevel": "trace",
        "properties": {},
        "requests": [
          {
            "at": "0s",
            "body": "",
            "every": "0s",
            "headers": {},
            "method": "GET",
            "path": "/",
            "properties": {},
            "repeat": 1,
            "source": "127.0.0.1:54321",
            "trailers": {},
          },
        ],
        "route": "default-route",
        "service": "httpbin.default.svc.cluster.local",
        "startTime": "2025-01-01T00:00:00Z",
        "upstream": {
          "body": "{"ok":true}",
          "echo": false,
          "status": 200,
          "trailers": {},
        },
      }
    `);
  });

  test('upper-cases the method and lower-cases header names and numbers in header values', () => {
    const scenario = parseScenario({ requests: [{ method: 'post', headers: { 'X-Count': 3, 'X-Debug': true } }] });
    expect(scenario.requests[0]).toMatchObject({ method: 'POST', headers: { 'x-count': '3', 'x-debug': 'true' } });
  });

  test('throws a path-named error when "at" has no unit', () => {
    expect(problems({ requests: [{}, {}, { at: '61' }] })).toMatchInlineSnapshot(`"scenario.requests[2].at: "61" has no unit; write "61s" or "1500ms"."`);
  });

  test('names a number given as a duration like a unitless string', () => {
    expect(problems({ requests: [{ at: 61 }] })).toMatchInlineSnapshot(`"scenario.requests[0].at: "61" has no unit; write "61s" or "1500ms"."`);
  });

  test('rejects an unknown field with a did-you-mean hint when a known field is close', () => {
    expect(problems({ requests: [{ heders: { a: 'b' } }], Clusters: [], start_time: '2025-01-01T00:00:00Z' })).toMatchInlineSnapshot(`
      "scenario.requests[0].heders: unknown field; did you mean "headers"?
      scenario.Clusters: unknown field; did you mean "clusters"?
      scenario.start_time: unknown field; did you mean "startTime"?"
    `);
  });

  test('lists the known fields when an unknown field is close to none', () => {
    expect(problems({ requests: [{ expect: { colour: 'red' } }] })).toMatchInlineSnapshot(`"scenario.requests[0].expect.colour: unknown field; use one of status, headers, body, chunks, trailers, source, upstream, logs, error."`);
  });

  test('points a status written under a request to expect.status', () => {
    expect(problems({ requests: [{ status: 429 }] })).toMatchInlineSnapshot(`"scenario.requests[0].status: unknown field here; did you mean expect.status?"`);
  });

  test('names the expected type and quotes the value given', () => {
    expect(problems({ requests: [{ expect: { status: 'abc' }, repeat: 1.5, headers: { a: {} } }], properties: [] })).toMatchInlineSnapshot(`
      "scenario.properties: expected an object, got a list.
      scenario.requests[0].headers.a: expected a string, a number or a boolean, got an object.
      scenario.requests[0].repeat: expected a whole number, got 1.5.
      scenario.requests[0].expect.status: expected a number, got "abc"."
    `);
  });

  test('names the choices of an enum and the one a wrong case meant', () => {
    expect(problems({ requests: [{ expect: { source: 'mock' } }], failStrategy: 'fail_open', logLevel: 'verbose' })).toMatchInlineSnapshot(`
      "scenario.failStrategy: expected "FAIL_CLOSE" or "FAIL_OPEN", got "fail_open"; did you mean "FAIL_OPEN"?
      scenario.logLevel: expected one of "trace", "debug", "info", "warn", "error" or "critical", got "verbose".
      scenario.requests[0].expect.source: expected one of "plugin", "upstream" or "gateway", got "mock"."
    `);
  });

  test('asks for a cluster type when it is missing or unknown', () => {
    expect(problems({ requests: [{}], clusters: [{ name: 'redis.static' }, { name: 'db', type: 'mysql' }] })).toMatchInlineSnapshot(`
      "scenario.clusters[0].type: required field is missing; add type: redis or type: http.
      scenario.clusters[1].type: expected type: redis or type: http, got "mysql"."
    `);
  });

  test('words the checks of single fields with their fix', () => {
    const input = {
      service: 'not a service',
      startTime: 'yesterday',
      requests: [
        { path: 'hello', source: 'localhost', method: 'GET /', headers: { 'Bad Name': 'x' }, expect: { status: 42 }, repeat: 0 },
      ],
      clusters: [
        { type: 'redis', name: 'redis.static:6379' },
        { type: 'http', name: 'outbound|80|auth', port: 0 },
      ],
    };
    expect(problems(input)).toMatchInlineSnapshot(`
      "scenario.service: "not a service" is not a service; write it like "httpbin.default.svc.cluster.local" or "httpbin:8080".
      scenario.startTime: expected a date-time like "2025-01-01T00:00:00Z", got "yesterday".
      scenario.requests[0].method: "GET /" is not an HTTP method; write one like GET or POST.
      scenario.requests[0].path: "hello" does not start with "/"; write "/hello".
      scenario.requests[0].headers["Bad Name"]: "Bad Name" is not a valid header name; use letters, digits and dashes.
      scenario.requests[0].source: "localhost" is not a client address; write it as ip:port, like "10.0.0.7:51234".
      scenario.requests[0].repeat: must be at least 1, got 0.
      scenario.requests[0].expect.status: 42 is not an HTTP status; use a number from 100 to 599.
      scenario.clusters[0].name: "redis.static:6379" has a port in the name; write name: redis.static and port: 6379.
      scenario.clusters[1].name: "outbound|80|auth" is not an Envoy cluster name; write it like "outbound|6379||redis.static".
      scenario.clusters[1].port: must be at least 1, got 0."
    `);
  });

  test('asks for at least one request when requests is missing or empty', () => {
    expect(problems({})).toMatchInlineSnapshot(`"scenario.requests: required field is missing; add at least one request, like "- path: /"."`);
    expect(problems({ requests: [] })).toMatchInlineSnapshot(`"scenario.requests: the list is empty; add at least one request, like "- path: /"."`);
  });

  test('says the scenario is empty when there is nothing to read', () => {
    expect(problems(null)).toMatchInlineSnapshot(`"scenario: nothing to run; add a requests list."`);
    expect(problems(['requests'])).toMatchInlineSnapshot(`"scenario: expected an object of fields like requests, got a list."`);
  });

  test('rejects requests written out of time order', () => {
    expect(problems({ requests: [{ at: '1m' }, { at: '30s' }, { at: '2m' }] })).toMatchInlineSnapshot(`"scenario.requests[1].at: "30s" is earlier than requests[0] at "1m"; list requests in time order."`);
  });

  test('rejects a cluster declared twice, even when named both ways', () => {
    const clusters = [
      { type: 'redis', name: 'redis.static' },
      { type: 'redis', name: 'outbound|6379||redis.static' },
    ];
    expect(problems({ requests: [{}], clusters })).toMatchInlineSnapshot(`"scenario.clusters[1].name: cluster "outbound|6379||redis.static" is already declared by clusters[0]; remove one of them."`);
  });

  test('prefixes each line with the source when one is given', () => {
    expect(() => parseScenario({ requests: [{ at: '61' }] }, 'scenario.json')).toThrowErrorMatchingInlineSnapshot(`[ScenarioError: scenario.json: scenario.requests[0].at: "61" has no unit; write "61s" or "1500ms".]`);
  });

  test('throws an error recognised by kind that carries each issue and survives JSON', () => {
    let caught: unknown;
    try {
      parseScenario({ requests: [{ at: '61' }] });
    } catch (error) {
      caught = error;
    }
    expect(isHarnessError(caught)).toBe(true);
    const plain: unknown = JSON.parse(JSON.stringify(caught));
    expect(isHarnessError(plain)).toBe(true);
    expect(plain).toMatchInlineSnapshot(`
      {
        "issues": [
          {
            "keys": [
              "requests",
              0,
              "at",
            ],
            "message": ""61" has no unit; write "61s" or "1500ms".",
            "path": "scenario.requests[0].at",
          },
        ],
        "kind": "bad-scenario",
        "message": "scenario.requests[0].at: "61" has no unit; write "61s" or "1500ms".",
      }
    `);
  });
});

describe('loadScenarioText', () => {
  test('reads the rate limiter scenario from YAML', () => {
    const scenario = loadScenarioText(REDIS_LIMITER, 'redis-limiter/scenario.yaml');
    expect(scenario.plugin).toBe('redis-limiter');
    expect(scenario.clusters).toMatchInlineSnapshot(`
      [
        {
          "down": false,
          "latency": "0s",
          "name": "redis.static",
          "port": 6379,
          "seed": {
            "stale": "1",
            "user:1": {
              "name": "alice",
              "visits": "3",
            },
          },
          "type": "redis",
        },
      ]
    `);
    expect(scenario.requests[1]?.expect).toMatchInlineSnapshot(`
      {
        "headers": {
          "retry-after": "*",
          "x-ratelimit-remaining": "0",
        },
        "logs": [
          "rate limited",
        ],
        "source": "plugin",
        "status": 429,
      }
    `);
  });

  test('reads a tab-indented JSON scenario', () => {
    const scenario = loadScenarioText(HELLO_WORLD_JSON, 'hello-world/scenario.json');
    expect(scenario.config).toEqual({ _rules_: [{ _match_route_: ['api-route'], greeting: 'hi' }] });
    expect(scenario.requests[0]?.expect).toMatchInlineSnapshot(`
      {
        "headers": {
          "server": null,
          "x-hello": "hi",
        },
        "upstream": {
          "headers": {
            "x-added": "*",
          },
        },
      }
    `);
  });

  test('reports a YAML syntax error as file:line:col and a sentence', () => {
    const text = 'requests:\n  - path: /a\n    headers: { a: b\n';
    expect(textProblems(text, 'broken.yaml')).toMatchInlineSnapshot(`"broken.yaml:4:1: flow map in block collection must be sufficiently indented and end with a }."`);
  });

  test('reports a duplicated YAML key with its position', () => {
    expect(textProblems('requests: []\nrequests: [{}]\n', 'twice.yaml')).toMatchInlineSnapshot(`"twice.yaml:2:1: map keys must be unique."`);
  });

  test('refuses a "billion laughs" file in one sentence instead of expanding its aliases', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (const [i, name] of [...'bcdefghi'].entries()) levels.push(`${name}: &${name} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`);
    const text = `${levels.join('\n')}\nrequests: [{ path: / }]\n`;
    expect(textProblems(text, 'laughs.yaml')).toMatchInlineSnapshot(`"laughs.yaml: its aliases (*name) would expand more than 100 times, as a "billion laughs" file does; write the values out, or reuse fewer anchors."`);
  });

  test('reads a scenario that reuses an anchor for every request', () => {
    const requests = Array.from({ length: 20 }, () => '  - { path: /, headers: *h }').join('\n');
    const scenario = loadScenarioText(`properties: &h { x-user: alice }\nrequests:\n${requests}\n`);
    expect(scenario.requests).toHaveLength(20);
    expect(scenario.requests[19]?.headers).toEqual({ 'x-user': 'alice' });
  });

  test('names an alias that comes before its anchor', () => {
    expect(textProblems('requests: [{ path: /, headers: *h }]\nproperties: &h { a: b }\n', 'order.yaml')).toMatchInlineSnapshot(`"order.yaml: the alias *h comes before its anchor &h; set the anchor first."`);
  });

  test('puts the position of each problem before its path, in file order', () => {
    const text = ['requests:', '  - path: /a', '    heders:', '      x-a: b', '  - at: 61', 'logLevel: verbose', 'clusters:', '  - name: redis.static', ''].join('\n');
    expect(textProblems(text, 'scenario.yaml')).toMatchInlineSnapshot(`
      "scenario.yaml:3:5: scenario.requests[0].heders: unknown field; did you mean "headers"?
      scenario.yaml:5:9: scenario.requests[1].at: "61" has no unit; write "61s" or "1500ms".
      scenario.yaml:6:11: scenario.logLevel: expected one of "trace", "debug", "info", "warn", "error" or "critical", got "verbose".
      scenario.yaml:8:5: scenario.clusters[0].type: required field is missing; add type: redis or type: http."
    `);
  });

  test('lets requests share fields through YAML anchors and merge keys', () => {
    const text = ['requests:', '  - &api { path: /api, headers: { x-user: alice } }', '  - { <<: *api, at: 1s }', ''].join('\n');
    expect(loadScenarioText(text).requests[1]).toMatchObject({ at: '1s', path: '/api', headers: { 'x-user': 'alice' } });
  });

  test('names the file "scenario" when no file name is given', () => {
    expect(textProblems('requests: [{ at: 61 }]')).toMatchInlineSnapshot(`"scenario:1:18: scenario.requests[0].at: "61" has no unit; write "61s" or "1500ms"."`);
  });

  test('treats an empty file as an empty scenario', () => {
    expect(textProblems('', 'empty.yaml')).toMatchInlineSnapshot(`"empty.yaml:1:1: scenario: nothing to run; add a requests list."`);
  });
});

describe('expandRequests', () => {
  test('expands repeats spaced by every, indexed in order of arrival', () => {
    const requests = expandRequests(loadScenarioText(REDIS_LIMITER));
    expect(requests.map((r) => `#${r.index} ${r.specPath}.${r.repeatIndex} at ${r.atMs}ms`)).toMatchInlineSnapshot(`
      [
        "#0 requests[0].0 at 0ms",
        "#1 requests[0].1 at 1000ms",
        "#2 requests[0].2 at 2000ms",
        "#3 requests[1].0 at 10000ms",
        "#4 requests[2].0 at 61000ms",
      ]
    `);
  });

  test('interleaves repeats with later requests by time, keeping written order on ties', () => {
    const scenario = parseScenario({
      requests: [
        { path: '/a', repeat: 3, every: '10s' },
        { at: '10s', path: '/b' },
      ],
    });
    expect(expandRequests(scenario).map((r) => `${r.atMs} ${r.path}`)).toEqual(['0 /a', '10000 /a', '10000 /b', '20000 /a']);
  });

  test('resolves route, domain and properties: derived first, then the scenario, then the request', () => {
    const [first, second] = expandRequests(loadScenarioText(HELLO_WORLD_JSON));
    expect(first).toMatchInlineSnapshot(`
      {
        "atMs": 0,
        "body": "{"a":1}",
        "domain": "example.com",
        "expect": {
          "headers": {
            "server": null,
            "x-hello": "hi",
          },
          "upstream": {
            "headers": {
              "x-added": "*",
            },
          },
        },
        "headers": [
          [
            "content-type",
            "application/json",
          ],
          [
            "x-count",
            "3",
          ],
        ],
        "index": 0,
        "method": "POST",
        "path": "/hello?x=1",
        "properties": {
          "cluster_name": "outbound|8080||backend.default.svc.cluster.local",
          "route_name": "api-route",
          "source.address": "10.0.0.7:51234",
          "source.port": 51234,
          "x_request_id": "req-2",
        },
        "repeatIndex": 0,
        "route": "api-route",
        "source": "10.0.0.7:51234",
        "specIndex": 0,
        "specPath": "requests[0]",
        "trailers": [],
      }
    `);
    expect(second).toMatchObject({ route: 'other-route', domain: 'other.example.com', atMs: 1500 });
    expect(second?.properties).toMatchObject({ route_name: 'other-route', x_request_id: 'req-1' });
  });
});

describe('clusterName', () => {
  test('builds outbound|<port>||<name> from a service name', () => {
    expect(clusterName({ name: 'redis.static', port: 6379 })).toBe('outbound|6379||redis.static');
  });

  test('uses a full Envoy cluster name as written', () => {
    expect(clusterName({ name: 'outbound|80||redis.static', port: 6379 })).toBe('outbound|80||redis.static');
  });
});

describe('serviceClusterName', () => {
  test('defaults the service port to 80 and honours name:port', () => {
    expect(serviceClusterName('httpbin.default.svc.cluster.local')).toBe('outbound|80||httpbin.default.svc.cluster.local');
    expect(serviceClusterName('backend:8080')).toBe('outbound|8080||backend');
  });
});

describe('resolveClusters', () => {
  test('gives each cluster its Envoy name, default port and latency in milliseconds', () => {
    const scenario = parseScenario({
      requests: [{}],
      clusters: [
        { type: 'redis', name: 'redis.static', latency: '1500ms', down: true },
        { type: 'http', name: 'auth.default.svc.cluster.local', reply: { status: 401, latency: '2s' } },
      ],
    });
    expect(resolveClusters(scenario).map(({ envoyName, latencyMs, type }) => ({ envoyName, latencyMs, type }))).toMatchInlineSnapshot(`
      [
        {
          "envoyName": "outbound|6379||redis.static",
          "latencyMs": 1500,
          "type": "redis",
        },
        {
          "envoyName": "outbound|80||auth.default.svc.cluster.local",
          "latencyMs": 2000,
          "type": "http",
        },
      ]
    `);
  });
});

describe('resolveTiming', () => {
  test('starts the clock at the start time and converts the callback timeout to milliseconds', () => {
    const scenario = parseScenario({ requests: [{}], startTime: '2025-06-01T08:00:00+08:00', callbackTimeout: '500ms' });
    expect(resolveTiming(scenario)).toEqual({ startEpochMs: Date.UTC(2025, 5, 1, 0, 0, 0), callbackTimeoutMs: 500 });
  });
});

describe('redis seeds', () => {
  test('take lists, sets and sorted sets in their one-key forms next to strings and hashes', () => {
    const parsed = loadScenarioText(`
clusters:
  - type: redis
    name: redis.static
    seed:
      queue: { list: [a, 2] }
      blocked: { set: [10.0.0.7] }
      window: { zset: { r1: 1000 } }
      user: { list: alice }
requests: [{ path: / }]
`);
    expect(parsed.clusters[0]).toMatchObject({
      seed: { queue: { list: ['a', '2'] }, blocked: { set: ['10.0.0.7'] }, window: { zset: { r1: 1000 } }, user: { list: 'alice' } },
    });
  });
});

describe('redis databases', () => {
  test('take seeds for databases 1 to 15, in the forms seed takes', () => {
    const parsed = loadScenarioText(`
clusters:
  - type: redis
    name: redis.static
    seed: { quota: 1 }
    databases:
      2: { quota: 20 }
      15: { queue: { list: [a] } }
requests: [{ path: / }]
`);
    expect(parsed.clusters[0]).toMatchObject({ seed: { quota: '1' }, databases: { 2: { quota: '20' }, 15: { queue: { list: ['a'] } } } });
  });

  test('names a database key that is 0 or not a database, with the fix', () => {
    expect(() => loadScenarioText('clusters:\n  - { type: redis, name: r, databases: { 0: { a: 1 }, 16: { a: 1 } } }\nrequests: [{}]\n', 's.yaml'))
      .toThrowErrorMatchingInlineSnapshot(`
        [ScenarioError: s.yaml:2:42: scenario.clusters[0].databases["0"]: database 0 is filled by seed; move these keys under seed.
        s.yaml:2:55: scenario.clusters[0].databases["16"]: "16" is not a database; use a number from 1 to 15.]
      `);
  });
});

describe('scenarioJsonSchema', () => {
  test('describes every field in one sentence and forbids unknown ones', () => {
    const undescribed: string[] = [];
    const open: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      if (schema.type === 'object' && schema.properties !== undefined && schema.additionalProperties !== false) open.push(path);
      for (const [key, child] of Object.entries((schema.properties ?? {}) as Record<string, unknown>)) {
        const description = (child as { description?: unknown }).description;
        if (typeof description !== 'string' || !/^[A-Z"][^]*[.]$/.test(description)) undescribed.push(`${path}.${key}`);
        visit(child, `${path}.${key}`);
      }
      for (const key of ['items', 'additionalProperties', 'anyOf', 'oneOf']) {
        const child = schema[key];
        if (Array.isArray(child)) child.forEach((c, i) => visit(c, `${path}.${key}[${i}]`));
        else visit(child, `${path}[]`);
      }
    };
    const schema = scenarioJsonSchema();
    visit(schema, 'scenario');
    expect({ undescribed, open }).toEqual({ undescribed: [], open: [] });
    expect(schema.required).toEqual(['requests']);
  });

  test('gives durations a pattern that agrees with the parser on which durations have units', () => {
    const schema = scenarioJsonSchema() as { properties: { callbackTimeout: { pattern: string } } };
    const pattern = new RegExp(schema.properties.callbackTimeout.pattern);
    const verdicts = ['0s', '1500ms', '1m30s', '2.5s', '1h', '61', '100us', '1m30', ''].map((text) => `${text || '(empty)'}: ${pattern.test(text)}`);
    expect(verdicts).toEqual(['0s: true', '1500ms: true', '1m30s: true', '2.5s: true', '1h: true', '61: false', '100us: false', '1m30: false', '(empty): false']);
  });
});
