import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { wasmOnlyCompilerOverlay, wasmOnlyConfig, wasmOnlyMain } from '../../../tools/lib/wasm-only-compiler.ts';
import { hasGo } from '../../helpers/plugins.ts';

const MAIN = `package main

import (
\t"cmd/compile/internal/amd64"
\t"cmd/compile/internal/base"
\t"cmd/compile/internal/gc"
\t"cmd/compile/internal/mips"
\t"cmd/compile/internal/ssagen"
\t"cmd/compile/internal/wasm"
)

var archInits = map[string]func(*ssagen.ArchInfo){
\t"amd64":  amd64.Init,
\t"mips":   mips.Init,
\t"mipsle": mips.Init,
\t"wasm":   wasm.Init,
}

func main() {}
`;

const CONFIG = `package ssa

func NewConfig(arch string) *Config {
\tc := &Config{arch: arch}
\tswitch arch {
\tcase "amd64":
\t\tc.lowerValue = rewriteValueAMD64
\tcase "mips", "mipsle":
\t\tc.lowerValue = rewriteValueMIPS
\tcase "wasm":
\t\tc.lowerValue = rewriteValueWasm
\tdefault:
\t\tctxt.Diag("arch %s not implemented", arch)
\t}
\tswitch arch {
\tcase "amd64":
\t\tc.other = 1
\t}
\treturn c
}
`;

describe('the wasm-only compiler overlay', () => {
  test('keeps only the wasm backend in archInits and drops the other backends\u2019 imports', () => {
    const main = wasmOnlyMain(MAIN)!;
    expect(main).toContain('"wasm":   wasm.Init,');
    expect(main).toContain('"cmd/compile/internal/wasm"');
    expect(main).toContain('"cmd/compile/internal/gc"');
    expect(main).not.toMatch(/amd64|mips/);
  });

  test('keeps only case "wasm" and the default in NewConfig, and leaves later switches alone', () => {
    const config = wasmOnlyConfig(CONFIG)!;
    expect(config).toContain('rewriteValueWasm');
    expect(config).toContain('not implemented');
    expect(config).not.toMatch(/rewriteValueAMD64|rewriteValueMIPS/);
    expect(config).toContain('c.other = 1');
  });

  test('gives up (the full compiler gets built) when the sources look different', () => {
    expect(wasmOnlyMain(MAIN.replace('"wasm":   wasm.Init,', ''))).toBeNull();
    expect(wasmOnlyMain('package main\n')).toBeNull();
    expect(wasmOnlyConfig(CONFIG.replace('case "wasm":', 'case "js":'))).toBeNull();
    expect(wasmOnlyConfig(CONFIG.replace('\tswitch arch {', '\tswitch a {'))).toBeNull();
  });

  test.skipIf(!hasGo())('applies to the installed Go release', () => {
    const goroot = execFileSync('go', ['env', 'GOROOT'], { encoding: 'utf8' }).trim();
    const overlay = wasmOnlyCompilerOverlay(goroot);
    expect(overlay).not.toBeNull();
    const main = overlay!.replace[join(goroot, 'src/cmd/compile/main.go')]!;
    expect(main.match(/\.Init,/g)).toEqual(['.Init,']);
    const config = overlay!.replace[join(goroot, 'src/cmd/compile/internal/ssa/config.go')]!;
    const original = readFileSync(join(goroot, 'src/cmd/compile/internal/ssa/config.go'), 'utf8');
    expect(config.length).toBeLessThan(original.length);
    expect(config).toContain('rewriteValueWasm');
    expect(config).not.toContain('rewriteValueAMD64');
  });
});
