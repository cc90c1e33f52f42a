import { describe, it } from 'vitest';
import { assertProperty, invariantNames, invariantProperties } from '../../src/testing/index.js';
import { pureFunctionsStepper } from '../../src/testing/invariants.js';

const budget = { numRuns: 150 };
const properties = invariantProperties(pureFunctionsStepper);

describe('the order invariants (createOrder/applyEvent)', () => {
  for (const name of invariantNames) {
    it(`should hold: ${name}`, () => {
      assertProperty(name, properties[name] as Parameters<typeof assertProperty>[1], budget);
    });
  }
});
