/** Errors a run can end with: a bad module, a rejected configuration, a trap, a stuck callback. */
import { HarnessError, type HarnessErrorJSON } from './errors.ts';
import type { LogLine } from './outcome.ts';
import type { CallbackOverrun } from './worker/watchdog.ts';

/** The bytes are not a module a gateway could load; the message names exactly what is missing. */
export class ModuleError extends HarnessError {
  constructor(message: string, hint?: string) {
    super('bad-module', message, hint);
    this.name = 'ModuleError';
  }
}

/** proxy_on_configure (or vm_start) returned false: a gateway would reject (NACK) the config. */
export class ConfigRejectedError extends HarnessError {
  readonly logs: LogLine[];
  constructor(logs: LogLine[], during: 'vm_start' | 'configure' = 'configure') {
    const detail = logs.filter((l) => l.level === 'warn' || l.level === 'error' || l.level === 'critical').map((l) => l.message);
    super(
      'config-rejected',
      `plugin rejected its configuration${during === 'vm_start' ? ' (proxy_on_vm_start returned false)' : ''}${detail.length ? `: ${detail.join(' | ')}` : '.'}`,
      'fix the config field the plugin names in its log, then run again',
    );
    this.name = 'ConfigRejectedError';
    this.logs = logs;
  }

  override toJSON(): HarnessErrorJSON & { logs: LogLine[] } {
    return { ...super.toJSON(), logs: this.logs };
  }
}

/** The guest trapped: a Go panic that escaped recovery, proc_exit, unreachable, stack overflow. */
export class PluginTrapError extends HarnessError {
  /** What the plugin wrote to stderr before it died: a Go panic's message and stack. */
  readonly stderr: string[];
  readonly exportName: string | undefined;

  constructor(message: string, stderr: string[], exportName?: string) {
    super('plugin-trap', message, 'read the panic message and the first `main.` frame of the stack in the logs');
    this.name = 'PluginTrapError';
    this.stderr = stderr;
    this.exportName = exportName;
  }

  /** Builds the error from what the guest call threw, quoting the panic line when there is one. */
  static from(error: unknown, stderr: string[], exportName: string): PluginTrapError {
    const panic = [...stderr].reverse().find((line) => line.startsWith('panic: '));
    const cause =
      error instanceof Error && (error as { kind?: unknown }).kind === 'proc-exit'
        ? error.message
        : error instanceof Error
          ? `${error.name === 'RuntimeError' ? 'wasm trap' : error.name}: ${error.message}`
          : String(error);
    const message = panic ? `the plugin panicked in ${exportName}: ${panic.slice('panic: '.length)}` : `the plugin crashed in ${exportName} (${cause})`;
    return new PluginTrapError(message, [...stderr], exportName);
  }
}

/** A guest call ran past callbackTimeout; the worker running the VM was stopped (worker/watchdog.ts). */
export class CallbackTimeoutError extends HarnessError {
  readonly overrun: CallbackOverrun;
  /** The request the call ran for, when the watcher knew it. */
  readonly request: StuckRequest | undefined;

  constructor(overrun: CallbackOverrun, request?: StuckRequest) {
    const label = request ? ` (${request.method} ${request.path} at ${request.atMs} ms)` : '';
    const where = overrun.request < 0 ? 'outside any request (start-up or a timer)' : `while handling request #${overrun.request}${label}`;
    const time = `${overrun.usedMs} ms${overrun.clock === 'cpu' ? ' of CPU time' : ''}`;
    super(
      'callback-timeout',
      `${overrun.callback} ran for ${time} without returning ${where}, over the callbackTimeout of ${overrun.limitMs} ms; the VM was stopped`,
      "look for an endless loop or a blocking wait in that callback; only the plugin's own code counts toward callbackTimeout, so raise it only if the callback really needs that long",
    );
    this.name = 'CallbackTimeoutError';
    this.overrun = overrun;
    this.request = request;
  }

  override toJSON(): HarnessErrorJSON & { overrun: CallbackOverrun; request?: StuckRequest } {
    return { ...super.toJSON(), overrun: this.overrun, ...(this.request === undefined ? {} : { request: this.request }) };
  }
}

/** A request as messages name it: `GET /path at 0 ms`. */
export interface StuckRequest {
  method: string;
  path: string;
  atMs: number;
}

/** The sentence a user sees when a plugin calls a cluster the scenario does not declare. */
export function unknownClusterMessage(cluster: string, type: 'http' | 'redis'): string {
  return `The plugin called cluster "${cluster}", which the scenario does not declare; add it under clusters with type: ${type}.`;
}

/**
 * What to check when a cluster name is unknown: names the declared cluster for the same service
 * when there is one (usually the port differs, e.g. 6379 in the config and 80 for a .static service).
 */
export function unknownClusterHint(cluster: string, declared: Iterable<string>): string {
  const service = (name: string) => name.split('|')[3] ?? name;
  const sameService = [...declared].find((name) => service(name) === service(cluster));
  return sameService
    ? `the scenario declares "${sameService}" for the same service; the port in the name differs, so make the plugin's port match (e.g. servicePort) or declare the cluster with its port`
    : 'the name must match the gateway cluster exactly: outbound|<port>||<service name>';
}
