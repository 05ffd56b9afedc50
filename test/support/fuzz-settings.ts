// How many generated cases a property test runs, and from which seed: fixed by default so CI sees the
// same cases every time (a failure names its seed and path; fast-check prints both), overridable for
// longer local runs: RH_FUZZ_RUNS=2000 RH_FUZZ_SEED=12345 npx tsx scripts/run-tests.ts test/relay/property
import type { Parameters as FcParameters } from 'fast-check';

export interface FuzzSettings {
  seed: number;
  numRuns: number;
}

function intFrom(raw: string | undefined, name: string): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, not ${raw}`);
  return n;
}

/** The seed and run count for one property file: `defaults` unless RH_FUZZ_SEED / RH_FUZZ_RUNS say otherwise. */
export function fuzzSettings(defaults: FuzzSettings): FuzzSettings {
  return {
    seed: intFrom(process.env['RH_FUZZ_SEED'], 'RH_FUZZ_SEED') ?? defaults.seed,
    numRuns: intFrom(process.env['RH_FUZZ_RUNS'], 'RH_FUZZ_RUNS') ?? defaults.numRuns,
  };
}

/** fast-check's parameters for these settings; a failure's report names the seed and the path to replay it. */
export function fcParameters<T>(settings: FuzzSettings): FcParameters<T> {
  // endOnFailure: shrinking replays against a live relay whose state the failing run changed; the first
  // counterexample, with its seed and path, is what a regression test is written from.
  return { seed: settings.seed, numRuns: settings.numRuns, endOnFailure: true, verbose: 1 };
}
