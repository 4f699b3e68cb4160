/**
 * `wasm-lab test`: runs every scenario given and checks its `expect` blocks, then prints a summary.
 * A scenario that cannot run (a bad file, a module that does not load) is reported with its one
 * sentence and the others still run. Exit 0 when all pass, 1 when an expectation fails, 2 when a
 * scenario could not run, 130 when Ctrl+C stopped it. Outcomes are checked as they come and only
 * failures and counts are kept, so a long scenario takes no more memory than a short one.
 */
import { writeFileSync } from 'node:fs';
import { allFailures } from '../harness/checks.ts';
import { formatDurationMs } from '../harness/duration.ts';
import { formatFailures, type ExpectationFailure } from '../harness/expect.ts';
import { HarnessError, isHarnessError, type HarnessErrorJSON } from '../harness/errors.ts';
import { countRequests } from '../harness/scenario.ts';
import { describeFailure } from './failure.ts';
import { toJson } from './format.ts';
import { junitXml } from './junit.ts';
import { INTERRUPTED_EXIT_CODE, Interruption, ProgressLine } from './progress.ts';
import { interruptedNote, runScenarioFile } from './run.ts';

/** What `test` found for one scenario file; `--json` prints a list of these. */
export interface ScenarioReport {
  scenario: string;
  status: 'passed' | 'failed' | 'error';
  /** How many requests carry an `expect` block. */
  checked: number;
  failures: ExpectationFailure[];
  /**
   * Each checked request, `#3 GET /api at 3s`, with its failures (none when it passes); for the
   * JUnit file. A long run keeps the first CASES_KEPT passing and CASES_KEPT failing ones.
   */
  cases: Array<{ name: string; failures: ExpectationFailure[] }>;
  /** Checked requests left out of `cases`, passing and failing. */
  casesOmitted?: { passed: number; failed: number };
  /** How many failing requests' failures `failures` leaves out (it keeps the first 100 requests'). */
  failuresOmitted?: number;
  /** Why the scenario could not run, when status is `error`. */
  error?: HarnessErrorJSON;
}

/** How many passing and how many failing checked requests a report names one by one. */
export const CASES_KEPT = 1000;

export async function testCommand(args: { scenarios: string[]; plugin?: string; redisUrl?: string; json: boolean; junit?: string }): Promise<number> {
  const started = performance.now();
  const reports: ScenarioReport[] = [];
  const interruption = new Interruption();
  const progress = new ProgressLine();
  let done = 0;
  let total = 0;
  try {
    for (const file of args.scenarios) {
      if (interruption.isInterrupted) break;
      const report = await testScenarioFile(file, { ...(args.plugin ? { plugin: args.plugin } : {}), ...(args.redisUrl ? { redisUrl: args.redisUrl } : {}) }, {
        interruption,
        onScenario: (count) => {
          progress.start(count, args.scenarios.length > 1 ? file : '');
          total += count;
        },
        onDone: (count) => {
          progress.advance(count);
          done += count;
        },
      });
      reports.push(report);
      progress.clear();
      if (!args.json) console.log(formatReport(report));
    }
  } finally {
    progress.stop();
    interruption.dispose();
  }
  const count = (status: ScenarioReport['status']) => reports.filter((r) => r.status === status).length;
  if (args.junit) writeJunit(args.junit, junitXml(reports, (performance.now() - started) / 1000));
  // The JSON keeps its shape; the per-request cases are the JUnit file's.
  if (args.json) console.log(toJson(reports.map(({ cases: _cases, casesOmitted: _omitted, ...report }) => report)));
  else console.log(`\n${count('passed')} passed, ${count('failed')} failed${count('error') ? `, ${count('error')} could not run` : ''}`);
  if (interruption.isInterrupted) {
    console.error(interruptedNote(done, total));
    return INTERRUPTED_EXIT_CODE;
  }
  return count('error') ? 2 : count('failed') ? 1 : 0;
}

interface TestRunHooks {
  interruption: Interruption;
  /** The scenario's request count, once it is read. */
  onScenario(count: number): void;
  /** `count` more requests were checked. */
  onDone(count: number): void;
}

/** Runs one scenario file (against `plugin` when given) and checks it; never throws, a failure to run becomes status `error`. */
async function testScenarioFile(file: string, options: { plugin?: string; redisUrl?: string }, hooks: TestRunHooks): Promise<ScenarioReport> {
  const cases: ScenarioReport['cases'] = [];
  const kept = { passed: 0, failed: 0 };
  const omitted = { passed: 0, failed: 0 };
  try {
    const { result } = await runScenarioFile(file, {
      ...options,
      onScenario: (scenario) => hooks.onScenario(countRequests(scenario)),
      // Each outcome is checked in the worker as it comes (harness/checks.ts, as the playground shows
      // them); only the names of checked requests, with their failures, come back to be kept.
      onOutcomes: (outcomes, failures) => {
        outcomes.forEach((o, i) => {
          const caseFailures = failures[i];
          if (caseFailures === null || caseFailures === undefined) return;
          const side = caseFailures.length > 0 ? 'failed' : 'passed';
          if (kept[side] >= CASES_KEPT) return void omitted[side]++;
          kept[side]++;
          cases.push({ name: `#${o.index} ${o.request.method} ${o.request.path} at ${formatDurationMs(o.at)}`, failures: caseFailures });
        });
        hooks.onDone(outcomes.length);
      },
      signal: hooks.interruption.stop.signal,
      killSignal: hooks.interruption.kill.signal,
    });
    const failures = allFailures(result.checks);
    const failuresOmitted = result.checks.failuresOmitted ?? 0;
    const checked = result.checks.checked;
    return {
      scenario: file,
      status: failures.length || failuresOmitted ? 'failed' : 'passed',
      checked,
      failures,
      cases,
      ...(omitted.passed || omitted.failed ? { casesOmitted: omitted } : {}),
      ...(failuresOmitted ? { failuresOmitted } : {}),
    };
  } catch (error) {
    const plain: HarnessErrorJSON =
      isHarnessError(error) && error.kind !== 'internal'
        ? { kind: error.kind, message: error.message, ...(error.hint ? { hint: error.hint } : {}) }
        : { kind: 'internal', message: describeFailure(error) };
    return { scenario: file, status: 'error', checked: 0, failures: [], cases: [], error: plain };
  }
}

/** Writes the JUnit file, or ends the command with one sentence when it cannot. */
function writeJunit(path: string, xml: string): void {
  try {
    writeFileSync(path, xml);
  } catch (error) {
    throw new HarnessError('bad-input', `--output ${path} cannot be written (${(error as NodeJS.ErrnoException).code ?? String(error)}); name a file in a folder that exists.`);
  }
}

function formatReport(report: ScenarioReport): string {
  if (report.status === 'error') {
    const { message, hint } = report.error!;
    return `✗ ${report.scenario} could not run:\n${indent(hint ? `${message} (${hint})` : message)}`;
  }
  if (report.status === 'failed') {
    const more = report.failuresOmitted ? `\n… and ${report.failuresOmitted.toLocaleString('en-US')} more failing requests not shown` : '';
    return `✗ ${report.scenario}\n${formatFailures(report.failures)}${more}`;
  }
  return `✓ ${report.scenario} (${report.checked} request${report.checked === 1 ? '' : 's'} checked)`;
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
