/**
 * fengari reads its settings from process.env.FENGARICONF when it loads; this module is imported
 * before it. LUA_COMPAT_FLOATSTRING prints integral floats as Lua 5.1 (Redis's Lua) does: `3`,
 * not `3.0`. In the browser, the site's Vite config defines the same value (astro.config.mjs).
 */
export const FENGARI_CONF = '{"LUA_COMPAT_FLOATSTRING":true}';

const nodeProcess = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
if (nodeProcess?.env) nodeProcess.env['FENGARICONF'] = FENGARI_CONF;
