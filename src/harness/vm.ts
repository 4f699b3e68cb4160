/**
 * One plugin VM: the compiled module instantiated with our imports, `_initialize` run, and its
 * root context started and configured (reference/host-abi.md §7.1). Every call into the guest
 * goes through `invoke`, which sets the context host calls act on and turns a trap into a
 * PluginTrapError; after a trap the VM is dead and the gateway builds a new one.
 */
import { BufferType, WasmResult } from './abi/enums.ts';
import { GuestMemory } from './abi/memory.ts';
import type { VirtualClock } from './clock.ts';
import { ModuleError, PluginTrapError } from './run-errors.ts';
import { BodyBuffer } from './host/body-buffer.ts';
import type { CallScope, GatewayServices, HostEnv, StreamAccess } from './host/host-env.ts';
import { envFunctions } from './host/index.ts';
import { describeModule, type ModuleInfo } from './module-info.ts';
import { traceImports } from './trace.ts';
import { createWasi, ProcExit } from './wasi.ts';

export const ROOT_CONTEXT_ID = 1;

export interface VmOptions {
  clock: VirtualClock;
  gateway: GatewayServices;
  /** Receives every plugin log line (proxy_log, stdout as info, stderr as error) with the stream it belongs to. */
  onLog(streamId: number | null, level: number, message: string): void;
  /** Receives each call of an import this gateway does not implement. */
  onUnimplemented(streamId: number | null, module: string, name: string): void;
  /** Receives host-call trace lines; tracing is off (and free) when absent. */
  onTrace?: (streamId: number | null, line: string) => void;
  env?: Record<string, string>;
  /** Told as each guest call starts and ends, with the stream it runs for (the watchdog's view). */
  guestCalls?: { enter(callback: string, streamId: number | null): void; exit(): void };
}

const EMPTY_SCOPE: CallScope = {};

export class PluginVm {
  readonly info: ModuleInfo;
  readonly #options: VmOptions;
  #exports: Record<string, Function> = {};
  readonly #memory = new GuestMemory();
  readonly #streams = new Map<number, StreamAccess>();
  #effectiveId: number | null = null;
  /** The attached stream whose id is #effectiveId, or null: what host calls act on, found once per context switch rather than per host call. */
  #effectiveStream: StreamAccess | null = null;
  #scope: CallScope = EMPTY_SCOPE;
  #isDead = false;
  /** Recent stderr lines: a Go panic prints its message and stack there before trapping. */
  #stderr: string[] = [];
  #flushWasi: () => void = () => {};

  private constructor(info: ModuleInfo, options: VmOptions) {
    this.info = info;
    this.#options = options;
  }

  /**
   * Instantiates the module and runs `_initialize` (or `_start` for TinyGo builds). Throws
   * ModuleError when the module cannot be instantiated (checkPluginModule names the usual causes
   * first) and PluginTrapError when the entry point traps.
   */
  static async create(module: WebAssembly.Module, options: VmOptions): Promise<PluginVm> {
    const vm = new PluginVm(describeModule(module), options);
    let instance: WebAssembly.Instance;
    try {
      instance = await WebAssembly.instantiate(module, vm.#buildImports(module));
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/^WebAssembly\.instantiate\(\): /, '') : String(error);
      throw new ModuleError(`the plugin could not be instantiated: ${reason}`, 'the module declares something this host cannot link; rebuild it with the Higress SDK (GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared)');
    }
    vm.#exports = instance.exports as Record<string, Function>;
    const memory = instance.exports.memory;
    if (!(memory instanceof WebAssembly.Memory)) throw new ModuleError('the plugin exports no memory named "memory"; a gateway reads and writes plugin data through it, so export it');
    const allocate = vm.#exports.proxy_on_memory_allocate;
    vm.#memory.bind(memory, (size) => Number(allocate?.(size) ?? 0));
    vm.invoke(vm.info.entryPoint ?? '_initialize', [], null);
    return vm;
  }

  get isDead(): boolean {
    return this.#isDead;
  }

  /** Makes a stream reachable as an effective context while it lives. */
  attachStream(stream: StreamAccess): void {
    this.#streams.set(stream.id, stream);
    if (stream.id === this.#effectiveId) this.#effectiveStream = this.#streamOf(stream.id);
  }

  detachStream(id: number): void {
    this.#streams.delete(id);
    if (id === this.#effectiveId) this.#effectiveStream = null;
  }

  /** Sets the effective context, and with it the stream host calls act on. */
  #setEffective(contextId: number | null): void {
    this.#effectiveId = contextId;
    this.#effectiveStream = contextId === null || contextId === ROOT_CONTEXT_ID ? null : (this.#streams.get(contextId) ?? null);
  }

  #streamOf(id: number): StreamAccess | null {
    return id === ROOT_CONTEXT_ID ? null : (this.#streams.get(id) ?? null);
  }

  /** True when the module exports this callback (Go builds export every proxy_on_*). */
  has(exportName: string): boolean {
    return typeof this.#exports[exportName] === 'function';
  }

  /**
   * Calls an export with `contextId` as the effective context and `scope` as the callback's data.
   * Returns its numeric result (0 for void exports). Throws PluginTrapError when the guest traps.
   */
  invoke(exportName: string, args: number[], contextId: number | null, scope: CallScope = EMPTY_SCOPE): number {
    if (this.#isDead) throw new PluginTrapError(`the VM is dead; ${exportName} was not called`, this.#stderr);
    const fn = this.#exports[exportName];
    if (typeof fn !== 'function') return 0;
    const previousId = this.#effectiveId;
    const previousScope = this.#scope;
    this.#setEffective(contextId);
    this.#scope = scope;
    const { onTrace, guestCalls } = this.#options;
    try {
      onTrace?.(this.#currentStreamId(), `⇒ ${exportName}(${args.join(', ')})`);
      guestCalls?.enter(exportName, this.#currentStreamId());
      let result: number;
      try {
        result = Number(fn(...args) ?? 0);
      } finally {
        guestCalls?.exit();
      }
      onTrace?.(this.#currentStreamId(), `⇐ ${exportName} = ${result}`);
      return result;
    } catch (error) {
      this.#isDead = true;
      this.#flushWasi();
      throw PluginTrapError.from(error, this.#stderr, exportName);
    } finally {
      this.#setEffective(previousId);
      this.#scope = previousScope;
    }
  }

  /** Creates the root context, then vm_start and configure with the plugin's JSON (buffer 7). */
  start(configuration: Uint8Array): boolean {
    this.invoke('proxy_on_context_create', [ROOT_CONTEXT_ID, 0], ROOT_CONTEXT_ID);
    const vmConfig: CallScope = { bufferType: BufferType.VmConfiguration, buffer: new BodyBuffer(new Uint8Array(0), false) };
    if (!this.invoke('proxy_on_vm_start', [ROOT_CONTEXT_ID, 0], ROOT_CONTEXT_ID, vmConfig)) return false;
    const pluginConfig: CallScope = { bufferType: BufferType.PluginConfiguration, buffer: new BodyBuffer(configuration, false) };
    return this.invoke('proxy_on_configure', [ROOT_CONTEXT_ID, configuration.length], ROOT_CONTEXT_ID, pluginConfig) !== 0;
  }

  #currentStreamId(): number | null {
    return this.#effectiveId !== null && this.#effectiveId !== ROOT_CONTEXT_ID ? this.#effectiveId : null;
  }

  #hostEnv(): HostEnv {
    const vm = this;
    return {
      memory: this.#memory,
      clock: this.#options.clock,
      gateway: this.#options.gateway,
      stream: () => vm.#effectiveStream,
      scope: () => vm.#scope,
      setEffectiveContext(contextId) {
        if (contextId !== ROOT_CONTEXT_ID && !vm.#streams.has(contextId)) return WasmResult.BadArgument;
        vm.#setEffective(contextId);
        return WasmResult.Ok;
      },
      log: (level, message) => vm.#options.onLog(vm.#currentStreamId(), level, message),
    };
  }

  #buildImports(module: WebAssembly.Module): Record<string, Record<string, Function>> {
    const wasi = createWasi(() => this.#memory, {
      clock: this.#options.clock,
      env: this.#options.env,
      onOutput: (fd, line) => {
        if (fd === 2) this.#stderr = [...this.#stderr.slice(-199), line];
        this.#options.onLog(this.#currentStreamId(), fd === 1 ? 2 : 4, line);
      },
    });
    this.#flushWasi = wasi.flush;
    const implemented: Record<string, Record<string, Function>> = {
      env: envFunctions(this.#hostEnv()),
      wasi_snapshot_preview1: wasi.functions,
    };
    // Built from the module's own import list: an import we do not implement answers
    // Unimplemented (env) or ENOSYS (WASI) and is reported, never silently ignored.
    const imports: Record<string, Record<string, Function>> = {};
    for (const { module: ns, name, kind } of WebAssembly.Module.imports(module)) {
      if (kind !== 'function') continue;
      const table = (imports[ns] ??= {});
      const fn = implemented[ns]?.[name];
      table[name] =
        fn ??
        (() => {
          this.#options.onUnimplemented(this.#currentStreamId(), ns, name);
          return ns === 'wasi_snapshot_preview1' ? 52 : WasmResult.Unimplemented;
        });
    }
    const onTrace = this.#options.onTrace;
    if (!onTrace) return imports;
    return traceImports(imports, () => this.#memory, (line) => onTrace(this.#currentStreamId(), line));
  }
}

export { ProcExit };
