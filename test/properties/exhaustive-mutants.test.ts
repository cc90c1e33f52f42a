import { describe, expect, it } from 'vitest';
import { orderMachine } from '../../src/index.js';
import { checkOrderMachineExhaustively, OrderCounterexampleError } from '../../src/testing/index.js';

/**
 * Mutants of the package's machine, made through XState's public API (`machine.provide({ guards })`), each of which
 * the exhaustive check must reject at depth 2, deterministically (breadth-first, no randomness): every single-guard
 * negation, and both off-by-ones (1 ms early, and `<` for `<=` or the reverse) of every comparison of an instant
 * with a deadline the guards make.
 */
const MUTANT_DEPTH = 2;

type Guard = (args: { context: Record<string, unknown> }, params: unknown) => boolean;
const guards = orderMachine.implementations.guards as unknown as Record<string, Guard>;

/**
 * The deadline comparisons the guards make, each with the context field it compares against and the guards that
 * make it. Moving the deadline 1 ms later turns `at >= deadline` into `at > deadline` (and `at < placedAt` into
 * `at <= placedAt`); 1 ms earlier makes the comparison 1 ms early. The buyer's own window is checked by two guards of
 * one transition (`isInsideBuyerWindow` and the rule's `mayBuyerCancel`): they are moved together, as moving one alone
 * leaves the other deciding.
 */
const DEADLINE_COMPARISONS = [
  { comparison: 'before placement', field: 'placedAt', guards: Object.keys(guards) },
  {
    comparison: 'the window closing',
    field: 'buyerCancelUntil',
    guards: ['hasBuyerWindowClosed'],
  },
  {
    comparison: "the buyer's own window",
    field: 'buyerCancelUntil',
    guards: ['isInsideBuyerWindow', 'mayBuyerCancel'],
  },
  { comparison: 'the auto-cancel', field: 'autoCancelAt', guards: ['isAutoCancelDue'] },
  {
    comparison: 'a stale report',
    field: 'marketplaceStatusAt',
    guards: ['isStaleReport'],
  },
] as const;

/** The package's machine whose `names` guards see `field` moved by `by` ms. */
function offByOne(field: string, names: readonly string[], by: 1 | -1) {
  const moved = (name: string): Guard => {
    const original = guards[name]!;
    return ({ context, ...rest }, params) => {
      const deadline = context[field];
      return original(
        { ...rest, context: { ...context, [field]: typeof deadline === 'number' ? deadline + by : deadline } },
        params,
      );
    };
  };
  return orderMachine.provide({ guards: Object.fromEntries(names.map((name) => [name, moved(name)])) } as never);
}

/** The package's machine with one guard answering the opposite. */
const negated = (name: string) =>
  orderMachine.provide({ guards: { [name]: (args: never, params: unknown) => !guards[name]!(args, params) } } as never);

/** What the exhaustive check says of a mutant: the failing check and the counterexample's length, or null. */
function verdictOn(machine: typeof orderMachine): { check: string; events: number } | null {
  try {
    checkOrderMachineExhaustively(machine, { depth: MUTANT_DEPTH, log: false });
    return null;
  } catch (error) {
    if (!(error instanceof OrderCounterexampleError)) throw error;
    return { check: error.check, events: error.recording.events.length };
  }
}

describe(`the exhaustive check at depth ${MUTANT_DEPTH} against mutants of the package's machine`, () => {
  it('should negate every guard the machine names', () => {
    expect(Object.keys(guards).length).toBeGreaterThanOrEqual(18);
  });

  it.each(Object.keys(guards))('should reject the negation of %s', (name) => {
    expect(verdictOn(negated(name)), `the negation of ${name} survived`).toEqual({
      check: expect.any(String),
      events: expect.any(Number),
    });
  });

  it.each(DEADLINE_COMPARISONS.flatMap((entry) => [1, -1].map((by) => ({ ...entry, by: by as 1 | -1 }))))(
    'should reject the comparison for $comparison with its deadline moved by $by ms',
    ({ field, guards: names, by }) => {
      expect(verdictOn(offByOne(field, names, by)), `${field} ${by} ms in ${names.join(', ')} survived`).toEqual({
        check: expect.any(String),
        events: expect.any(Number),
      });
    },
  );
});
