import { describe, it } from 'vitest';
import { assertProperty, liveActorDriver, modelBasedProperty, pureFunctionsDriver } from '../../src/testing/index.js';

// Light budget for `npm test` (2 CI cores); `npm run test:deep` sets FC_NUM_RUNS=20000 (>= 100x).
const budget = { numRuns: 100 };

describe('the order machine against the reference model', () => {
  it('should agree after every command when run through the pure functions', () => {
    assertProperty(
      'pure functions agree with the model',
      modelBasedProperty(() => pureFunctionsDriver()),
      budget,
    );
  });

  it('should agree after every command when run as a live actor on a SimulatedClock', () => {
    assertProperty(
      'live actor agrees with the model',
      modelBasedProperty(() => liveActorDriver()),
      budget,
    );
  });

  it('should be indistinguishable from the uninterrupted run after serialize and restore (pure)', () => {
    assertProperty(
      'pure serialize/restore is indistinguishable',
      modelBasedProperty(() => pureFunctionsDriver(), { restore: true }),
      budget,
    );
  });

  it('should be indistinguishable from the uninterrupted run after serialize and restore, timers included (live actor)', () => {
    assertProperty(
      'live serialize/restore is indistinguishable',
      modelBasedProperty(() => liveActorDriver(), { restore: true }),
      budget,
    );
  });
});
