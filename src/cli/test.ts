/** `wasm-lab test`: runs scenarios and checks their `expect` blocks; exit 1 with a diff when one fails. */
import { checkExpectations, formatFailures, type ExpectationFailure } from '../harness/expect.ts';
import { expandRequests } from '../harness/scenario.ts';
import { toJson } from './format.ts';
import { runScenarioFile } from './run.ts';

export async function testCommand(args: { scenarios: string[]; redisUrl?: string; json: boolean }): Promise<number> {
  if (args.scenarios.length === 0) {
    console.error('wasm-lab test needs at least one scenario file, e.g. wasm-lab test examples/redis-limiter/scenario.yaml');
    return 2;
  }
  let failed = 0;
  let passed = 0;
  const report: Array<{ scenario: string; failures: ExpectationFailure[] }> = [];
  for (const file of args.scenarios) {
    const { scenario, result } = await runScenarioFile(file, args.redisUrl ? { redisUrl: args.redisUrl } : {});
    const requests = expandRequests(scenario);
    const failures = result.outcomes.flatMap((o) => {
      const request = requests[o.index]!;
      return checkExpectations(request.expect, o, request.specPath);
    });
    const checked = requests.filter((r) => r.expect).length;
    report.push({ scenario: file, failures });
    if (failures.length) {
      failed++;
      if (!args.json) console.log(`✗ ${file}\n${formatFailures(failures)}`);
    } else {
      passed++;
      if (!args.json) console.log(`✓ ${file} (${checked} request${checked === 1 ? '' : 's'} checked)`);
    }
  }
  if (args.json) console.log(toJson(report));
  else console.log(`\n${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}
