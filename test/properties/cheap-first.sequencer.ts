import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** The order mutation testing runs test files in: pointed, cheap tests first, the exhaustive check last. */
const ORDER = [
  'test/domain/',
  'test/machine/',
  'test/runtime/',
  'test/amazon/',
  'regressions',
  'model-based',
  'invariants',
  'exhaustive',
];

const rank = (file: string) => {
  const index = ORDER.findIndex((part) => file.includes(part));
  return index === -1 ? ORDER.length : index;
};

/** Runs test files cheapest first (by folder), so a mutant a unit test kills is not first run through the exhaustive check. */
export default class CheapFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return [...files].sort((a, b) => rank(a.moduleId) - rank(b.moduleId));
  }
}
