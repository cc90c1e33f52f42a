import type { Command } from 'commander';
import { sellerMetrics, type Lang, type SellerMetrics } from '../domain/index.js';
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

const words = {
  en: {
    title: (at: string) => `Seller metrics at ${at} (seller-fulfilled orders)`,
    head: ['metric', 'window', 'from', 'to', 'count', 'orders', 'rate', 'target', 'status'],
    cancellation: 'Cancellation Rate',
    late: 'Late Shipment Rate',
    days: (n: number) => `${n} days`,
    healthy: 'healthy',
    over: 'over target',
    risks:
      'Listing suppression risks (two or more seller cancellations in a row, of orders placed in the last 30 days):',
    noRisks: 'Listing suppression risks: none',
    risk: (sku: string, ids: string[]) => `  ${sku}: ${ids.length} in a row (${ids.join(', ')})`,
    unattributed: (orders: number, rate: string) =>
      `Cancellation Rate may be understated: ${orders} ${orders === 1 ? 'order was' : 'orders were'} cancelled without saying by whom (not counted); if all counted: ${rate}`,
  },
  'zh-CN': {
    title: (at: string) => `卖家指标，截至 ${at}（卖家自配送订单）`,
    head: ['指标', '窗口', '起', '止', '计数', '订单数', '比率', '目标', '状态'],
    cancellation: '取消率',
    late: '迟发率',
    days: (n: number) => `${n} 天`,
    healthy: '健康',
    over: '超出目标',
    risks: '商品下架风险（同一 SKU 连续两次及以上卖家取消，订单均在最近 30 天内下单）：',
    noRisks: '商品下架风险：无',
    risk: (sku: string, ids: string[]) => `  ${sku}：连续 ${ids.length} 次（${ids.join('、')}）`,
    unattributed: (orders: number, rate: string) =>
      `取消率可能偏低：${orders} 个订单的取消未说明取消方（未计入）；若全部计入：${rate}`,
  },
} satisfies Record<Lang, unknown>;

const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The metrics as a table in the given language, with the suppression risks below it (and, when some orders were
 * cancelled without saying by whom, a line saying the Cancellation Rate may be understated).
 * @example
 * formatMetrics(sellerMetrics(snapshots, { now: Date.now() }), 'zh-CN');
 */
function formatMetrics(metrics: SellerMetrics, lang: Lang): string {
  const w = words[lang];
  const status = (healthy: boolean) => (healthy ? w.healthy : w.over);
  const c = metrics.cancellationRate;
  const rows = [
    w.head,
    [
      w.cancellation,
      w.days(7),
      iso(c.from),
      iso(c.to),
      String(c.canceled),
      String(c.orders),
      percent(c.rate),
      `< ${percent(c.target)}`,
      status(c.healthy),
    ],
    ...(
      [
        [10, metrics.lateShipmentRate.last10Days],
        [30, metrics.lateShipmentRate.last30Days],
      ] as const
    ).map(([days, l]) => [
      w.late,
      w.days(days),
      iso(l.from),
      iso(l.to),
      String(l.late),
      String(l.orders),
      percent(l.rate),
      `< ${percent(l.target)}`,
      status(l.healthy),
    ]),
  ];
  const lines = formatTable(rows);
  // Orders cancelled by nobody knows whom are not in the rate: say so, with the rate if they all counted.
  if (c.unattributed > 0) lines.push('', w.unattributed(c.unattributed, percent(c.rateIfAllCounted)));
  const risks = metrics.suppressionRisks.length
    ? [
        w.risks,
        ...metrics.suppressionRisks.map((risk) =>
          w.risk(
            risk.sku,
            risk.cancellations.map((x) => x.orderId),
          ),
        ),
      ]
    : [w.noRisks];
  return `${w.title(iso(metrics.now))}\n\n${lines.join('\n')}\n\n${risks.join('\n')}\n`;
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
