import { existsSync } from 'node:fs';
import { Command, Option } from 'commander';
import { languages } from '../domain/index.js';
import type { OrderService, OrderServiceOptions } from '../service/index.js';

/** The options every data command shares: where the order store is, and how to print. */
export interface StoreOptions {
  db?: string;
  databaseUrl?: string;
  schema: string;
}

/** `--lang en|zh-CN`, English by default. */
export const langOption = (description = 'language of verdicts, messages and tables') =>
  new Option('--lang <lang>', description).choices(languages as string[]).default('en');

/**
 * A subcommand whose wrong arguments print one line to standard error and exit with status 2
 * (`--help` and `--version` exit 0). Every command of the CLI is made with it.
 * @example
 * const status = cliCommand('status').argument('<orderId>').action(...);
 */
export function cliCommand(name: string): Command {
  return new Command(name)
    .showHelpAfterError(false)
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
}

/**
 * Prints one line naming what is wrong and exits with status 2.
 * @example
 * if (!existsSync(file)) usageError(command, `feed file ${JSON.stringify(file)} does not exist`);
 */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2 });
  // command.error exits (through cliCommand's exitOverride); this line is for the type checker.
  throw new Error(message);
}

/**
 * Adds `--db <file>`, `--database-url <url>` and `--schema <name>` to a data command.
 * @example
 * withStoreOptions(cliCommand('history')).argument('<orderId>');
 */
export function withStoreOptions(command: Command, dbHelp = 'a SQLite order store file'): Command {
  return command
    .option('--db <file>', dbHelp)
    .option('--database-url <url>', 'a PostgreSQL order store (postgres://user@host:port/database)')
    .option('--schema <name>', 'the PostgreSQL schema of the order tables (with --database-url)', 'public');
}

/**
 * Checks the store options (exactly one of `--db` and `--database-url`; an existing `--db` file unless
 * `create` is set) and opens the order service on that store. Wrong options exit 2 through `usageError`.
 * @example
 * const service = await openService(command, options);
 * try { console.log(await service.get(orderId)); } finally { await service.close(); }
 */
export async function openService(
  command: Command,
  options: StoreOptions,
  extra: { create?: boolean; service?: Omit<OrderServiceOptions, 'store'> } = {},
): Promise<OrderService> {
  if ((options.db === undefined) === (options.databaseUrl === undefined)) usageError(command, 'give exactly one of --db <file> or --database-url <url>');
  if (options.db !== undefined && extra.create !== true && !existsSync(options.db)) usageError(command, `--db file ${JSON.stringify(options.db)} does not exist`);
  const { createOrderService } = await import('../service/index.js');
  const { SqliteStore, PostgresStore } = await import('../store/index.js');
  const store = options.db !== undefined ? new SqliteStore({ filename: options.db }) : new PostgresStore({ connectionString: options.databaseUrl!, schema: options.schema });
  return createOrderService({ ...extra.service, store });
}
