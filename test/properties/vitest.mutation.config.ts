import { defineConfig } from 'vitest/config';
import CheapFirst from './cheap-first.sequencer.js';

/*
 * The tests StrykerJS runs against each mutant of machines/ and src/domain/ (docs/testing.md, "Mutation testing"):
 * deterministic ones that judge rules in-process. The exhaustive check to depth 2 kills most mutants of the machine
 * and the rules; fast-check runs 20 cases a property from a fixed seed, so a mutant's verdict does not depend on
 * the run. The Amazon adapters' unit tests bring Amazon's own reports and feeds through the rules. Left out: the command line, the stores, the browser and packaging tests (they spawn processes or wait on
 * I/O that a mutant in this process never reaches), and the bounds tests (the same parse errors, through the stores).
 * One worker runs the files one after another without isolation, but every file starts on freshly imported source
 * modules (reset-modules.setup.ts), so no cache carries a result from one mutant to the next; cheap files run
 * first so that a mutant one of them kills never waits for the exhaustive check.
 */
export default defineConfig({
  test: {
    include: [
      'test/properties/exhaustive.mutation.ts',
      'test/properties/{model-based,invariants,regressions}.test.ts',
      'test/{domain,machine,runtime}/**/*.test.ts',
      'test/amazon/{orders,feeds,published,published-enums,properties}.test.ts',
    ],
    exclude: ['test/domain/bounds.test.ts'],
    env: { FC_NUM_RUNS: '20', FC_SEED: '20261207' },
    isolate: false,
    setupFiles: ['./test/properties/reset-modules.setup.ts'],
    sequence: { sequencer: CheapFirst },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
