/**
 * The in-browser Go toolchain for `astro dev`: the build `npm run build:go-toolchain` does (sharing
 * its cache in .cache/go-toolchain/), published at brotli quality 5 instead of 11, which takes
 * seconds instead of about two minutes; the page decodes any quality. The output goes to
 * .cache/go-toolchain-dev/<go version>/, which `npm run build` never reads, so a dev-quality file
 * cannot be shipped; tools/dev/serve-prepared.ts serves it at /go-dev/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Quality 5 packs the 34 MiB compiler into 6.0 MiB in under a second; quality 11 gets 4.9 MiB but
 * makes the whole toolchain a matter of minutes.
 */
export const DEV_BROTLI_QUALITY = 5;

/** The folder holding `<go version>/` of the dev toolchain. */
export function devToolchainRoot(root: string): string {
  return join(root, '.cache', 'go-toolchain-dev');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Imported here, not at the top: the dev server imports this module for the two names above only.
  const { buildGoToolchain, publishGoToolchain } = await import('../build-go-toolchain.ts');
  const { findGo, ToolchainError } = await import('../lib/go-toolchain.ts');
  try {
    const go = findGo();
    const root = join(import.meta.dirname, '..', '..');
    await publishGoToolchain(buildGoToolchain(go), go, console.log, { quality: DEV_BROTLI_QUALITY, outRoot: devToolchainRoot(root) });
  } catch (error) {
    if (!(error instanceof ToolchainError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
