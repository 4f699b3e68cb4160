/**
 * A redis-cli for tests: type command lines, read replies as redis-cli prints them, and move a
 * virtual clock. Replies are text so that inline snapshots read like a terminal session.
 */
import { formatReply, MemoryRedis, parseInlineCommand, type MemoryRedisOptions, type RedisSession } from '../../../../src/harness/redis/index.ts';

/** A fixed start time, in Unix milliseconds, so TTL arithmetic in tests is exact. */
export const T0 = 1_700_000_000_000;

export interface RedisConsole {
  engine: MemoryRedis;
  session: RedisSession;
  /** Runs one command line and returns the reply as redis-cli would print it. */
  run(line: string): string;
  /** Runs several lines and returns `line → reply` for each, for one snapshot of a session. */
  transcript(lines: string[]): string[];
  /** Opens a second connection to the same server. */
  connect(): RedisConsole;
  /** Moves the shared clock forward. */
  advance(ms: number): void;
  nowMs(): number;
}

/** Starts a MemoryRedis at T0 with one connection. */
export function redisConsole(options?: MemoryRedisOptions): RedisConsole {
  const engine = new MemoryRedis(options);
  const clock = { nowMs: T0 };
  return consoleOn(engine, clock);
}

function consoleOn(engine: MemoryRedis, clock: { nowMs: number }): RedisConsole {
  const session = engine.newSession();
  const run = (line: string) => formatReply(engine.execute(parseInlineCommand(line), clock.nowMs, session));
  return {
    engine,
    session,
    run,
    transcript: (lines) => lines.map((line) => `${line} → ${run(line)}`),
    connect: () => consoleOn(engine, clock),
    advance: (ms) => {
      clock.nowMs += ms;
    },
    nowMs: () => clock.nowMs,
  };
}
