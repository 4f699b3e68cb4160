/**
 * The Redis view: every key left in the embedded Redis after the run, with its type, value and
 * TTL, and its database when the run used any database but 0.
 */
import type { RunResult } from '../../harness/run.ts';
import { append, el, type Translate } from './dom.ts';
import { redisRows } from './view-model.ts';

/**
 * Replaces the container's content with a table of the keys in `redis` (RunResult.redis), or an
 * empty-state message when no key is left. A database column appears only when some key is
 * outside database 0, so the common case stays unmarked. Keys and values are plugin data:
 * textContent only.
 */
export function renderRedisView(container: HTMLElement, redis: RunResult['redis'], t: Translate): void {
  const rows = redisRows(redis);
  if (rows.length === 0) {
    container.replaceChildren(el('p', 'wl-empty wl-redis-empty not-content', t('redis.empty')));
    return;
  }
  const table = el('table', 'wl-redis not-content');
  table.append(el('caption', 'wl-redis-caption', t('redis.title')));
  const hasDatabases = rows.some((row) => row.db !== 0);
  const head = el('tr');
  for (const key of ['redis.key', 'redis.type', 'redis.value', 'redis.ttl', 'redis.cluster', ...(hasDatabases ? ['redis.db'] : [])]) {
    const th = el('th', '', t(key));
    th.scope = 'col';
    head.append(th);
  }
  const body = el('tbody');
  for (const row of rows) {
    const keyCell = el('th', 'wl-redis-key');
    keyCell.scope = 'row';
    keyCell.append(el('code', '', row.key));
    body.append(
      append(
        el('tr'),
        keyCell,
        el('td', 'wl-redis-type', row.type),
        append(el('td', 'wl-redis-value'), el('code', '', row.value)),
        el('td', 'wl-redis-ttl', row.ttl),
        el('td', 'wl-redis-cluster', row.cluster),
        hasDatabases && el('td', 'wl-redis-db', String(row.db)),
      ),
    );
  }
  table.append(append(el('thead'), head), body);
  container.replaceChildren(table);
}
