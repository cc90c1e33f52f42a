import type { Command } from 'commander';
import { sellerMetrics, type Lang, type SellerMetrics } from '../domain/index.js';
import { formatCount, renderCli } from '../domain/locales/cli.js';
import { counted } from './format.js';
import { storedSnapshots } from '../service/index.js';
import {
  cliCommand,
  instantOption,
  jsonOption,
  langOption,
  withExamples,
  withService,
  withStoreOptions,
  type StoreOptions,
} from './options.js';
import { formatTable } from './table.js';

interface MetricsOptions extends StoreOptions {
  now?: string;
  lang: Lang;
  json: boolean;
}

const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const iso = (ms: number) => new Date(ms).toISOString();

/** How many order ids a suppression risk names in the text (`--json` has them all). */
export const SHOWN_ORDER_IDS = 5;

/**
 * The first `SHOWN_ORDER_IDS` ids, then how many more there are: `111-1, 111-2, 111-3, 111-4, 111-5, … and 44 more`.
 * @example
 * someIds(['111-1', '111-2'], 'en'); // '111-1, 111-2'
 */
export function someIds(ids: readonly string[], lang: Lang): string {
  const shown = ids.slice(0, SHOWN_ORDER_IDS).join(renderCli(lang, 'cli.listSeparator'));
  const more = ids.length - SHOWN_ORDER_IDS;
  return more > 0
    ? `${shown}${renderCli(lang, 'cli.listSeparator')}${renderCli(lang, 'cli.more', { count: formatCount(lang, more) })}`
    : shown;
}

/**
 * The metrics as a table in the given language, with the suppression risks below it (and, when some orders were
 * cancelled without saying by whom, a line saying the Cancellation Rate may be understated).
 * @example
 * formatMetrics(sellerMetrics(snapshots, { now: Date.now() }), 'zh-CN');
 */
function formatMetrics(metrics: SellerMetrics, lang: Lang): string {
  const status = (healthy: boolean) => renderCli(lang, healthy ? 'cli.healthy' : 'cli.overTarget');
  const days = (count: number) => renderCli(lang, 'cli.days', { count });
  const c = metrics.cancellationRate;
  const rows = [
    (['metric', 'window', 'from', 'to', 'count', 'orders', 'rate', 'target', 'status'] as const).map((column) =>
      renderCli(lang, `cli.column.${column}`),
    ),
    [
      renderCli(lang, 'cli.cancellationRate'),
      days(7),
      iso(c.from),
      iso(c.to),
      formatCount(lang, c.canceled),
      formatCount(lang, c.orders),
      percent(c.rate),
      `< ${percent(c.target)}`,
      status(c.healthy),
    ],
    ...(
      [
        [10, metrics.lateShipmentRate.last10Days],
        [30, metrics.lateShipmentRate.last30Days],
      ] as const
    ).map(([window, l]) => [
      renderCli(lang, 'cli.lateShipmentRate'),
      days(window),
      iso(l.from),
      iso(l.to),
      formatCount(lang, l.late),
      formatCount(lang, l.orders),
      percent(l.rate),
      `< ${percent(l.target)}`,
      status(l.healthy),
    ]),
  ];
  const lines = formatTable(rows);
  // Orders cancelled by nobody knows whom are not in the rate: say so, with the rate if they all counted.
  if (c.unattributed > 0)
    lines.push(
      '',
      renderCli(lang, 'cli.metrics.unattributed', {
        orders: counted(lang, 'cli.metrics.ordersWere', c.unattributed),
        rate: percent(c.rateIfAllCounted),
      }),
    );
  const risks = metrics.suppressionRisks.length
    ? [
        renderCli(lang, 'cli.metrics.risks'),
        ...metrics.suppressionRisks.map(
          (risk) =>
            `  ${renderCli(lang, 'cli.aside', {
              text: renderCli(lang, 'cli.inARow', { sku: risk.sku, count: risk.cancellations.length }),
              aside: someIds(
                risk.cancellations.map((x) => x.orderId),
                lang,
              ),
            })}`,
        ),
      ]
    : [renderCli(lang, 'cli.metrics.noRisks')];
  return `${renderCli(lang, 'cli.metrics.title', { now: iso(metrics.now) })}\n\n${lines.join('\n')}\n\n${risks.join('\n')}\n`;
}

/**
 * The metrics as JSON: instants as ISO-8601 text in UTC.
 * @example
 * process.stdout.write(metricsJson(sellerMetrics(snapshots, { now: Date.now() })));
 */
function metricsJson(metrics: SellerMetrics): string {
  const rate = <T extends { from: number; to: number }>(r: T) => ({ ...r, from: iso(r.from), to: iso(r.to) });
  return `${JSON.stringify(
    {
      now: iso(metrics.now),
      cancellationRate: rate(metrics.cancellationRate),
      lateShipmentRate: {
        last10Days: rate(metrics.lateShipmentRate.last10Days),
        last30Days: rate(metrics.lateShipmentRate.last30Days),
      },
      suppressionRisks: metrics.suppressionRisks.map((r) => ({
        sku: r.sku,
        cancellations: r.cancellations.map((x) => ({ ...x, placedAt: iso(x.placedAt), at: iso(x.at) })),
      })),
    },
    null,
    2,
  )}\n`;
}

/**
 * `order-lifecycle metrics`: the seller's Cancellation Rate, Late Shipment Rates and suppression risks from a
 * SQLite or PostgreSQL order store, as a table (en or zh-CN) or JSON. A wrong argument prints one line and exits 2.
 * @example
 * buildProgram().addCommand(metricsCommand());
 */
export function metricsCommand(): Command {
  const command = withStoreOptions(
    cliCommand('metrics').description(
      "print the seller's Cancellation Rate, Late Shipment Rates and listing suppression risks from an order store",
    ),
  )
    .option('--now <iso>', 'the instant the figures are for, ISO-8601 with an offset (default: now)')
    .addOption(langOption('language of the table'))
    .addOption(jsonOption('print JSON instead of a table'))
    .addHelpText(
      'after',
      '\nWindows end at --now (exclusive): Cancellation Rate over orders placed in the 7 days before it, target under 2.5%;\nLate Shipment Rate over 10 and 30 days, target under 4%. Fulfilled-by-Amazon orders are left out; orders cancelled\nwithout saying by whom are not counted, and a line says how many. See docs/metrics.md.',
    );
  withExamples(
    command,
    'metrics --db orders.db',
    'metrics --database-url postgres://postgres@127.0.0.1:5432/test --now 2026-12-10T00:00:00Z --lang zh-CN',
    'metrics --db orders.db --json',
  );
  command.action(async (options: MetricsOptions) => {
    const now = instantOption(command, '--now', options.now, Date.now());
    const metrics = await withService(
      command,
      options,
      async (service) => sellerMetrics(await storedSnapshots(service), { now }),
      { readonly: true },
    );
    process.stdout.write(options.json ? metricsJson(metrics) : formatMetrics(metrics, options.lang));
  });
  return command;
}
