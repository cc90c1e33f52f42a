import { describe, expect, it } from 'vitest';
import { orderMachine } from '../../src/index.js';
import { checkOrderMachineExhaustively } from '../../src/testing/index.js';

/*
 * The exhaustive check as mutation testing runs it (vitest.mutation.config.ts): to depth 2, where every single-guard
 * negation and deadline off-by-one is already a counterexample (exhaustive-mutants.test.ts). `npm test` runs the
 * same check to depth 3 (exhaustive.test.ts); this file is not a `.test.ts`, so only mutation testing runs it.
 */
describe('the exhaustive check, as mutation testing runs it', () => {
  it("should find no counterexample in any sequence of up to 2 events on the package's machine", () => {
    const result = checkOrderMachineExhaustively(orderMachine, { depth: 2, log: false });
    expect(result.transitions).toBeGreaterThan(result.states);
  });
});
