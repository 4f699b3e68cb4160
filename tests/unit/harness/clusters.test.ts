import { describe, expect, test } from 'vitest';
import { failedSelectMessage, parseRedisInitCluster } from '../../../src/harness/clusters.ts';

describe('parseRedisInitCluster', () => {
  test('reads the cluster name and no database from a bare name', () => {
    expect(parseRedisInitCluster('outbound|6379||redis.static')).toEqual({ cluster: 'outbound|6379||redis.static', db: null });
  });

  test('reads db among the buffer parameters, which it leaves out', () => {
    expect(parseRedisInitCluster('outbound|6379||redis.static?db=2&buffer_flush_timeout=3&max_buffer_size_before_flush=1024')).toEqual({
      cluster: 'outbound|6379||redis.static',
      db: '2',
    });
    expect(parseRedisInitCluster('outbound|6379||redis.static?buffer_flush_timeout=3&max_buffer_size_before_flush=1024')).toEqual({
      cluster: 'outbound|6379||redis.static',
      db: null,
    });
  });

  test('keeps db as written, for the server to accept or refuse', () => {
    expect(parseRedisInitCluster('c?db=-1').db).toBe('-1');
    expect(parseRedisInitCluster('c?db=abc').db).toBe('abc');
    expect(parseRedisInitCluster('c?db=').db).toBe('');
  });
});

describe('failedSelectMessage', () => {
  test('says the commands run in database 0 and how to fix it', () => {
    expect(failedSelectMessage('outbound|6379||redis.static', '16', 'ERR DB index is out of range')).toMatchInlineSnapshot(
      `"SELECT 16 on "outbound|6379||redis.static" failed (ERR DB index is out of range), so the plugin's commands run in database 0, as on a gateway, which ignores that reply; choose a database the server has (0 to 15 by default)."`,
    );
  });
});
