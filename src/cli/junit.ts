/**
 * `wasm-lab test --reporter junit --output <file>`: the reports as JUnit XML, the format CI systems
 * (GitHub Actions test reporters, GitLab, Jenkins) read. One <testsuite> per scenario file, one
 * <testcase> per checked request, its failures in the same words and diff `wasm-lab test` prints.
 * A long run names its first 1,000 passing and 1,000 failing requests (test.ts CASES_KEPT); the
 * rest are one <testcase> each for "… more passed" and "… more failed".
 */
import { formatFailures } from '../harness/expect.ts';
import type { ScenarioReport } from './test.ts';

export function junitXml(reports: readonly ScenarioReport[], elapsedSeconds: number): string {
  const count = (pick: (r: ScenarioReport) => number) => reports.reduce((n, r) => n + pick(r), 0);
  const testsOf = (r: ScenarioReport) => (r.status === 'error' ? 1 : r.cases.length + (r.casesOmitted?.passed ? 1 : 0) + (r.casesOmitted?.failed ? 1 : 0));
  const failuresOf = (r: ScenarioReport) => r.cases.filter((c) => c.failures.length > 0).length + (r.casesOmitted?.failed ? 1 : 0);
  const tests = count(testsOf);
  const failures = count(failuresOf);
  const errors = count((r) => (r.status === 'error' ? 1 : 0));
  const suites = reports.map((report) => {
    const attrs = `name="${escape(report.scenario)}" tests="${testsOf(report)}" failures="${failuresOf(report)}" errors="${report.status === 'error' ? 1 : 0}"`;
    if (report.status === 'error') {
      const { message, hint } = report.error!;
      const text = hint ? `${message} (${hint})` : message;
      return `  <testsuite ${attrs}>\n    <testcase classname="${escape(report.scenario)}" name="runs">\n      <error message="${escape(text)}" type="${escape(report.error!.kind)}"/>\n    </testcase>\n  </testsuite>`;
    }
    const cases = report.cases.map((c) => {
      const head = `    <testcase classname="${escape(report.scenario)}" name="${escape(c.name)}"`;
      if (c.failures.length === 0) return `${head}/>`;
      const message = c.failures.map((f) => `${f.path}: ${f.message}`).join(' ');
      return `${head}>\n      <failure message="${escape(message)}" type="expectation">${escape(formatFailures(c.failures))}</failure>\n    </testcase>`;
    });
    const omitted = report.casesOmitted;
    const name = (n: number, what: string) => `${escape(report.scenario)}" name="… ${n.toLocaleString('en-US')} more requests ${what}`;
    if (omitted?.passed) cases.push(`    <testcase classname="${name(omitted.passed, 'passed')}"/>`);
    if (omitted?.failed) {
      const message = `${omitted.failed.toLocaleString('en-US')} more requests failed their checks; wasm-lab test lists the first ones`;
      cases.push(`    <testcase classname="${name(omitted.failed, 'failed')}">\n      <failure message="${escape(message)}" type="expectation"/>\n    </testcase>`);
    }
    return `  <testsuite ${attrs}>\n${cases.join('\n')}\n  </testsuite>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="wasm-lab test" tests="${tests}" failures="${failures}" errors="${errors}" time="${elapsedSeconds.toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}

/** Text as XML attribute or element content; characters XML 1.0 cannot hold (control codes) become U+FFFD. */
function escape(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\n/g, '&#10;');
}
