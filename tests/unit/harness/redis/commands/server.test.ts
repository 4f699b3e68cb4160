import { describe, expect, test } from 'vitest';
import { redisConsole } from '../redis-console.ts';

describe('PING and ECHO', () => {
  test('answers PONG, or the message given', () => {
    const r = redisConsole();
    expect(r.transcript(['ping', 'PING "hi there"', 'echo 限流', 'ping a b'])).toMatchInlineSnapshot(`
      [
        "ping → PONG",
        "PING "hi there" → "hi there"",
        "echo 限流 → "限流"",
        "ping a b → (error) ERR wrong number of arguments for 'ping' command",
      ]
    `);
  });
});

describe('AUTH', () => {
  test('starts authenticated without a password and refuses the one-argument form', () => {
    const r = redisConsole();
    expect(r.transcript(['get k', 'auth x', 'auth default anything', 'auth alice x', 'auth a b c'])).toMatchInlineSnapshot(`
      [
        "get k → (nil)",
        "auth x → (error) ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?",
        "auth default anything → OK",
        "auth alice x → (error) WRONGPASS invalid username-password pair or user is disabled.",
        "auth a b c → (error) ERR syntax error",
      ]
    `);
  });

  test('answers NOAUTH until the password is given, after unknown-command and arity checks', () => {
    const r = redisConsole({ password: 'sekret' });
    expect(r.transcript(['get k', 'ping', 'foo a', 'get', 'auth wrong', 'get k', 'auth sekret', 'get k'])).toMatchInlineSnapshot(`
      [
        "get k → (error) NOAUTH Authentication required.",
        "ping → (error) NOAUTH Authentication required.",
        "foo a → (error) ERR unknown command 'foo', with args beginning with: 'a' ",
        "get → (error) ERR wrong number of arguments for 'get' command",
        "auth wrong → (error) WRONGPASS invalid username-password pair or user is disabled.",
        "get k → (error) NOAUTH Authentication required.",
        "auth sekret → OK",
        "get k → (nil)",
      ]
    `);
  });

  test('stays authenticated after a later AUTH fails', () => {
    const r = redisConsole({ password: 'sekret' });
    r.run('auth default sekret');
    expect(r.transcript(['auth default wrong', 'get k'])).toEqual([
      'auth default wrong → (error) WRONGPASS invalid username-password pair or user is disabled.',
      'get k → (nil)',
    ]);
  });

  test('accepts only the named user when one is configured, with the default user disabled', () => {
    const r = redisConsole({ username: 'alice', password: 'pw' });
    expect(r.transcript(['get k', 'auth pw', 'auth default pw', 'auth alice x', 'auth alice pw', 'get k'])).toEqual([
      'get k → (error) NOAUTH Authentication required.',
      'auth pw → (error) WRONGPASS invalid username-password pair or user is disabled.',
      'auth default pw → (error) WRONGPASS invalid username-password pair or user is disabled.',
      'auth alice x → (error) WRONGPASS invalid username-password pair or user is disabled.',
      'auth alice pw → OK',
      'get k → (nil)',
    ]);
  });

  test('authenticates one connection, not the others', () => {
    const first = redisConsole({ password: 'sekret' });
    const second = first.connect();
    first.run('auth sekret');
    expect(first.run('set k v')).toBe('OK');
    expect(second.run('get k')).toBe('(error) NOAUTH Authentication required.');
  });
});

describe('SELECT', () => {
  test('keeps 16 separate databases, chosen per connection', () => {
    const r = redisConsole();
    const other = r.connect();
    expect(r.transcript(['set k zero', 'select 15', 'get k', 'set k fifteen', 'dbsize', 'select 0', 'get k'])).toEqual([
      'set k zero → OK',
      'select 15 → OK',
      'get k → (nil)',
      'set k fifteen → OK',
      'dbsize → (integer) 1',
      'select 0 → OK',
      'get k → "zero"',
    ]);
    other.run('select 15');
    expect(other.run('get k')).toBe('"fifteen"');
  });

  test('rejects an index outside 0–15 with the error for its range', () => {
    const r = redisConsole();
    expect(r.transcript(['select 16', 'select -1', 'select abc', 'select 99999999999'])).toMatchInlineSnapshot(`
      [
        "select 16 → (error) ERR DB index is out of range",
        "select -1 → (error) ERR DB index is out of range",
        "select abc → (error) ERR value is not an integer or out of range",
        "select 99999999999 → (error) ERR value is out of range, value must between -2147483648 and 2147483647",
      ]
    `);
  });
});

describe('FLUSHALL, FLUSHDB and DBSIZE', () => {
  test('empties every database with FLUSHALL and only the current one with FLUSHDB', () => {
    const r = redisConsole();
    r.run('set a 1');
    r.run('select 1');
    r.run('mset a 1 b 2');
    expect(r.transcript(['dbsize', 'flushdb', 'dbsize', 'select 0', 'dbsize', 'flushall async', 'dbsize'])).toEqual([
      'dbsize → (integer) 2',
      'flushdb → OK',
      'dbsize → (integer) 0',
      'select 0 → OK',
      'dbsize → (integer) 1',
      'flushall async → OK',
      'dbsize → (integer) 0',
    ]);
  });

  test('accepts only SYNC or ASYNC as an option', () => {
    const r = redisConsole();
    r.run('set a 1');
    expect(r.transcript(['flushall foo', 'flushdb a b', 'dbsize'])).toEqual([
      'flushall foo → (error) ERR syntax error',
      'flushdb a b → (error) ERR syntax error',
      'dbsize → (integer) 1',
    ]);
  });
});
