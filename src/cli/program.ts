import { createRequire } from 'node:module';
import { Command } from 'commander';
import type { Lang } from '../domain/index.js';
import { runWalk } from './walk.js';
import { formatStep } from './format.js';
import { metricsCommand } from './metrics.js';
import { simulateCommand } from './simulate.js';
import { langOption } from './options.js';

/** The version in the package's own package.json (two levels up from src/cli/ and from dist/src/cli/). */
function packageVersion(): string {
  const require = createRequire(import.meta.url);
  for (const path of ['../../package.json', '../../../package.json']) {
    try {
      const pkg = require(path) as { name?: string; version?: string };
      if (pkg.name === 'order-lifecycle' && pkg.version) return pkg.version;
    } catch {
      // not at this level: the next one
    }
  }
  return 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('order-lifecycle')
    .description("A seller's order lifecycle and Amazon's cancellation rules as an XState statechart.")
    .version(packageVersion(), '-V, --version', 'print the version of order-lifecycle')
    .showHelpAfterError();

  program
    .command('walk', { isDefault: true })
    .description('walk one order per rule through the machine and print each verdict (the default command)')
    .addOption(langOption())
    .action((options: { lang: Lang }) => {
      process.stdout.write(runWalk(options.lang));
    });

  program
    .command('replay')
    .description('replay a recorded order (JSON: { input, events }) and print each verdict')
    .argument('<file>', 'recorded order JSON file')
    .addOption(langOption())
    .action(async (file: string, options: { lang: Lang }) => {
      const { readRecordingFile } = await import('../inspector/recording.js');
      for (const recording of await readRecordingFile(file)) {
        const lines = recording.steps.map((step, index) => formatStep(step, index, options.lang));
        process.stdout.write(`${recording.name}\n${lines.join('\n')}\n`);
      }
    });

  program
    .command('inspect')
    .description('start the offline inspector on 127.0.0.1 and print its address')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '4820')
    .option('--host <host>', 'address to bind; only loopback unless --allow-remote', '127.0.0.1')
    .option('--allow-remote', 'allow binding to a non-loopback address', false)
    .option('--open <file>', 'load a recorded order (JSON: { input, events }) to replay step by step')
    .option('--db <file>', 'list and open the orders of a SQLite order store (opened read-only, never written)')
    .option('--database-url <url>', 'list and open the orders of a PostgreSQL order store (read-only sessions)')
    .option('--schema <name>', 'the PostgreSQL schema of the order tables (with --database-url)', 'public')
    .addHelpText(
      'after',
      '\nStored orders: with --db or --database-url the page lists the store\'s orders by id, searchable by id and\nstate; opening one replays its history (each step\'s stored verdict, effects and context diff). Nothing is written.',
    )
    .action(async (options: { port: string; host: string; allowRemote: boolean; open?: string; db?: string; databaseUrl?: string; schema?: string }) => {
      const { runInspectCommand } = await import('../inspector/command.js');
      await runInspectCommand(options);
    });

  program.addCommand(metricsCommand());
  program.addCommand(simulateCommand());

  return program;
}

