import type { Command } from 'commander';
import type { InspectCommandOptions } from './inspect-command.js';
import { cliCommand, DB_FILE, notADirectory, withExamples, withStoreOptions } from './options.js';

/**
 * `order-lifecycle inspect`: the offline inspector on 127.0.0.1, with recorded or stored orders.
 * @example
 * buildProgram().addCommand(inspectCommand());
 */
export function inspectCommand(): Command {
  const command = withStoreOptions(
    cliCommand('inspect')
      .description('start the offline inspector on 127.0.0.1 and print its address')
      .option('--port <port>', 'port to listen on (0 picks a free one)', '4820')
      .option('--host <host>', 'address to bind; only loopback unless --allow-remote', '127.0.0.1')
      .option('--allow-remote', 'allow binding to a non-loopback address', false)
      .option(
        '--open <file>',
        'load a recorded order (JSON: { input, events }, or { snapshot, restoredAt, events } for a restored one) to replay step by step',
      ),
    'list and open the orders of a SQLite order store (opened read-only, never written)',
  );
  command.addHelpText(
    'after',
    "\nStored orders: with --db or --database-url the page lists the store's orders by id, searchable by id and\nstate; opening one replays its history (each step's stored verdict, effects and context diff). Nothing is written.",
  );
  withExamples(
    command,
    'inspect',
    'inspect --port 0 --db orders.db',
    'inspect --open docs/examples/recorded-order.json',
  );
  command.action(async (options: InspectCommandOptions) => {
    if (options.db !== undefined) notADirectory(command, options.db, { label: '--db', wanted: DB_FILE });
    if (options.open !== undefined)
      notADirectory(command, options.open, { label: '--open', wanted: 'a recorded order JSON file' });
    const { runInspectCommand } = await import('./inspect-command.js');
    await runInspectCommand(options);
  });
  return command;
}
