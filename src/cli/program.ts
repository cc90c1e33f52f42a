import { createRequire } from 'node:module';
import { Command } from 'commander';
import { applyFeedCommand } from './apply-feed.js';
import { applyCommand } from './apply.js';
import { diagramCommand } from './diagram.js';
import { explainCommand } from './explain.js';
import { historyCommand } from './history.js';
import { inspectCommand } from './inspect.js';
import { metricsCommand } from './metrics.js';
import { exitCodes, oneLineError } from './options.js';
import { placeCommand } from './place.js';
import { replayCommand } from './replay.js';
import { simulateCommand } from './simulate.js';
import { statusCommand } from './status.js';
import { sweepCommand } from './sweep.js';
import { walkCommand } from './walk.js';

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

/**
 * The `order-lifecycle` program: one subcommand per file of src/cli/. With no command it prints its help on
 * standard error and exits 2 (a missing command is a wrong argument); an unknown command exits 2 as well.
 * @example
 * await buildProgram().parseAsync(process.argv);
 */
export function buildProgram(): Command {
  const program = new Command('order-lifecycle')
    .description("A seller's order lifecycle and Amazon's cancellation rules as an XState statechart.")
    .version(packageVersion(), '-V, --version', 'print the version of order-lifecycle')
    .configureOutput({ outputError: oneLineError })
    // --help and --version exit 0; no command, an unknown command or an unknown option exit 2.
    .exitOverride((error) => process.exit(error.exitCode === 0 ? exitCodes.ok : exitCodes.usage))
    .addHelpText(
      'after',
      '\nRun order-lifecycle <command> --help for its options and an example. See docs/cli.md.\nExit status: 0 done, 1 event refused, 2 wrong argument, 3 other failure (e.g. the database is unreachable).',
    );

  const simulate = simulateCommand();
  program.addCommand(simulate);
  program.addCommand(walkCommand());
  program.addCommand(placeCommand());
  program.addCommand(statusCommand());
  program.addCommand(explainCommand());
  program.addCommand(applyCommand());
  program.addCommand(historyCommand());
  program.addCommand(sweepCommand());
  program.addCommand(applyFeedCommand());
  program.addCommand(metricsCommand());
  program.addCommand(inspectCommand());
  program.addCommand(diagramCommand());
  program.addCommand(replayCommand());

  // `npm start` runs `simulate`, so `npm start -- --help` is simulate's help: it lists every command too.
  simulate.addHelpText('after', () => {
    const width = Math.max(...program.commands.map((command) => command.name().length));
    const lines = program.commands.map((command) => `  ${command.name().padEnd(width)}  ${command.description()}`);
    return `\nEvery command of order-lifecycle (npm start runs simulate; npm run cli -- <command> runs the others):\n${lines.join('\n')}`;
  });

  return program;
}
