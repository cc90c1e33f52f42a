import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { orderMachine } from '../../src/index.js';
import { checkOrderMachine } from '../../src/testing/index.js';

/**
 * Single-guard negations of the order machine: each guard answers the opposite of the package's own. At its
 * default budget `checkOrderMachine` must reject every one of them on every seed below (20 distinct seeds,
 * drawn once at random). A negated `mayVoidLabel` changes nothing but the verdict, the clock and the remembered
 * event ids of a voided label, so it is the one that used to slip through.
 */
const SEEDS = [
  1341424930, 1533022687, 133155878, 1257232428, 455259820, 1164511017, 2042279759, 958723083, 1582444349, 439475706,
  1104662027, 771909867, 1570993252, 1145244271, 722944869, 34554586, 414571619, 1821378028, 499768787, 1247925878,
] as const;

/** The guards issue 7 names; the test negates every guard the machine has, these at least. */
const NAMED_GUARDS = [
  'isDuplicateEvent',
  'isBeforePlacement',
  'isAutoCancelDue',
  'hasBuyerWindowClosed',
  'hasNothingLeft',
  'isRepeatedRequest',
  'mayBuyerCancel',
  'mayRequestCancellation',
  'maySellerCancel',
  'mayGenerateLabel',
  'mayVoidLabel',
  'mayConfirmShipment',
];

type Guard = (args: unknown, params: unknown) => boolean;
const guards = orderMachine.implementations.guards as unknown as Record<string, Guard>;

const negated = (name: string) => {
  const original = guards[name]!;
  return orderMachine.provide({
    guards: { [name]: (args: unknown, params: unknown) => !original(args, params) },
  } as never);
};

/** What `checkOrderMachine` says on `seed`: null when every property held, else the first failure's message. */
function failureOn(machine: typeof orderMachine, seed: number): string | null {
  try {
    checkOrderMachine(machine, { seed });
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

describe('checkOrderMachine against single-guard negations (default budget)', () => {
  // The default budget and the seeds below, whatever FC_NUM_RUNS / FC_SEED / FC_PATH the run was given.
  beforeAll(() => {
    for (const name of ['FC_NUM_RUNS', 'FC_SEED', 'FC_PATH']) vi.stubEnv(name, undefined);
  });
  afterAll(() => {
    vi.unstubAllEnvs();
  });

  it('should use 20 distinct seeds and negate every guard issue 7 names', () => {
    expect(new Set(SEEDS).size).toBe(20);
    expect(Object.keys(guards)).toEqual(expect.arrayContaining(NAMED_GUARDS));
  });

  it('should pass the package machine itself on the first seed (the kills below are not false alarms)', () => {
    for (const seed of SEEDS.slice(0, 1))
      expect(failureOn(orderMachine, seed), `checkOrderMachine(orderMachine, { seed: ${seed} })`).toBeNull();
  });

  it.each(Object.keys(guards))('should kill the negation of %s on all 20 seeds', (name) => {
    const mutant = negated(name);
    const survivors: number[] = [];
    for (const seed of SEEDS) {
      const failure = failureOn(mutant, seed);
      if (failure === null) survivors.push(seed);
      // A kill is a property that failed with a seed to replay, not a crash of the suite itself.
      else
        expect(failure, `negated ${name}, seed ${seed}`).toMatch(
          /^Property "order: .+" failed; replay with FC_SEED=-?\d+/,
        );
    }
    expect(
      survivors,
      `the negation of ${name} survived checkOrderMachine on seeds ${survivors.join(', ')} (of ${SEEDS.join(', ')})`,
    ).toEqual([]);
  });
});
