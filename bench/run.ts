/**
 * `npm run bench [section ...] [--rounds N] [--task-ms N] [--quick] [--write FILE]`: every figure next to a
 * baseline that does the same work in the same process, in interleaved rounds; see bench/lib.ts and
 * docs/performance.md. To add a section: export one with `defineSection` from a bench file and list it here.
 * The service and inspector benches run databases, worker processes and a browser of their own: they run as
 * their own processes after the in-process sections (`service`, `inspector`, `simulation` name them alone).
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { runMain, workerFlags } from './lib.js';
import { bundleSection } from './bundle.js';
import { sections as core } from './core.js';

const standalone: Record<string, string> = {
  service: 'bench/service.ts',
  inspector: 'bench/inspector.ts',
  simulation: 'bench/simulation.ts',
};
const argv = process.argv.slice(2);
const { positionals } = parseArgs({
  args: argv,
  allowPositionals: true,
  strict: false,
  options: {
    rounds: { type: 'string' },
    'task-ms': { type: 'string' },
    quick: { type: 'boolean' },
    write: { type: 'string' },
  },
});
const own = positionals.filter((name) => !(name in standalone));
const others = positionals.length ? positionals.filter((name) => name in standalone) : Object.keys(standalone);

if (own.length || !positionals.length)
  await runMain(
    [...core, bundleSection],
    argv.filter((arg) => !(arg in standalone)),
  );
for (const name of others) {
  // The standalone benches run with this process's Node flags (`npm run bench:no-pretenuring` adds one).
  const node = workerFlags();
  console.log(`\n# ${name}: node ${['--expose-gc', ...node].join(' ')} --import tsx ${standalone[name]}`);
  // The simulation takes its own flags (`--orders=N`, `--pg-orders=N`, `--workers=1,2`): they are passed on.
  const flags =
    name === 'simulation'
      ? argv.filter((arg) => arg.startsWith('--') && !['--quick', '--write'].some((own) => arg.startsWith(own)))
      : [];
  const run = spawnSync(process.execPath, ['--expose-gc', ...node, '--import', 'tsx', standalone[name]!, ...flags], {
    stdio: 'inherit',
  });
  if (run.status !== 0) process.exitCode = run.status ?? 1;
}
