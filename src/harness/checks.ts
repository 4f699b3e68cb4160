/**
 * Checks: a scenario's `expect` blocks evaluated against the outcomes of one run. This is the one
 * implementation behind `wasm-lab test` and the playground's ✓ and ✗ (runScenario puts it in RunResult).
 */
import { checkExpectations, type ExpectationFailure } from './expect.ts';
import type { Outcome } from './outcome.ts';
import type { ExpandedRequest } from './scenario.ts';

/** What a run's outcomes say about the scenario's expect blocks; plain data, so it crosses postMessage. */
export interface ScenarioChecks {
  /** How many sent requests carry an expect block; a spec with `repeat: 3` counts three times. */
  checked: number;
  /** How many of those meet every expectation of their block. */
  passed: number;
  /**
   * One entry per outcome, by its index: null when its request has no expect block, else the
   * expectations it does not meet (an empty list when it passes).
   */
  byOutcome: Array<ExpectationFailure[] | null>;
}

/**
 * Checks each outcome against the expect block of the request it answers (matched by index).
 * Failure paths name the request as the scenario writes it (`requests[0]` for every repeat of
 * the first spec), so a reader finds the block to edit.
 */
export function checkScenario(
  requests: ReadonlyArray<Pick<ExpandedRequest, 'index' | 'specPath' | 'expect'>>,
  outcomes: readonly Outcome[],
): ScenarioChecks {
  const byIndex = new Map(requests.map((r) => [r.index, r]));
  const byOutcome = outcomes.map((outcome) => {
    const request = byIndex.get(outcome.index);
    return request?.expect === undefined ? null : checkExpectations(request.expect, outcome, request.specPath);
  });
  return {
    checked: requests.filter((r) => r.expect !== undefined).length,
    passed: byOutcome.filter((failures) => failures?.length === 0).length,
    byOutcome,
  };
}

/** Every failure of a run's checks, in outcome order: what `wasm-lab test` prints. */
export function allFailures(checks: ScenarioChecks): ExpectationFailure[] {
  return checks.byOutcome.flatMap((failures) => failures ?? []);
}
