// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';

// tsconfig leaves this file out of `tsc`: the validator ships TypeScript sources that expect
// type packages Astro 7 no longer installs. Astro itself loads and checks the config.
import starlightLinksValidator from 'starlight-links-validator';
import { cjkLineBreaks } from './src/site/cjk-line-breaks.ts';
import { issueLinks } from './src/site/issue-links.ts';
import { EDIT_BASE_URL, REPOSITORY_URL } from './src/site/repository.ts';
import { CODE_THEMES } from './src/site/code-themes.ts';
import { monacoCssOnDemand } from './src/site/monaco-css.ts';
import { prepareInBackground } from './tools/dev/prepare-in-background.ts';

// fengari (the embedded Redis's Lua, src/harness/redis/scripting/) reads its settings from
// process.env.FENGARICONF when it loads; in the browser this constant stands in for it
// (fengari-config.ts says why the setting matters).
const FENGARI_DEFINE = { 'process.env.FENGARICONF': JSON.stringify('{"LUA_COMPAT_FLOATSTRING":true}') };

// `srcDir: '.'` because Starlight reads its content from `<srcDir>/content/docs/`, and the
// project keeps pages in a top-level `content/` folder beside `src/` (harness, playground, CLI).
export default defineConfig({
  site: 'https://higress-wasm-lab.example',
  srcDir: '.',
  integrations: [
    // `astro dev` only: serves at once and builds the plugins and the Go toolchain behind the server.
    prepareInBackground(),
    {
      name: 'page-weight',
      hooks: {
        'astro:config:setup': ({ injectRoute, addMiddleware }) => {
          // What a playground fetches on first need (its example's files, main.go highlighted), so
          // pages do not carry a copy of the code per playground: src/site/example-files-route.ts.
          injectRoute({ pattern: '/example-files/[example].json', entrypoint: './src/site/example-files-route.ts' });
          // The service worker that keeps a page with a playground working offline once loaded; at
          // the root, so its scope covers the harness worker under /_astro/ (src/site/service-worker-route.ts).
          injectRoute({ pattern: '/sw.js', entrypoint: './src/site/service-worker-route.ts' });
          // Highlighted code and heading-link icons in fewer bytes and elements: src/site/compact-*.ts.
          addMiddleware({ entrypoint: new URL('./src/site/compact-html-middleware.ts', import.meta.url), order: 'post' });
        },
      },
    },
    starlight({
      title: { 'zh-CN': 'Higress WASM 实验室', en: 'Higress WASM Lab' },
      description: 'Write Higress Go WASM plugins and run them in your browser.',
      social: [{ icon: 'github', label: 'GitHub', href: REPOSITORY_URL }],
      editLink: { baseUrl: EDIT_BASE_URL },
      defaultLocale: 'root',
      locales: {
        root: { label: '简体中文', lang: 'zh-CN' },
        en: { label: 'English', lang: 'en' },
      },
      sidebar: [
        {
          label: '1 · 工具准备',
          translations: { en: '1 · Tool setup' },
          items: ['guide/setup'],
        },
        {
          label: '2 · 编写插件：Redis 限流',
          translations: { en: '2 · Write the Redis rate limiter' },
          items: ['guide/redis-limiter', 'guide/redis-limiter-lesson'],
        },
        {
          label: '3 · 本地调试与部署',
          translations: { en: '3 · Local debugging and deploying' },
          items: ['guide/debugging', 'guide/deploy'],
        },
        {
          label: '4 · 更多示例',
          translations: { en: '4 · More examples' },
          items: [{ autogenerate: { directory: 'examples' } }],
        },
        // The playground page: any plugin, a blank start, Open .wasm, Share (src/components/PlaygroundPage.astro).
        'playground',
        {
          label: '参考',
          translations: { en: 'Reference' },
          items: [{ autogenerate: { directory: 'reference' } }],
        },
      ],
      // `astro build` fails on a broken internal link or a missing #anchor.
      plugins: [starlightLinksValidator()],
      customCss: ['./src/styles/site.css'],
      // Shiki's Night Owl pair: the playground's Monaco editors load the same two themes
      // (@shikijs/monaco), so static and editable code look alike.
      expressiveCode: { themes: [CODE_THEMES.dark, CODE_THEMES.light] },
    }),
    // Joins Chinese lines wrapped in the page sources, which a browser would show with a space
    // between them (src/site/cjk-line-breaks.ts). Added to the processor as Starlight adds its own
    // plugins: `markdown.remarkPlugins` needs the unified processor, which Astro 7 replaced.
    {
      name: 'cjk-line-breaks',
      hooks: {
        'astro:config:setup': ({ config }) => {
          const { processor } = config.markdown;
          if (processor.name !== 'satteri') throw new Error(`cjk-line-breaks is a Sätteri plugin; markdown.processor is "${processor.name}".`);
          // Issue references (`higress-group/higress#1517`) become links: src/site/issue-links.ts.
          /** @type {{ mdastPlugins: unknown[] }} */ (processor.options).mdastPlugins.push(cjkLineBreaks(), issueLinks());
        },
      },
    },
  ],
  vite: {
    // Module workers, so a worker's dynamic import (the embedded Redis's Lua VM) stays a chunk of
    // its own, fetched only when a plugin sends EVAL.
    worker: { format: 'es' },
    optimizeDeps: {
      // Dependencies only the lazily started workers import: listed so `astro dev` bundles them
      // up front instead of discovering them on the first Run and reloading the page.
      include: ['brotli/decompress', 'zod', 'fengari', '@noble/hashes/legacy.js'],
      rolldownOptions: { transform: { define: FENGARI_DEFINE } },
    },
    // The same constant for `astro build`. Not a plain `define`: in dev, Vite also assigns every
    // define onto globalThis, and a `process` object there makes fengari take its Node paths.
    plugins: [
      { name: 'fengari-conf', apply: 'build', config: () => ({ define: FENGARI_DEFINE }) },
      // Monaco's CSS loads with the editor instead of being linked from every page.
      monacoCssOnDemand(),
    ],
  },
});
