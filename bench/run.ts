/**
 * `npm run bench [section ...] [--rounds N] [--task-ms N] [--quick]`: every figure next to a baseline that
 * does the same work in the same process, in interleaved rounds; see bench/lib.ts and docs/performance.md.
 * To add a section: export one with `defineSection` from a bench file and list it here.
 */
import { runMain } from './lib.js';
import { bundleSection } from './bundle.js';
import { sections as core } from './core.js';

await runMain([...core, bundleSection]);
