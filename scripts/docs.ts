import { writeFileSync } from 'node:fs';
import { renderStatechartDoc } from './statechart.js';

writeFileSync(new URL('../docs/statechart.md', import.meta.url), renderStatechartDoc());
process.stdout.write('wrote docs/statechart.md\n');
