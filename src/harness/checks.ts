/**
 * Checks: a scenario's `expect` blocks evaluated against the outcomes of one run. This is the one
 * implementation behind `wasm-lab test` and the playground's ✓ and ✗ (runScenario checks each
 * outcome as it comes, with ChecksCollector, and puts the result in RunResult).
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
   * expectations it does not meet (an empty list when it passes). Only for the outcomes the run
   * kept (RunOptions.keepOutcomes): then `failures` has the whole run's.
   */
  byOutcome: Array<ExpectationFailure[] | null>;
  /**
   * Present when byOutcome covers only some outcomes: the failures of the whole run in outcome
   * order, for at most FAILED_REQUESTS_KEPT requests.
   */
  failures?: ExpectationFailure[];
  /** With `failures`: how many more requests failed whose failures are left out. */
  failuresOmitted?: number;
}

/** How many failing requests' failures a run keeps when it does not keep every outcome. */
export const FAILED_REQUESTS_KEPT = 100;

/**
 * The checks of a run, made one outcome at a time as outcomes come: counts, the per-outcome
 * entries of the first `keep` outcomes, and (when that is not all of them) the failures.
 */
export class ChecksCollector {
  readonly #keep: number;
  #outcomes = 0;
  #checked = 0;
  #passed = 0;
  #failedRequests = 0;
  readonly #byOutcome: Array<ExpectationFailure[] | null> = [];
  readonly #failures: ExpectationFailure[] = [];

  /** `keep`: how many outcomes' entries byOutcome keeps (Infinity: all). */
  constructor(keep = Infinity) {
    this.#keep = keep;
  }

  /**
   * Checks an outcome against the expect block of the request it answers; returns its failures,
   * or null when the request has none. Failure paths name the spec as written (`requests[0]`).
   */
  add(outcome: Outcome, request: Pick<ExpandedRequest, 'specPath' | 'expect'>): ExpectationFailure[] | null {
    const failures = request.expect === undefined ? null : checkExpectations(request.expect, outcome, request.specPath);
    this.#outcomes++;
    if (failures !== null) {
      this.#checked++;
      if (failures.length === 0) this.#passed++;
      else if (++this.#failedRequests <= FAILED_REQUESTS_KEPT) this.#failures.push(...failures);
    }
    if (this.#byOutcome.length < this.#keep) this.#byOutcome.push(failures);
    return failures;
  }

  result(): ScenarioChecks {
    const checks: ScenarioChecks = { checked: this.#checked, passed: this.#passed, byOutcome: this.#byOutcome };
    if (this.#byOutcome.length < this.#outcomes) {
      checks.failures = this.#failures;
      checks.failuresOmitted = Math.max(0, this.#failedRequests - FAILED_REQUESTS_KEPT);
    }
    return checks;
  }
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
  return checks.failures ?? checks.byOutcome.flatMap((failures) => failures ?? []);
}
