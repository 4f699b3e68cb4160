/**
 * `npm run dev` in a fresh copy of the project (project-copy.ts) with a `go` first on PATH that
 * holds every `go build` until release(): "while the plugins are still building" is arranged by
 * the test, not a race it hopes to win. A dev script that builds before it serves never prints
 * its URL, and start fails with the output.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyFreshProject } from './project-copy.ts';

/** Astro in a copy with no Vite cache starts in seconds; a loaded machine can take tens. */
const START_TIMEOUT_MS = 90_000;

export interface HeldDevServer {
  /** The server's origin, e.g. `http://localhost:4321`. */
  url: string;
  /** The copy the server runs in. */
  project: string;
  /** Lets every held `go build`, and every later one, run. */
  release(): void;
  /** Everything the server printed so far. */
  output(): string;
  /** Ends npm, Astro and the builds they started, and deletes the copy. */
  close(): void;
}

/** The environment without Vitest's marks: Astro's dev server serves no pages when it sees VITEST. */
function outsideVitest(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(VITEST|NODE_ENV$|TEST$)/.test(name)));
}

/** Writes `<binDir>/go`, which waits for `releaseFile` before any `go build`, then runs the real go. */
function writeHeldGo(binDir: string, releaseFile: string): void {
  const goroot = spawnSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).stdout.trim();
  mkdirSync(binDir, { recursive: true });
  const script = `#!/bin/sh\nif [ "$1" = build ]; then while [ ! -e '${releaseFile}' ]; do sleep 0.1; done; fi\nexec '${join(goroot, 'bin', 'go')}' "$@"\n`;
  writeFileSync(join(binDir, 'go'), script);
  chmodSync(join(binDir, 'go'), 0o755);
}

/** Copies the project, starts `npm run dev` there and resolves once it prints its URL. */
export async function startHeldDevServer(): Promise<HeldDevServer> {
  const scratch = mkdtempSync(join(tmpdir(), 'dev-server-'));
  const project = join(scratch, 'project');
  const releaseFile = join(scratch, 'release-go-build');
  copyFreshProject(project);
  writeHeldGo(join(scratch, 'bin'), releaseFile);
  // Its own process group, so close() ends npm, Astro and the builds they started together.
  const server = spawn('npm', ['run', 'dev', '--', '--port', '0'], {
    cwd: project,
    detached: true,
    env: { ...outsideVitest(), PATH: `${join(scratch, 'bin')}:${process.env.PATH}`, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const close = () => {
    try {
      process.kill(-server.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
    rmSync(scratch, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`npm run dev printed no URL in ${START_TIMEOUT_MS / 1000}s:\n${output}`)), START_TIMEOUT_MS);
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /Local\s+(http:\/\/localhost:\d+)\//.exec(output);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      };
      server.stdout.on('data', read);
      server.stderr.on('data', read);
      server.on('exit', (code) => reject(new Error(`npm run dev exited (${code}) before serving:\n${output}`)));
    });
    return { url, project, release: () => writeFileSync(releaseFile, ''), output: () => output, close };
  } catch (error) {
    close();
    throw error;
  }
}
