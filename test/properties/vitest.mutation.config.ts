import { defineConfig } from 'vitest/config';

// The tests StrykerJS runs against each mutant of machines/ and src/domain/: everything but the browser
// and packaging tests, which do not exercise the rules and are slow.
export default defineConfig({
  test: {
    include: ['test/{properties,coverage,domain,machine,runtime,cli}/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
