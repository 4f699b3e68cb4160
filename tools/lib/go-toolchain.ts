/** Finds the local Go toolchain and checks it can build wasip1 reactors (Go ≥ 1.24). */
import { execFileSync } from 'node:child_process';

export const MIN_GO = { major: 1, minor: 24 } as const;

export interface GoToolchain {
  /** As `go env GOVERSION` prints it, e.g. `go1.26.8`. */
  version: string;
  major: number;
  minor: number;
}

/** A problem with the local toolchain, worded as one sentence a user can act on. */
export class ToolchainError extends Error {
  readonly kind = 'toolchain';
}

const INSTALL_HINT = 'install Go 1.24 or newer from https://go.dev/dl/ and run `npm run build:examples` again';

/** Runs `go env GOVERSION`; throws a ToolchainError when Go is missing or older than 1.24. */
export function findGo(env: NodeJS.ProcessEnv = process.env): GoToolchain {
  let version: string;
  try {
    version = execFileSync('go', ['env', 'GOVERSION'], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new ToolchainError(`Go was not found on PATH; ${INSTALL_HINT}.`);
  }
  const match = /^go(\d+)\.(\d+)/.exec(version);
  if (!match) throw new ToolchainError(`Could not read the Go version ("${version}"); ${INSTALL_HINT}.`);
  const major = Number(match[1]);
  const minor = Number(match[2]);
  if (major < MIN_GO.major || (major === MIN_GO.major && minor < MIN_GO.minor)) {
    throw new ToolchainError(
      `${version} cannot build wasip1 plugins with -buildmode=c-shared (Go 1.24 added it); ${INSTALL_HINT}.`,
    );
  }
  return { version, major, minor };
}
