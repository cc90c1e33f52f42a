import type { Command } from 'commander';
import { offsetMinutesOf, type Lang } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import type { HistoryRow } from '../service/index.js';
import { columns, eventJson, formatAt, isoTime, statusText, verdictMark } from './format.js';
import {
  cliCommand,
  jsonOption,
  langOption,
  storedHistory,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface HistoryOptions extends StoreOptions {
  lang: Lang;
  json: boolean;
}

const head = ['cli.seq', 'cli.recordedAt', 'cli.event', 'cli.eventAt', 'cli.verdict', 'cli.statusBeforeAfter'] as const;

/** The history as a table: one row per stored event, the first one the placement. */
function formatHistory(rows: readonly HistoryRow[], lang: Lang): string {
  // Instants in the order's own offset, the one its placedAt was given in.
  const offset = rows[0]?.event.type === 'order.place' ? offsetMinutesOf(rows[0].event.input.placedAt) : 0;
  const table = [
    head.map((key) => renderCli(lang, key)),
    ...rows.map((row) => [
      String(row.seq),
      new Date(row.recordedAt).toISOString(),
      row.event.type,
      'at' in row.event ? formatAt(row.event.at, offset) : '',
      verdictMark(row.verdict, lang),
      `${statusText(row.statusBefore, lang)} -> ${statusText(row.statusAfter, lang)}`,
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((cells) => columns(cells[i]!))));
  return `${table
    .map((cells) =>
      cells
        .map((cell, i) => cell + ' '.repeat(widths[i]! - columns(cell)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** The history as JSON: each row with instants as ISO-8601 in UTC. */
function historyJson(orderId: string, rows: readonly HistoryRow[]): string {
  const json = rows.map((row) => ({
    ...row,
    recordedAt: isoTime(row.recordedAt),
    event: row.event.type === 'order.place' ? row.event : eventJson(row.event as Record<string, unknown>),
  }));
  return `${JSON.stringify({ orderId, rows: json }, null, 2)}\n`;
}

/**
 * `order-lifecycle history <orderId>`: a stored order's history rows (seq, recorded at, event, verdict, status
 * before → after), as a table or JSON.
 * @example
 * buildProgram().addCommand(historyCommand());
 */
export function historyCommand(): Command {
  const command = withStoreOptions(
    cliCommand('history').description(
      "print a stored order's history: every event it was given, its verdict and the status before and after",
    ),
  )
    .argument('<orderId>', 'the order id')
    .addOption(langOption('language of the table'))
    .addOption(jsonOption('print JSON (every field of every row, with effects) instead of a table'));
  withExamples(
    command,
    'history 114-3941689-8772232 --db orders.db',
    'history 114-3941689-8772232 --db orders.db --json',
  );
  command.action(async (orderId: string, options: HistoryOptions) => {
    const rows = await withService(command, options, (service) => storedHistory(command, service, orderId), {
      readonly: true,
    });
    process.stdout.write(options.json ? historyJson(orderId, rows) : formatHistory(rows, options.lang));
  });
  return command;
}
