import type { Command } from 'commander';
import { Option } from 'commander';
import { describe, InvalidInputError, type Lang, type OrderInput } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import { createOrder } from '../runtime/index.js';
import type { StoredOrder } from '../service/index.js';
import { isoTime, labelled, statusText, verdictMark } from './format.js';
import {
  byteLimit,
  CliFailure,
  cliCommand,
  exitCodes,
  jsonOption,
  langFlag,
  langOption,
  maxBytesOption,
  oneLine,
  readablePath,
  readLimited,
  usageError,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';
import { deadlineText } from './status.js';

interface PlaceOptions extends StoreOptions {
  format: 'auto' | 'order' | 'sp-api';
  lang: Lang;
  json: boolean;
  maxBytes?: string;
}

/** How much `place` reads at most, unless `--max-bytes` says otherwise: 16 MiB. */
const DEFAULT_PLACE_MAX_BYTES = 16 * 1024 * 1024;

/** One order of the input, where it was (`order 2 (line 2)`), and the OrderInput it gives. */
interface Placement {
  where: string;
  input: OrderInput;
}

/**
 * The values of the input: one JSON value (an object, or an array of them), or JSON lines (one value a line). Each
 * comes with where it was, for the errors.
 */
function values(command: Command, text: string): Array<{ where: string; value: unknown }> {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value)
      ? value.map((each, index) => ({ where: `order ${index + 1}`, value: each }))
      : [{ where: '', value }];
  } catch {
    // Not one JSON value: JSON lines.
  }
  const lines = text.split('\n');
  const found: Array<{ where: string; value: unknown }> = [];
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      found.push({ where: `line ${index + 1}`, value: JSON.parse(line) });
    } catch (error) {
      usageError(
        command,
        `place: line ${index + 1} is not valid JSON (${oneLine(error)}) (got ${describe(line.trim())}); nothing was placed`,
      );
    }
  });
  if (found.length === 0) usageError(command, 'place: the input holds no order; nothing was placed');
  return found;
}

/** Whether a value is an SP-API order payload rather than the package's OrderInput (which has `placedAt`). */
function looksLikeSpApi(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || 'placedAt' in value) return false;
  return ['order', 'payload', 'AmazonOrderId', 'orderId'].some((field) => field in value);
}

/**
 * Every order of the input as a checked OrderInput, before anything is written: an OrderInput as it is, an SP-API
 * payload converted (`{ order, orderItems }` for Orders v0, the order itself for Orders v2026-01-01). A bad order is
 * a wrong argument naming where it is, the field and the value.
 */
async function placements(command: Command, text: string, format: PlaceOptions['format']): Promise<Placement[]> {
  const { orderInputFromSpApi } = await import('../amazon/index.js');
  return values(command, text).map(({ where, value }) => {
    const spApi = format === 'sp-api' || (format === 'auto' && looksLikeSpApi(value));
    try {
      let input = value as OrderInput;
      if (spApi) {
        const wrapped = typeof value === 'object' && value !== null && 'order' in value;
        input = wrapped
          ? orderInputFromSpApi((value as { order: unknown }).order, (value as { orderItems?: unknown }).orderItems)
          : orderInputFromSpApi(value);
      }
      createOrder(input); // throws InvalidInputError, as place would, before anything is written
      return { where, input };
    } catch (error) {
      if (!(error instanceof InvalidInputError)) throw error;
      const what = spApi ? 'SP-API order' : 'order';
      return usageError(
        command,
        `place: ${where ? `${where}: ` : ''}${what}: ${oneLine(error.details)}; nothing was placed`,
      );
    }
  });
}

/** What `place` reports of one order. */
interface Placed {
  /** False when the order was already in the store with the same input: nothing changed. */
  placed: boolean;
  stored: StoredOrder;
  result: Awaited<ReturnType<import('../service/index.js').OrderService['place']>>;
}

function formatPlaced({ placed, stored, result }: Placed, lang: Lang): string {
  const w = (key: 'placed' | 'already') => renderCli(lang, `cli.place.${key}`);
  const rows: Array<readonly [string, string]> = [
    [renderCli(lang, 'cli.status'), statusText(stored.status, lang)],
    [renderCli(lang, 'cli.version'), String(stored.version)],
    [
      renderCli(lang, 'cli.verdict'),
      renderCli(lang, 'cli.colon', { label: verdictMark(result.verdict, lang), text: result.verdict.message[lang] }),
    ],
    [renderCli(lang, 'cli.status.deadline'), deadlineText(stored, lang)],
  ];
  return `${stored.orderId}  ${w(placed ? 'placed' : 'already')}\n${labelled(rows)}\n`;
}

function placedJson({ placed, stored, result }: Placed): unknown {
  return {
    orderId: stored.orderId,
    placed,
    status: stored.status,
    version: stored.version,
    verdict: result.verdict,
    effects: result.effects,
    nextDeadline: isoTime(stored.nextDeadline),
  };
}

/**
 * `order-lifecycle place [file]`: places orders, from the package's OrderInput JSON or SP-API order payloads, in an
 * order store through the order service, and prints each one's status, verdict and next deadline. Placing the same
 * order again changes nothing and exits 0; another order under a taken id is a wrong argument (exit 2).
 * @example
 * buildProgram().addCommand(placeCommand());
 */
export function placeCommand(): Command {
  const command = withStoreOptions(
    cliCommand('place').description(
      'place orders (order JSON or SP-API order payloads) in an order store and print their status and next deadline',
    ),
    'a SQLite order store file (created when it does not exist)',
  )
    .argument(
      '[file]',
      'an order JSON file: one order, an array of them, or JSON lines; - (the default) reads standard input',
    )
    .addOption(
      new Option('--format <format>', "what the orders are: the package's OrderInput, or SP-API order payloads")
        .choices(['auto', 'order', 'sp-api'])
        .default('auto'),
    )
    .addOption(maxBytesOption('the most the input may hold', DEFAULT_PLACE_MAX_BYTES))
    .addOption(langOption('language of the verdicts and labels'))
    .addOption(jsonOption('print JSON instead of text: one object per order (an array for several)'));
  withExamples(
    command,
    'place docs/examples/order.json --db orders.db',
    'place docs/examples/sp-api-order.json --db orders.db --json',
    'status 114-3941689-8772232 --db orders.db --now 2026-12-01T09:10:00+08:00',
  );
  command.addHelpText(
    'after',
    "\nFormats (--format auto tells them apart by their fields): the package's OrderInput ({ orderId, placedAt, items,\n" +
      '... }, see docs/core.md), an SP-API Orders v0 order with its items ({ "order": getOrder payload, "orderItems":\n' +
      'getOrderItems payload }) or an Orders v2026-01-01 order (see docs/amazon.md). Every order is checked before\n' +
      'any is placed: a bad one places nothing. Placing the same order again changes nothing. Exit status 0 when every\n' +
      'order is placed (or already was, with the same input), 2 for a wrong argument (a bad order, or another order\n' +
      'already under the same id), 3 when the store fails.',
  );
  command.action(async (file: string | undefined, options: PlaceOptions) => {
    const source = file ?? '-';
    if (source === '-' && process.stdin.isTTY)
      usageError(command, 'place: give an order JSON file, or pipe the orders to standard input');
    const maxBytes = byteLimit(command, options.maxBytes, DEFAULT_PLACE_MAX_BYTES);
    if (source !== '-') readablePath(command, source, { label: 'place', wanted: 'an order JSON file' });
    const what = source === '-' ? 'place: standard input' : `place: file ${JSON.stringify(source)}`;
    const text = await readLimited(command, source, maxBytes, what);
    const orders = await placements(command, text, options.format);
    const several = orders.length > 1 || orders[0]!.where !== '';
    const done: Placed[] = [];
    const print = () =>
      process.stdout.write(
        options.json
          ? `${JSON.stringify(several ? done.map(placedJson) : placedJson(done[0]!), null, 2)}\n`
          : done.map((each) => formatPlaced(each, options.lang)).join('\n'),
      );
    await withService(
      command,
      options,
      async (service) => {
        for (const { where, input } of orders) {
          const existed = (await service.get(input.orderId)) !== null;
          let result: Placed['result'];
          try {
            result = await service.place(input);
          } catch (error) {
            if (!(error instanceof Error) || error.name !== 'OrderConflictError') throw error;
            if (done.length && !options.json) print();
            throw new CliFailure(
              `place: ${where ? `${where}: ` : ''}order ${JSON.stringify(input.orderId)} is already in the store with a different input; it was left as it is`,
              exitCodes.usage,
            );
          }
          const stored = (await service.get(input.orderId))!;
          done.push({ placed: !existed, stored, result });
        }
      },
      { create: true },
    );
    print();
    if (!options.json && done.length) {
      const where = options.db !== undefined ? `--db ${options.db}` : `--database-url ${options.databaseUrl}`;
      const first = done[0]!.stored;
      const id = first.orderId;
      // A label is allowed once the buyer's window has closed: suggest it then.
      const at =
        first.status === 'buyer-cancellable' && first.nextDeadline !== null
          ? first.nextDeadline
          : first.snapshot.context.clock;
      process.stdout.write(
        `\n${renderCli(options.lang, 'cli.place.next')}\n  npx order-lifecycle status ${id} ${where}${langFlag(options.lang)}\n  npx order-lifecycle apply ${id} '{"type":"seller.generateLabel","at":"${isoTime(at)}"}' ${where}${langFlag(options.lang)}\n`,
      );
    }
  });
  return command;
}
