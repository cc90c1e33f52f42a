import { vi } from 'vitest';

// Mutation testing runs test files without isolation (vitest.mutation.config.ts): each file still imports the
// package's modules afresh, so a module-level cache (formatted instants, the last ruling) never carries a value
// computed under one mutant into the run of another, and a mutant of a module-level value is evaluated again.
vi.resetModules();
