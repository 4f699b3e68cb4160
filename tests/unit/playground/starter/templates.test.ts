import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { redisClusterFor } from '../../../../src/playground/starter/redis-cluster.ts';
import {
  GATEWAY_IMAGE,
  OCI_LAYER_MEDIA_TYPE,
  README_MEDIA_TYPE,
  renderDockerCompose,
  renderEnvoyYaml,
  renderMakefile,
  yamlName,
} from '../../../../src/playground/starter/templates.ts';
import { readExampleFiles } from './example-files.ts';
import { composeServices, imageVersion, isAtLeast, pluginConfiguration, wasmFilters } from './gateway-yaml.ts';

const BUILD = 'GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o main.wasm .';
const hasMake = spawnSync('make', ['--version']).status === 0;

/** Target name → its recipe lines (tab included), read the way make reads rules. */
function recipes(makefile: string): Map<string, string[]> {
  const rules = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of makefile.split('\n')) {
    const target = /^([A-Za-z][\w.-]*):(?!=)/.exec(line);
    if (target) rules.set(target[1]!, (current = []));
    else if (line.startsWith('\t') && current) current.push(line);
    else if (!line.startsWith('#')) current = undefined;
  }
  return rules;
}

const IMAGE = 'registry.example.com/wasm/redis-limiter:0.1.0';

/** The files of a tar archive (ustar headers: name at 0, octal size at 124), by name. */
function untar(tar: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let at = 0; at + 512 <= tar.length;) {
    const name = tar.subarray(at, at + 100).toString('utf8').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(tar.subarray(at + 124, at + 136).toString('utf8').replace(/\0.*$/s, '').trim(), 8);
    const type = String.fromCharCode(tar[at + 156]!);
    if (type === '0' || type === '\0') files.set(name, tar.subarray(at + 512, at + 512 + size));
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('renderMakefile', () => {
  const makefile = renderMakefile('redis-limiter', IMAGE);

  test('has build, test, run, higress, image, push, push-oras, clean and check-go rules, each with tab-indented recipes', () => {
    const rules = recipes(makefile);
    expect([...rules.keys()]).toEqual(['build', 'test', 'run', 'higress', 'image', 'push', 'push-oras', 'clean', 'check-go']);
    for (const [target, lines] of rules) {
      expect(lines.length, target).toBeGreaterThan(0);
      for (const line of lines) expect(line).toMatch(/^\t/);
    }
  });

  test('starts no line with spaces, which make rejects as a missing separator', () => {
    expect(makefile.split('\n').filter((l) => /^ +\S/.test(l))).toEqual([]);
  });

  test('builds a wasip1 c-shared module after checking Go', () => {
    expect(makefile).toContain('build: check-go\n');
    expect(recipes(makefile).get('build')).toEqual([`\t${BUILD}`]);
  });

  test('runs docker compose up and wasm-lab test on the project\'s scenario', () => {
    expect(recipes(makefile).get('run')).toEqual(['\tdocker compose up']);
    expect(recipes(makefile).get('test')).toEqual(['\t$(WASM_LAB) test scenario.yaml']);
    expect(makefile).toContain('WASM_LAB ?= npx wasm-lab\n');
  });

  test('starts the local Higress from higress/ after building', () => {
    expect(makefile).toContain('higress: build\n');
    expect(recipes(makefile).get('higress')).toEqual(['\tdocker compose -f higress/docker-compose.yaml up']);
  });

  test('builds and pushes IMAGE, a placeholder with the plugin\'s name and a version tag', () => {
    expect(makefile).toContain(`IMAGE ?= ${IMAGE}\n`);
    expect(recipes(makefile).get('image')).toEqual(['\tdocker build --platform linux/amd64 --provenance=false -t $(IMAGE) .']);
    expect(recipes(makefile).get('push')).toEqual(['\tdocker push $(IMAGE)']);
    expect(makefile).toContain('push: image\n');
  });

  test('pushes with oras as Higress\'s pipeline does: plugin.wasm in a tar.gz, last, as an OCI layer', () => {
    const oras = recipes(makefile).get('push-oras')!.at(-1)!.trim().split(/\s+/);
    expect(oras.slice(0, 3)).toEqual(['oras', 'push', '$(IMAGE)']);
    expect(oras.at(-1)).toBe(`./plugin.tar.gz:${OCI_LAYER_MEDIA_TYPE}`);
    expect(oras.slice(3, -1)).toEqual([`./README.md:${README_MEDIA_TYPE}`]);
    expect(OCI_LAYER_MEDIA_TYPE).toBe('application/vnd.oci.image.layer.v1.tar+gzip');
    expect(README_MEDIA_TYPE).toBe('application/vnd.module.wasm.doc.v1+markdown');
  });

  describe.skipIf(!hasMake)('with make (skipped: make is not installed)', () => {
    function runMake(goVersion: string | null, ...args: string[]) {
      const dir = mkdtempSync(join(tmpdir(), 'starter-make-'));
      try {
        writeFileSync(join(dir, 'Makefile'), makefile);
        const bin = join(dir, 'bin');
        spawnSync('mkdir', [bin]);
        // A fake go that only answers `go env GOVERSION`; PATH holds nothing else but the shell's tools.
        if (goVersion) writeFileSync(join(bin, 'go'), `#!/bin/sh\necho ${goVersion}\n`, { mode: 0o755 });
        return spawnSync('make', ['--no-print-directory', ...args], { cwd: dir, encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }

    /** A project folder with the Makefile, a README and stand-ins for go, docker and oras that log their arguments. */
    function runTools(...args: string[]) {
      const dir = mkdtempSync(join(tmpdir(), 'starter-push-'));
      const bin = join(dir, 'bin');
      spawnSync('mkdir', [bin]);
      writeFileSync(join(dir, 'Makefile'), makefile);
      writeFileSync(join(dir, 'README.md'), '# redis-limiter\n');
      // go: answers GOVERSION, and "builds" main.wasm as a module header plus a marker.
      writeFileSync(join(bin, 'go'), `#!/bin/sh
if [ "$1" = env ]; then echo go1.24.4; exit 0; fi
printf '\\000asm\\001\\000\\000\\000built' > main.wasm
`, { mode: 0o755 });
      for (const tool of ['docker', 'oras']) {
        writeFileSync(join(bin, tool), `#!/bin/sh\necho "${tool} $*" >> calls.log\n`, { mode: 0o755 });
      }
      const result = spawnSync('make', ['--no-print-directory', ...args], { cwd: dir, encoding: 'utf8', env: { PATH: `${bin}:/usr/bin:/bin` } });
      const read = (name: string) => { try { return readFileSync(join(dir, name)); } catch { return undefined; } };
      const calls = read('calls.log')?.toString('utf8').trim().split('\n') ?? [];
      const tarball = read('plugin.tar.gz');
      const wasm = read('main.wasm');
      rmSync(dir, { recursive: true, force: true });
      return { result, calls, tarball, wasm };
    }

    test('make push builds main.wasm, then builds and pushes the image', () => {
      const { result, calls } = runTools('push');
      expect(result.status, result.stderr).toBe(0);
      expect(calls).toEqual([`docker build --platform linux/amd64 --provenance=false -t ${IMAGE} .`, `docker push ${IMAGE}`]);
    });

    test('make push IMAGE=… pushes the image named on the command line', () => {
      const { calls } = runTools('push', 'IMAGE=my.registry.io/team/limiter:1.2.3');
      expect(calls.at(-1)).toBe('docker push my.registry.io/team/limiter:1.2.3');
    });

    test('make push-oras pushes a tar.gz holding main.wasm as plugin.wasm, last', () => {
      const { result, calls, tarball, wasm } = runTools('push-oras');
      expect(result.status, result.stderr).toBe(0);
      expect(calls).toEqual([`oras push ${IMAGE} ./README.md:${README_MEDIA_TYPE} ./plugin.tar.gz:${OCI_LAYER_MEDIA_TYPE}`]);
      const files = untar(gunzipSync(tarball!));
      expect([...files.keys()]).toEqual(['plugin.wasm']);
      expect(files.get('plugin.wasm')!.equals(wasm!)).toBe(true);
      // The gateway checks the wasm magic number after download.
      expect([...files.get('plugin.wasm')!.subarray(0, 4)]).toEqual([0, 0x61, 0x73, 0x6d]);
    });

    test('make clean removes what push-oras made', () => {
      expect(recipes(makefile).get('clean')).toEqual(['\trm -f main.wasm plugin.wasm plugin.tar.gz']);
    });

    test('prints the build command for make -n build', () => {
      const result = runMake('go1.24.4', '-n', 'build');
      expect(result.stdout.trim().split('\n').at(-1)).toBe(BUILD);
    });

    test.each(['go1.24.1', 'go1.25.0', 'go1.30.2'])('accepts %s', (version) => {
      expect(runMake(version, 'check-go').status).toBe(0);
    });

    test('stops with a message naming the version when Go is older than 1.24', () => {
      const result = runMake('go1.22.5', 'check-go');
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('go1.22.5 is too old: building a Higress plugin needs Go 1.24 or newer');
    });

    test('stops with a message when Go is not installed', () => {
      const result = runMake(null, 'check-go');
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain('Go is not installed; install Go 1.24 or newer from https://go.dev/dl/');
    });
  });
});

describe('renderDockerCompose', () => {
  const redis = redisClusterFor({ serviceName: 'redis.static', servicePort: 6379 });

  test.each([
    ['without Redis', renderDockerCompose({ example: 'hello-world', configJson: '{}' })],
    ['with Redis', renderDockerCompose({ example: 'redis-limiter', configJson: '{}', redis })],
    ['of hello-world', readExampleFiles('hello-world')['docker-compose.yaml']!],
    ['of redis-limiter', readExampleFiles('redis-limiter')['docker-compose.yaml']!],
  ])('parses, and its gateway image is Higress v2.1.5 or newer (%s)', (_, compose) => {
    const envoy = composeServices(compose)['envoy']!;
    expect(envoy.image.startsWith('higress-registry.cn-hangzhou.cr.aliyuncs.com/higress/gateway:')).toBe(true);
    const version = imageVersion(envoy.image);
    expect(version, envoy.image).toBeDefined();
    expect(isAtLeast(version!, [2, 1, 5]), envoy.image).toBe(true);
    expect(envoy.command).toBe('-c /etc/envoy/envoy.yaml --component-log-level wasm:debug');
    expect(envoy.volumes).toEqual(['./envoy.yaml:/etc/envoy/envoy.yaml', './main.wasm:/etc/envoy/main.wasm']);
  });

  test('pins the gateway image the reference names', () => {
    expect(GATEWAY_IMAGE).toBe('higress-registry.cn-hangzhou.cr.aliyuncs.com/higress/gateway:v2.1.5');
  });
});

describe('renderEnvoyYaml', () => {
  test('loads /etc/envoy/main.wasm in a filter named for the example', () => {
    const envoy = renderEnvoyYaml({ example: 'hello-world', configJson: '{"a":1}' });
    const [filter] = wasmFilters(envoy);
    expect(filter!.name).toBe('hello-world');
    expect(filter!.typed_config.value!.config.vm_config.code.local.filename).toBe('/etc/envoy/main.wasm');
    expect(filter!.typed_config.value!.config.configuration['@type']).toBe('type.googleapis.com/google.protobuf.StringValue');
  });

  test('keeps single quotes and backslashes in the configuration exactly', () => {
    const configJson = JSON.stringify({ v: "it's a \\ \"test\"" });
    expect(pluginConfiguration(renderEnvoyYaml({ example: 'x', configJson }))).toBe(configJson);
  });
});

describe('yamlName', () => {
  test.each([
    ['redis-limiter', 'redis-limiter'],
    ['outbound|6379||redis.static', 'outbound|6379||redis.static'],
    ['true', "'true'"],
    ['123', "'123'"],
    ['0x1f', "'0x1f'"],
    ['my plugin', "'my plugin'"],
    ["it's", "'it''s'"],
  ])('writes %j as %s', (name, source) => {
    expect(yamlName(name)).toBe(source);
    expect(parse(`k: ${yamlName(name)}`)).toEqual({ k: name });
  });
});
