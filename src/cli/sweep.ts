import type { Command } from 'commander';
import { type Lang } from '../domain/index.js';
import { renderCli } from '../domain/locales/cli.js';
import type { SweepResult } from '../service/index.js';
import { counted, isoTime } from './format.js';
import {
  cliCommand,
  exitCodes,
  instantOption,
  jsonOption,
  langOption,
  usageError,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';

interface SweepOptions extends StoreOptions {
  now?: string;
  limit?: string;
  lang: Lang;
  json: boolean;
}

function formatSweep(result: SweepResult, now: number, lang: Lang): string {
  const failed = result.failed.map((failure) => `    ${failure.orderId}: ${failure.message}`);
  const lines = [
    renderCli(lang, 'cli.sweep.title', { now: isoTime(now)! }),
    `  ${renderCli(lang, 'cli.sweep.applied', { orders: counted(lang, 'cli.sweep.dueOrders', result.applied) })}`,
    `  ${renderCli(lang, 'cli.sweep.remaining', { orders: counted(lang, 'cli.sweep.orders', result.remaining) })}`,
    `  ${renderCli(lang, 'cli.sweep.failed', { orders: counted(lang, 'cli.sweep.orders', result.failed.length) })}`,
    ...failed,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * `order-lifecycle sweep`: applies every deadline due by `--now` (`service.sweep`), at most `--limit` orders, and
 * prints how many were applied, remain due, and failed. Exits 3 when some due order could not be read.
 * @example
 * buildProgram().addCommand(sweepCommand());
 */
export function sweepCommand(): Command {
  const command = withStoreOptions(
    cliCommand('sweep').description(
      'apply every deadline that is due: buyer windows that closed, orders to auto-cancel',
    ),
  )
    .option('--now <iso>', 'apply the deadlines due by this instant, ISO-8601 with an offset (default: now)')
    .option('--limit <n>', 'apply at most this many due orders (a positive whole number; default: all)')
    .addOption(langOption('language of the summary'))
    .addOption(jsonOption('print JSON: { now, applied, remaining, failed: [{ orderId, message }] }'));
  withExamples(command, 'sweep --db orders.db', 'sweep --db orders.db --now 2026-12-10T00:00:00Z --limit 500 --json');
  command.addHelpText(
    'after',
    '\nEach due order gets a clock.tick at its own deadline, in its own transaction; run it from cron or a timer.\nExit status 0 when every due order could be read, 3 when some could not (they are listed and left as they are).',
  );
  command.action(async (options: SweepOptions) => {
    const now = instantOption(command, '--now', options.now, Date.now());
    const limit = options.limit === undefined ? undefined : Number(options.limit);
    if (limit !== undefined && (!/^\d+$/.test(options.limit!) || !Number.isSafeInteger(limit) || limit < 1))
      usageError(command, `--limit must be a positive whole number (got ${JSON.stringify(options.limit)})`);
    const result = await withService(command, options, (service) =>
      service.sweep(now, limit === undefined ? {} : { limit }),
    );
    process.stdout.write(
      options.json
        ? `${JSON.stringify({ now: isoTime(now), ...result }, null, 2)}\n`
        : formatSweep(result, now, options.lang),
    );
    if (result.failed.length) process.exitCode = exitCodes.failure;
  });
  return command;
}
