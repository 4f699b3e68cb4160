/**
 * `wasm-lab test`: runs every scenario given and checks its `expect` blocks, then prints a summary.
 * A scenario that cannot run (a bad file, a module that does not load) is reported with its one
 * sentence and the others still run. Exit 0 when all pass, 1 when an expectation fails, 2 when a
 * scenario could not run.
 */
import { writeFileSync } from 'node:fs';
import { allFailures } from '../harness/checks.ts';
import { formatDurationMs } from '../harness/duration.ts';
import { formatFailures, type ExpectationFailure } from '../harness/expect.ts';
import { HarnessError, isHarnessError, type HarnessErrorJSON } from '../harness/errors.ts';
import { describeFailure } from './failure.ts';
import { toJson } from './format.ts';
import { junitXml } from './junit.ts';
import { runScenarioFile } from './run.ts';

/** What `test` found for one scenario file; `--json` prints a list of these. */
export interface ScenarioReport {
  scenario: string;
  status: 'passed' | 'failed' | 'error';
  /** How many requests carry an `expect` block. */
  checked: number;
  failures: ExpectationFailure[];
  /** Each checked request, `#3 GET /api at 3s`, with its failures (none when it passes); for the JUnit file. */
  cases: Array<{ name: string; failures: ExpectationFailure[] }>;
  /** Why the scenario could not run, when status is `error`. */
  error?: HarnessErrorJSON;
}

export async function testCommand(args: { scenarios: string[]; plugin?: string; redisUrl?: string; json: boolean; junit?: string }): Promise<number> {
  const started = performance.now();
  const reports: ScenarioReport[] = [];
  for (const file of args.scenarios) {
    const report = await testScenarioFile(file, { ...(args.plugin ? { plugin: args.plugin } : {}), ...(args.redisUrl ? { redisUrl: args.redisUrl } : {}) });
    reports.push(report);
    if (!args.json) console.log(formatReport(report));
  }
  const count = (status: ScenarioReport['status']) => reports.filter((r) => r.status === status).length;
  if (args.junit) writeJunit(args.junit, junitXml(reports, (performance.now() - started) / 1000));
  // The JSON keeps its shape; the per-request cases are the JUnit file's.
  if (args.json) console.log(toJson(reports.map(({ cases: _cases, ...report }) => report)));
  else console.log(`\n${count('passed')} passed, ${count('failed')} failed${count('error') ? `, ${count('error')} could not run` : ''}`);
  return count('error') ? 2 : count('failed') ? 1 : 0;
}

/** Runs one scenario file (against `plugin` when given) and checks it; never throws, a failure to run becomes status `error`. */
async function testScenarioFile(file: string, options: { plugin?: string; redisUrl?: string }): Promise<ScenarioReport> {
  try {
    const { result } = await runScenarioFile(file, options);
    // The run checked its own expect blocks (harness/checks.ts), the same way the playground shows them.
    const failures = allFailures(result.checks);
    const checked = result.checks.checked;
    const cases = result.outcomes.flatMap((o) => {
      const caseFailures = result.checks.byOutcome[o.index];
      return caseFailures === null || caseFailures === undefined ? [] : [{ name: `#${o.index} ${o.request.method} ${o.request.path} at ${formatDurationMs(o.at)}`, failures: caseFailures }];
    });
    return { scenario: file, status: failures.length ? 'failed' : 'passed', checked, failures, cases };
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
  if (report.status === 'failed') return `✗ ${report.scenario}\n${formatFailures(report.failures)}`;
  return `✓ ${report.scenario} (${report.checked} request${report.checked === 1 ? '' : 's'} checked)`;
}

function indent(text: string): string {
  return text.split('\n').map((line) => `  ${line}`).join('\n');
}
