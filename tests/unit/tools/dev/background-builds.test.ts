import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { BackgroundBuilds, EXAMPLES_STEP, TOOLCHAIN_STEP } from '../../../../tools/dev/background-builds.ts';

let root = '';
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A project root whose two builder scripts are the given stand-ins (plain JavaScript). */
function project(scripts: { examples: string; toolchain?: string }): string {
  root = mkdtempSync(join(tmpdir(), 'background-builds-'));
  for (const [step, text] of [[EXAMPLES_STEP, scripts.examples], [TOOLCHAIN_STEP, scripts.toolchain ?? '']] as const) {
    mkdirSync(dirname(join(root, step.script)), { recursive: true });
    writeFileSync(join(root, step.script), `import { existsSync } from 'node:fs';\n${text}\n`);
  }
  return root;
}

/** Script text that waits until the test creates `file`. */
const waitFor = (file: string) => `while (!existsSync(${JSON.stringify(file)})) await new Promise((r) => setTimeout(r, 20));`;

/** Resolves with 'waiting' when `promise` has not settled after `ms`. */
const stillWaitingAfter = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => 'ready'), new Promise((resolve) => setTimeout(() => resolve('waiting'), ms))]);

function recorder() {
  const lines: string[] = [];
  return { lines, log: { info: (l: string) => lines.push(`info ${l}`), error: (l: string) => lines.push(`error ${l}`) } };
}

describe('BackgroundBuilds', () => {
  test('makes a plugin ready on its ✓ line while the examples step still runs, and the toolchain after both steps', async () => {
    const gate = join(tmpdir(), `gate-${process.pid}-${Date.now()}`);
    const dir = project({
      examples: `console.log('… a: building');\nconsole.log('✓ a: 1.00 MiB in 0.1s, ABI 0_2_100');\nconsole.log('    imports: env.proxy_log');\n${waitFor(gate)}\nconsole.log('✓ b: unchanged (1.00 MiB, 123)');`,
      toolchain: `console.log('✓ go toolchain for the browser: .cache/go-toolchain-dev/go1.26.8/');`,
    });
    const { lines, log } = recorder();
    const builds = new BackgroundBuilds(dir, ['a', 'b'], log);
    builds.start();
    try {
      await builds.plugin('a');
      expect(await stillWaitingAfter(builds.plugin('b')!, 300)).toBe('waiting');
      expect(await stillWaitingAfter(builds.toolchain(), 0)).toBe('waiting');
      writeFileSync(gate, '');
      await builds.plugin('b');
      await builds.toolchain();
    } finally {
      rmSync(gate, { force: true });
    }
    // One line per event: the indented details stay out of the dev terminal.
    expect(lines.filter((l) => !/ready in \d+s$/.test(l))).toEqual([
      'info serving now; preparing the example plugins, then the in-browser Go toolchain, in the background',
      'info … a: building',
      'info ✓ a: 1.00 MiB in 0.1s, ABI 0_2_100',
      'info ✓ b: unchanged (1.00 MiB, 123)',
      'info ✓ go toolchain for the browser: .cache/go-toolchain-dev/go1.26.8/',
    ]);
  });

  test('answers the waits of unbuilt plugins and of the toolchain with the failed step\'s stderr', async () => {
    const dir = project({
      examples: `console.log('✓ a: 1.00 MiB in 0.1s');\nconsole.error('examples/b failed to build:\\nmain.go:3:1: syntax error');\nprocess.exit(1);`,
    });
    const { lines, log } = recorder();
    const builds = new BackgroundBuilds(dir, ['a', 'b'], log);
    builds.start();
    await expect(builds.plugin('a')).resolves.toBeUndefined();
    await expect(builds.plugin('b')).rejects.toThrowErrorMatchingInlineSnapshot(`
      [Error: the example plugins could not be built: examples/b failed to build:
      main.go:3:1: syntax error]
    `);
    await expect(builds.toolchain()).rejects.toThrow('examples/b failed to build');
    expect(lines.at(-1)).toMatch(/^error the example plugins could not be built: .*\n {2}\(fix it and restart npm run dev; pages still work, playgrounds do not\)$/s);
  });

  test('builds nothing and answers every wait with the reason when abandoned', async () => {
    const { lines, log } = recorder();
    const builds = new BackgroundBuilds(project({ examples: `throw new Error('must not run');` }), ['a'], log);
    builds.abandon('Go was not found on PATH; install Go 1.24 or newer.');
    await expect(builds.plugin('a')).rejects.toThrow('Go was not found on PATH');
    await expect(builds.toolchain()).rejects.toThrow('Go was not found on PATH');
    expect(lines).toEqual(['error Go was not found on PATH; install Go 1.24 or newer.']);
  });

  test('has no wait for a name that is not an example', () => {
    expect(new BackgroundBuilds(project({ examples: '' }), ['a'], recorder().log).plugin('manifest')).toBeUndefined();
  });
});
