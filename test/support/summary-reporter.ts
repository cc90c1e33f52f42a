import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Prints the plain closing line CI reads: `N passed, N failed, N skipped`. */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, errors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = errors.length;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A file that failed outside its tests (import error, failing beforeAll) counts once.
      failed += module.state() === 'failed' && failedHere === 0 ? 1 : failedHere;
    }
    const summary = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    process.stdout.write(`\n${summary}\n`);
    // .ci/run repeats it as its very last line, after anything npm prints on failure.
    mkdirSync('reports', { recursive: true });
    writeFileSync('reports/test-summary.txt', `${summary}\n`);
  }
}
