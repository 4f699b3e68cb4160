/**
 * An Astro integration that lets `astro dev` serve pages at once on a fresh clone: it builds the
 * example plugins and the in-browser Go toolchain in the background (background-builds.ts) and
 * holds requests for them until they are ready (serve-prepared.ts). `astro build` is untouched:
 * `npm run build` still builds everything first and ships the toolchain at brotli quality 11.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration, AstroIntegrationLogger } from 'astro';
import type { Plugin } from 'vite';
import { listGoPlugins } from '../../src/harness/node/plugin-files.ts';
import { findGo } from '../lib/go-toolchain.ts';
import { BackgroundBuilds } from './background-builds.ts';
import { devToolchainRoot } from './publish-dev-toolchain.ts';
import { servePrepared } from './serve-prepared.ts';

/**
 * One set of builds per process: Astro restarts its server (and may load this module again) when
 * the config changes, and the builds already running must not start over beside themselves.
 */
const BUILDS = Symbol.for('higress-wasm-lab.dev-builds');
type WithBuilds = typeof globalThis & { [BUILDS]?: BackgroundBuilds };

function startBuilds(root: string, logger: AstroIntegrationLogger): { builds: BackgroundBuilds; goVersion: string } {
  let goVersion = 'unknown';
  let goProblem: string | undefined;
  try {
    goVersion = findGo().version;
  } catch (error) {
    goProblem = error instanceof Error ? error.message : String(error);
  }
  const held = globalThis as WithBuilds;
  if (!held[BUILDS]) {
    const builds = new BackgroundBuilds(root, listGoPlugins(join(root, 'examples')), { info: (l) => logger.info(l), error: (l) => logger.error(l) });
    if (goProblem) builds.abandon(goProblem);
    else builds.start();
    process.once('exit', () => builds.stop());
    held[BUILDS] = builds;
  }
  return { builds: held[BUILDS], goVersion };
}

/** The integration; add it to astro.config.mjs's `integrations`. */
export function prepareInBackground(): AstroIntegration {
  return {
    name: 'wasm-lab:prepare-in-background',
    hooks: {
      'astro:config:setup': ({ command, config, updateConfig, logger }) => {
        if (command !== 'dev') return;
        const root = fileURLToPath(config.root);
        const base = config.base.replace(/\/$/, '');
        const plugin: Plugin = {
          name: 'wasm-lab:serve-prepared',
          apply: 'serve',
          // The toolchain build writes thousands of files under .cache/; no page depends on them.
          config: () => ({ server: { watch: { ignored: ['**/.cache/**'] } } }),
          // Added directly, not returned: it must run before Vite's static files and Astro's pages.
          configureServer(server) {
            const { builds, goVersion } = startBuilds(root, logger);
            const toolchainDir = join(devToolchainRoot(root), goVersion);
            server.middlewares.use(servePrepared({ base, wasmDir: join(root, 'public', 'wasm'), toolchainDir, builds }));
          },
        };
        updateConfig({ vite: { plugins: [plugin] } });
      },
    },
  };
}
