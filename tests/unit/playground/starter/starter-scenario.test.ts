import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { starterScenario } from '../../../../src/playground/starter/starter-scenario.ts';

const CONFIG = '{"headerName":"x-lab"}';
const COPY_NOTE = '# A copy of config.json: with a .wasm path, wasm-lab takes the plugin config from here.';

describe('starterScenario', () => {
  test('replaces plugin and config in place of the first key and keeps the rest byte for byte', () => {
    const text = '# head\n\nroute: r1 # why\nplugin: hello-world\nconfig:\n  headerName: old\n  headerValue: v\n# between\nrequests:\n  - path: /x\n';
    expect(starterScenario(text, CONFIG)).toBe(
      `# head\n\nplugin: ./main.wasm\n${COPY_NOTE}\nconfig: ${CONFIG}\nroute: r1 # why\n# between\nrequests:\n  - path: /x\n`,
    );
  });

  test('adds plugin and config before the first key when the scenario has neither', () => {
    const text = '# only requests\nrequests: [{ path: /hello }]\n';
    expect(starterScenario(text, CONFIG)).toBe(`# only requests\nplugin: ./main.wasm\n${COPY_NOTE}\nconfig: ${CONFIG}\nrequests: [{ path: /hello }]\n`);
  });

  test('replaces a plugin that is the first key and the last line', () => {
    const result = starterScenario('requests: [{ path: / }]\nplugin: hello-world', CONFIG);
    expect(parse(result)).toEqual({ plugin: './main.wasm', config: { headerName: 'x-lab' }, requests: [{ path: '/' }] });
    expect(starterScenario('plugin: hello-world\nrequests: []\n', CONFIG)).toBe(`plugin: ./main.wasm\n${COPY_NOTE}\nconfig: ${CONFIG}\nrequests: []\n`);
  });

  test('rewrites a JSON scenario through the document, plugin and config first', () => {
    const result = starterScenario('{"requests": [{"path": "/"}], "plugin": "hello-world", "config": {"a": 1}}', CONFIG);
    expect(parse(result)).toEqual({ plugin: './main.wasm', config: { headerName: 'x-lab' }, requests: [{ path: '/' }] });
    expect(Object.keys(parse(result) as object)).toEqual(['plugin', 'config', 'requests']);
  });

  test('appends plugin and config to a scenario with only comments', () => {
    expect(parse(starterScenario('# nothing yet', CONFIG))).toEqual({ plugin: './main.wasm', config: { headerName: 'x-lab' } });
  });

  test('keeps a scenario that does not parse, with the two keys to add as comments', () => {
    const text = 'requests: [\n';
    expect(starterScenario(text, CONFIG)).toBe(
      `# This scenario did not parse in the playground. Fix it, and keep these two keys in it:\n# plugin: ./main.wasm\n# ${COPY_NOTE}\n# config: ${CONFIG}\n${text}`,
    );
  });
});
