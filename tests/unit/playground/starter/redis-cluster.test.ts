import { describe, expect, test } from 'vitest';
import { buildStarterProject } from '../../../../src/playground/starter/starter-project.ts';
import { redisClusterFor } from '../../../../src/playground/starter/redis-cluster.ts';
import { readExampleFiles, withoutGatewayFiles } from './example-files.ts';
import { clusters } from './gateway-yaml.ts';

describe('redisClusterFor', () => {
  test.each([
    [{ serviceName: 'redis.static' }, 'outbound|80||redis.static'],
    [{ serviceName: 'redis.static', servicePort: 6379 }, 'outbound|6379||redis.static'],
    [{ serviceName: 'redis.dns' }, 'outbound|6379||redis.dns'],
    [{ serviceName: 'redis.dns', servicePort: 6380 }, 'outbound|6380||redis.dns'],
    [{ serviceName: 'redis.default.svc.cluster.local' }, 'outbound|6379||redis.default.svc.cluster.local'],
    [{ serviceName: 'redis.static', servicePort: '6379' }, 'outbound|80||redis.static'],
    [{ serviceName: 'redis.dns', servicePort: 6379.5 }, 'outbound|6379||redis.dns'],
  ])('names %j as FQDNCluster does: %s', (config, name) => {
    expect(redisClusterFor(config)?.name).toBe(name);
  });

  test.each([
    ['no serviceName', { qpm: 3 }],
    ['an empty serviceName', { serviceName: '' }],
    ['a non-string serviceName', { serviceName: 7 }],
    ['an array', [{ serviceName: 'redis.static' }]],
    ['null', null],
  ])('returns undefined for %s', (_, config) => {
    expect(redisClusterFor(config)).toBeUndefined();
  });

  test.each([
    ['.static without a port', '{"serviceName":"redis.static","qpm":1}', 'outbound|80||redis.static'],
    ['.dns without a port', '{"serviceName":"redis.dns","qpm":1}', 'outbound|6379||redis.dns'],
    ['an explicit port', '{"serviceName":"redis.static","servicePort":6379,"qpm":1}', 'outbound|6379||redis.static'],
  ])('gives the generated envoy.yaml its Redis cluster name for %s', (_, config, name) => {
    const files = withoutGatewayFiles(readExampleFiles('redis-limiter'));
    const project = buildStarterProject({ example: 'redis-limiter', files, config, scenario: files['scenario.yaml']! });
    const names = [...clusters(project['envoy.yaml']!).keys()];
    expect(names).toEqual(['httpbin', name]);
  });
});
