import { createReadStream, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, Option } from 'commander';
import {
  describe,
  Instant,
  InvalidInputError,
  languages,
  MissingDependencyError,
  type Lang,
  OrderLifecycleError,
  type ParsedOrderEvent,
} from '../domain/index.js';
import { parseEvent } from '../runtime/index.js';
import type { HistoryRow, OrderService, OrderServiceOptions, StoredOrder } from '../service/index.js';

/**
 * The CLI's exit statuses: 0 done (an event accepted), 1 an event (or feed message) refused or a replay not
 * reproduced, 2 a wrong argument, 3 any other failure (the store cannot be opened or read).
 * @example
 * process.exitCode = verdict.accepted ? exitCodes.ok : exitCodes.refused;
 */
export const exitCodes = { ok: 0, refused: 1, usage: 2, failure: 3 } as const;

/**
 * A failure the CLI reports in one line and exits with: `main.ts` prints `error: <message>`.
 * @example
 * throw new CliFailure(`cannot open the order store "orders.db": file is not a database`, exitCodes.failure);
 */
export class CliFailure extends OrderLifecycleError {
  override name = 'CliFailure';
  constructor(
    message: string,
    readonly exitCode: number = exitCodes.failure,
  ) {
    super(message);
  }
}

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
 * The `--lang` flag that repeats `lang` in a suggested command line: nothing for English, the default.
 * @example
 * `metrics --db orders.db${langFlag('zh-CN')}`; // 'metrics --db orders.db --lang zh-CN'
 */
export function langFlag(lang: Lang): string {
  return lang === 'en' ? '' : ` --lang ${lang}`;
}

/**
 * A subcommand whose wrong arguments print one line to standard error and exit with status 2
 * (`--help` and `--version` exit 0). Every command of the CLI is made with it.
 * @example
 * const status = cliCommand('status').argument('<orderId>').action(...);
 */
export function cliCommand(name: string): Command {
  return new Command(name)
    .showHelpAfterError(false)
    .configureOutput({ outputError: oneLineError })
    .exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2));
}

/**
 * Writes a commander error as one line: its suggestion (`(Did you mean status?)`) joined to the message.
 * @example
 * new Command('order-lifecycle').configureOutput({ outputError: oneLineError });
 */
export function oneLineError(text: string, write: (text: string) => void): void {
  write(`${text.trimEnd().replace(/\s*\n\s*/g, ' ')}\n`);
}

/**
 * Prints one line naming what is wrong and exits with status 2.
 * @example
 * if (!existsSync(file)) usageError(command, `feed file ${JSON.stringify(file)} does not exist`);
 */
export function usageError(command: Command, message: string): never {
  command.error(`error: ${message}`, { exitCode: 2 });
  // command.error exits (through cliCommand's exitOverride); this line is for the type checker.
  throw new CliFailure(message, exitCodes.usage);
}

/** A path argument: how errors name it (`--db`, `apply-feed`) and what to give instead (`an order store file`). */
export interface PathArgument {
  /** The argument or command the error names, e.g. `--db` or `apply-feed`. */
  label: string;
  /** What the argument should name, e.g. `a feed file (XML or TSV)`. */
  wanted: string;
  /** The message when the path does not exist (default: `<label>: "<path>" does not exist; give <wanted>`). */
  missing?: string;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Checks a path the command will read: it must exist and not be a directory. Otherwise a wrong-argument error
 * (exit 2) naming the argument, the path and what to give. Every command that reads a file calls this.
 * @example
 * readablePath(command, file, { label: 'apply-feed', wanted: 'a feed file (XML or TSV)' });
 * // error: apply-feed: "feeds/" is a directory; give a feed file (XML or TSV)
 */
export function readablePath(command: Command, path: string, argument: PathArgument): void {
  if (!existsSync(path))
    usageError(
      command,
      argument.missing ?? `${argument.label}: ${JSON.stringify(path)} does not exist; give ${argument.wanted}`,
    );
  notADirectory(command, path, argument);
}

/**
 * A wrong-argument error (exit 2) when the path is a directory, naming the argument, the path and what to give.
 * @example
 * notADirectory(command, options.open, { label: '--open', wanted: 'a recorded order JSON file' });
 */
export function notADirectory(command: Command, path: string, argument: PathArgument): void {
  if (isDirectory(path))
    usageError(command, `${argument.label}: ${JSON.stringify(path)} is a directory; give ${argument.wanted}`);
}

/**
 * Checks a path the command will write (or create): not a directory, in a folder that exists. Otherwise a
 * wrong-argument error (exit 2) naming the argument and the path. Every command that writes a file calls this.
 * @example
 * writablePath(command, options.report, { label: '--report', wanted: 'a file to write the report to' });
 * // error: --report: the folder of "no/such/report.xml" does not exist
 */
export function writablePath(command: Command, path: string, argument: PathArgument): void {
  notADirectory(command, path, argument);
  inExistingFolder(command, path, argument);
}

/**
 * A wrong-argument error (exit 2) when the folder of a path to write does not exist, naming the argument and the path.
 * @example
 * inExistingFolder(command, options.report, { label: '--report', wanted: 'a file to write the report to' });
 */
export function inExistingFolder(command: Command, path: string, argument: PathArgument): void {
  if (!existsSync(dirname(resolve(path))))
    usageError(command, `${argument.label}: the folder of ${JSON.stringify(path)} does not exist`);
}

/** What `--db` should name, for the errors that say what to give instead. */
export const DB_FILE = 'a SQLite order store file (or --database-url for PostgreSQL)';

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

/** How `openService` opens the store. */
interface OpenServiceOptions {
  /** Accept a `--db` file that does not exist yet (it is created). */
  create?: boolean;
  /**
   * Open the store read-only, for commands that only read: nothing is created (the tables must exist) and a
   * write would fail (SQLite opened read-only, PostgreSQL sessions with `default_transaction_read_only`).
   */
  readonly?: boolean;
  service?: Omit<OrderServiceOptions, 'store'>;
}

/**
 * Checks the store options (exactly one of `--db` and `--database-url`; an existing `--db` file unless
 * `create` is set) and opens the order service on that store. Wrong options exit 2 through `usageError`; a
 * store that cannot be opened or read is a `CliFailure` (exit 3) naming it.
 * @example
 * const service = await openService(command, options);
 * try { console.log(await service.get(orderId)); } finally { await service.close(); }
 */
async function openService(
  command: Command,
  options: StoreOptions,
  extra: OpenServiceOptions = {},
): Promise<OrderService> {
  if ((options.db === undefined) === (options.databaseUrl === undefined))
    usageError(command, 'give exactly one of --db <file> or --database-url <url>');
  if (options.db !== undefined && extra.create === true)
    writablePath(command, options.db, { label: '--db', wanted: DB_FILE });
  else if (options.db !== undefined)
    readablePath(command, options.db, {
      label: '--db',
      wanted: DB_FILE,
      missing: `--db file ${JSON.stringify(options.db)} does not exist`,
    });
  const { createOrderService } = await import('../service/index.js');
  const { SqliteStore, PostgresStore } = await import('../store/index.js');
  const { hidePassword } = await import('../domain/index.js');
  const where =
    options.db !== undefined
      ? `SQLite file ${JSON.stringify(options.db)}`
      : `PostgreSQL ${JSON.stringify(hidePassword(options.databaseUrl!))}`;
  let store: InstanceType<typeof SqliteStore> | InstanceType<typeof PostgresStore> | undefined;
  if (options.databaseUrl !== undefined) {
    try {
      store = new PostgresStore({
        connectionString: options.databaseUrl,
        schema: options.schema,
        readonly: extra.readonly === true,
      });
    } catch (error) {
      // The constructor checks the schema name and nothing else.
      usageError(command, `--schema: ${oneLine(error)}`);
    }
  }
  try {
    store ??= new SqliteStore({ filename: options.db!, readonly: extra.readonly === true });
    const service = await createOrderService({ ...extra.service, store });
    // A read-only store creates nothing on init: one read shows now that its tables are there.
    if (extra.readonly) await service.list({ limit: 1 });
    return service;
  } catch (error) {
    await store?.close().catch(() => {});
    // A missing driver is not the store's fault: main.ts names the command and the package to install.
    if (error instanceof MissingDependencyError) throw error;
    throw new CliFailure(`cannot open the order store (${where}): ${oneLine(error)}`);
  }
}

/**
 * An error's message on one line, by default without its trailing full stop (to quote it inside another
 * sentence); an AggregateError (several addresses tried) by its first error.
 * @example
 * throw new CliFailure(`cannot open the order store: ${oneLine(error)}`);
 */
export function oneLine(error: unknown, dropStop = true): string {
  const inner = error instanceof AggregateError && error.errors.length ? error.errors[0] : error;
  const text = (inner instanceof Error ? inner.message || (error as Error).message || inner.name : String(inner))
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  return dropStop ? text.replace(/\.$/, '') : text;
}

/**
 * Opens the service (read-only with `{ readonly: true }`), runs `work` on it and closes it, whatever `work` does.
 * @example
 * await withService(command, options, async (service) => print(await service.history(orderId)));
 */
export async function withService<T>(
  command: Command,
  options: StoreOptions,
  work: (service: OrderService) => Promise<T>,
  open: OpenServiceOptions = {},
): Promise<T> {
  const service = await openService(command, options, open);
  try {
    return await work(service);
  } finally {
    await service.close();
  }
}

/**
 * The stored order with this id, or a wrong-argument error (exit 2) naming the id when the store has none.
 * @example
 * const { snapshot, version } = await storedOrder(command, service, orderId);
 */
export async function storedOrder(command: Command, service: OrderService, orderId: string): Promise<StoredOrder> {
  const stored = await service.get(orderId);
  if (!stored) unknownOrder(command, orderId);
  return stored!;
}

/**
 * The stored history of the order with this id, or a wrong-argument error (exit 2) naming the id.
 * @example
 * for (const row of await storedHistory(command, service, orderId)) console.log(row.seq, row.event.type);
 */
export async function storedHistory(command: Command, service: OrderService, orderId: string): Promise<HistoryRow[]> {
  try {
    return await service.history(orderId);
  } catch (error) {
    if (error instanceof Error && error.name === 'OrderNotFoundError') unknownOrder(command, orderId);
    throw error;
  }
}

/**
 * The wrong-argument error (exit 2) for an order id the store does not hold.
 * @example
 * if (!(await service.get(orderId))) unknownOrder(command, orderId);
 */
function unknownOrder(command: Command, orderId: string): never {
  return usageError(command, `orderId: no order ${JSON.stringify(orderId)} in the store`);
}

/** `--json`: print JSON instead of text. */
export const jsonOption = (description = 'print JSON instead of text') =>
  new Option('--json', description).default(false);

/**
 * An ISO-8601 option value as epoch ms (`fallback` when the option was not given), or a wrong-argument error
 * naming the option and the value.
 * @example
 * const now = instantOption(command, '--now', options.now, Date.now());
 */
export function instantOption(command: Command, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Instant.safeParse(value);
  if (!parsed.success)
    usageError(
      command,
      `${flag} must be an ISO-8601 date-time with an offset, like 2026-12-10T00:00:00Z (got ${JSON.stringify(value)})`,
    );
  return parsed.data!;
}

/**
 * Adds the `<orderId> <event-json>` arguments of `explain` and `apply`; read the event with `readEventArgument`.
 * @example
 * withEventArguments(withStoreOptions(cliCommand('apply'))).action((orderId, eventJson, options) => ...);
 */
export function withEventArguments(command: Command): Command {
  return command
    .argument('<orderId>', 'the order id')
    .argument('<event-json>', 'the event as JSON, @file.json, or - to read it from standard input')
    .addOption(maxBytesOption('the most the event JSON may hold', DEFAULT_EVENT_MAX_BYTES));
}

/** How much event JSON `explain` and `apply` read at most, unless `--max-bytes` says otherwise: 1 MiB. */
const DEFAULT_EVENT_MAX_BYTES = 1024 * 1024;

/**
 * `--max-bytes <n>`: the most an input may hold, in bytes (`K`, `M` and `G` suffixes for KiB, MiB and GiB).
 * @example
 * command.addOption(maxBytesOption('the most the event JSON may hold', DEFAULT_EVENT_MAX_BYTES));
 */
export const maxBytesOption = (description: string, fallback: number) =>
  new Option('--max-bytes <n>', `${description}, in bytes; K, M, G for KiB, MiB, GiB (default: ${fallback})`);

/**
 * The `--max-bytes` value as a number of bytes (`fallback` when the option was not given), or a wrong-argument
 * error naming the value.
 * @example
 * const limit = byteLimit(command, options.maxBytes, DEFAULT_EVENT_MAX_BYTES);
 */
export function byteLimit(command: Command, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^([1-9]\d{0,15})(?:([KMG])(?:i?B)?)?$/i.exec(value.trim());
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[(match?.[2] ?? '').toUpperCase() as '' | 'K' | 'M' | 'G'];
  const bytes = match ? Number(match[1]) * unit : NaN;
  if (!Number.isSafeInteger(bytes))
    usageError(
      command,
      `--max-bytes must be a positive whole number of bytes, like 1048576 or 1M (got ${JSON.stringify(value)})`,
    );
  return bytes;
}

/**
 * Reads at most `maxBytes` of a file (`-`: standard input), or a wrong-argument error naming `what`, the limit and
 * `--max-bytes` when it holds more: reading stops there, so an endless input (`/dev/zero`, a pipe that never
 * closes) costs no more than the limit.
 * @example
 * const text = await readLimited(command, '-', 1024 * 1024, 'event-json: standard input');
 */
export async function readLimited(command: Command, file: string, maxBytes: number, what: string): Promise<string> {
  // A regular file says its size: one larger than the limit is refused before it is read.
  if (file !== '-' && statSync(file).isFile() && statSync(file).size > maxBytes) tooLarge(command, what, maxBytes);
  const stream = file === '-' ? process.stdin : createReadStream(file);
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxBytes) tooLarge(command, what, maxBytes);
      chunks.push(chunk);
    }
  } catch (error) {
    if (
      error instanceof Error &&
      'code' in error &&
      typeof error.code === 'string' &&
      /^(EISDIR|EACCES|ENOENT)$/.test(error.code)
    )
      usageError(command, `${what}: ${oneLine(error)}`);
    throw error;
  } finally {
    if (file !== '-') (stream as ReturnType<typeof createReadStream>).destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(command: Command, what: string, maxBytes: number): never {
  return usageError(
    command,
    `${what} is larger than ${maxBytes} bytes: nothing was read past that (raise --max-bytes to allow more)`,
  );
}

/**
 * The `<event-json>` argument as a checked event: the JSON text itself, `@file.json`, or `-` for standard input,
 * at most `--max-bytes` (1 MiB by default) long. Malformed JSON or a field the event schema refuses is a wrong argument naming the
 * field and the value: `error: event-json: at: expected an ISO-8601 date-time … (got "yesterday")`.
 * @example
 * const event = await readEventArgument(command, eventJson, options.maxBytes);
 */
export async function readEventArgument(
  command: Command,
  argument: string,
  maxBytesOption?: string,
): Promise<ParsedOrderEvent> {
  const maxBytes = byteLimit(command, maxBytesOption, DEFAULT_EVENT_MAX_BYTES);
  let text = argument;
  if (argument === '-') text = await readLimited(command, '-', maxBytes, 'event-json: standard input');
  else if (argument.startsWith('@')) {
    const file = argument.slice(1);
    readablePath(command, file, {
      label: 'event-json',
      wanted: 'a JSON file with one event',
      missing: `event-json: file ${JSON.stringify(file)} does not exist`,
    });
    text = await readLimited(command, file, maxBytes, `event-json: file ${JSON.stringify(file)}`);
  } else if (Buffer.byteLength(argument) > maxBytes) tooLarge(command, 'event-json', maxBytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    usageError(command, `event-json: not valid JSON (${oneLine(error)}) (got ${describe(text.trim())})`);
  }
  try {
    return parseEvent(value);
  } catch (error) {
    if (error instanceof InvalidInputError) usageError(command, `event-json: ${error.details}`);
    throw error;
  }
}

/**
 * Adds an `Example:` section to a command's `--help`, one `$ order-lifecycle …` line per example.
 * @example
 * withExamples(command, 'status 114-1 --db orders.db', 'status 114-1 --db orders.db --json');
 */
export function withExamples(command: Command, ...examples: string[]): Command {
  return command.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((line) => `  $ order-lifecycle ${line}`).join('\n')}`,
  );
}
