import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Option, type Command } from 'commander';
import { render, statusNames, type Lang } from '../domain/index.js';
import type { OrderStore } from '../store/index.js';
import type { SimulationFigures } from '../sim/index.js';
import {
  CliFailure,
  cliCommand,
  jsonOption,
  langOption,
  oneLine,
  usageError,
  withExamples,
  withStoreOptions,
} from './options.js';
import { formatTable } from './table.js';

interface SimulateOptions {
  orders: string;
  days: string;
  seed: string;
  db?: string;
  databaseUrl?: string;
  schema: string;
  lang: Lang;
  json: boolean;
  chart?: string;
}

const DEFAULT_DB = 'simulation.db';
const DEFAULT_SCHEMA = 'order_lifecycle_simulation';

const who = {
  en: { buyer: 'buyer', seller: 'seller', marketplace: 'Amazon (marketplace)', auto: 'Amazon auto-cancel (sweeper)' },
  'zh-CN': { buyer: '买家', seller: '卖家', marketplace: '亚马逊（平台）', auto: '亚马逊自动取消（清扫器）' },
} as const;

const words = {
  en: {
    title: (f: SimulationFigures, store: string) =>
      `A seller's week, simulated: ${n(f.orders)} orders over ${f.days} days from ${f.start.slice(0, 10)} (seed ${f.seed}), on ${store}`,
    clock: (f: SimulationFigures) =>
      `The sweeper moved the clock to ${f.end.slice(0, 16)}Z in ${n(f.sweeper.sweeps)} steps (every order settled) and applied ${n(f.sweeper.ticks)} deadline ticks.`,
    states: ['final state', 'orders', 'share'],
    reasons: ['cancellation reason', 'records', 'by'],
    byWho: ['cancelled by', 'records', 'counted against the seller'],
    counted: (f: SimulationFigures) =>
      `${n(f.cancellations.total)} cancellation records (a partial cancel is one), ${n(f.cancellations.counted)} count against the seller.`,
    health: (f: SimulationFigures) =>
      `Account health at the end of the week (${f.weekEnd.slice(0, 16)}Z, sellerMetrics, seller-fulfilled orders):`,
    metrics: ['metric', 'count', 'orders', 'rate', 'target', 'status'],
    cancellationRate: 'Cancellation Rate (7 days)',
    lateShipmentRate: 'Late Shipment Rate (10 days)',
    healthy: 'healthy',
    over: 'over target',
    risks: 'Offers at risk (two or more seller cancellations of a SKU in a row):',
    noRisks: 'Offers at risk: none',
    risk: (sku: string, count: number) => `  ${sku}: ${count} in a row`,
    daily: 'Daily Cancellation Rate (end of each day):',
    amazon: (f: SimulationFigures) =>
      `Amazon: ${n(f.amazon.notifications.received)} ORDER_CHANGE notifications (${n(f.amazon.notifications.events)} events), ${n(f.amazon.feeds.applied)} cancellation feeds (${n(f.amazon.feeds.messages)} messages, ${n(f.amazon.feeds.errors)} with errors).`,
    events: (f: SimulationFigures) =>
      `Events: ${n(f.events.applied)} applied, ${n(f.events.accepted)} accepted, ${n(f.events.refused)} refused${refusals(f)}.`,
    chart: (file: string) => `Chart of the daily Cancellation Rate: ${file}`,
    next: 'Next:',
    nextMetrics: 'the same rates, any day',
    nextInspect: 'open the orders and replay their histories',
    nextSeed: 'another week',
    done: (orders: number, seconds: string, chart: string) =>
      `simulated ${n(orders)} orders in ${seconds} s; chart written to ${chart}`,
  },
  'zh-CN': {
    title: (f: SimulationFigures, store: string) =>
      `模拟卖家的一周：${n(f.orders)} 个订单，${f.days} 天，自 ${f.start.slice(0, 10)} 起（种子 ${f.seed}），存储于 ${store}`,
    clock: (f: SimulationFigures) =>
      `清扫器分 ${n(f.sweeper.sweeps)} 步把时钟推进到 ${f.end.slice(0, 16)}Z（所有订单均已结束），执行了 ${n(f.sweeper.ticks)} 次到期时钟事件。`,
    states: ['最终状态', '订单数', '占比'],
    reasons: ['取消原因', '记录数', '取消方'],
    byWho: ['取消方', '记录数', '计入卖家取消率'],
    counted: (f: SimulationFigures) =>
      `共 ${n(f.cancellations.total)} 条取消记录（部分取消算一条），其中 ${n(f.cancellations.counted)} 条计入卖家取消率。`,
    health: (f: SimulationFigures) =>
      `本周结束时的账户状况（${f.weekEnd.slice(0, 16)}Z，sellerMetrics，卖家自配送订单）：`,
    metrics: ['指标', '计数', '订单数', '比率', '目标', '状态'],
    cancellationRate: '取消率（7 天）',
    lateShipmentRate: '迟发率（10 天）',
    healthy: '健康',
    over: '超出目标',
    risks: '有风险的商品（同一 SKU 连续两次及以上卖家取消）：',
    noRisks: '有风险的商品：无',
    risk: (sku: string, count: number) => `  ${sku}：连续 ${count} 次`,
    daily: '每日取消率（每天结束时）：',
    amazon: (f: SimulationFigures) =>
      `亚马逊：${n(f.amazon.notifications.received)} 条 ORDER_CHANGE 通知（${n(f.amazon.notifications.events)} 个事件），${n(f.amazon.feeds.applied)} 份取消上传数据（${n(f.amazon.feeds.messages)} 条消息，${n(f.amazon.feeds.errors)} 条出错）。`,
    events: (f: SimulationFigures) =>
      `事件：应用 ${n(f.events.applied)} 个，接受 ${n(f.events.accepted)} 个，拒绝 ${n(f.events.refused)} 个${refusals(f, 'zh-CN')}。`,
    chart: (file: string) => `每日取消率图表：${file}`,
    next: '下一步：',
    nextMetrics: '任意一天的同样比率',
    nextInspect: '打开订单，回放其历史',
    nextSeed: '换一周',
    done: (orders: number, seconds: string, chart: string) =>
      `已模拟 ${n(orders)} 个订单，用时 ${seconds} 秒；图表已写入 ${chart}`,
  },
} satisfies Record<Lang, unknown>;

const n = (value: number) => value.toLocaleString('en-US');
const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const refusals = (f: SimulationFigures, lang: Lang = 'en') => {
  const list = Object.entries(f.refusals).map(([code, count]) => `${code} ${n(count)}`);
  if (!list.length) return '';
  return render(lang, 'cli.refusalCounts', { counts: list.join(render(lang, 'cli.refusalCountSeparator')) });
};

/** Which side a cancel reason comes from, for the reasons table. */
function sideOf(reason: string, lang: Lang): string {
  const side =
    reason === 'BuyerSelfCanceled'
      ? 'buyer'
      : reason === 'NotShippedInTime'
        ? 'auto'
        : reason === 'MarketplaceCanceled'
          ? 'marketplace'
          : 'seller';
  return who[lang][side];
}

/**
 * The summary of a run as text in English or Chinese: states, cancellations, rates against their targets,
 * offers at risk, the daily rate, and what came from Amazon's adapters.
 * @example
 * process.stdout.write(formatSimulation(figures, 'zh-CN', { store: 'simulation.db', chart: 'simulation.svg' }));
 */
function formatSimulation(
  f: SimulationFigures,
  lang: Lang,
  where: { store: string; chart: string; next: string[] },
): string {
  const w = words[lang];
  const total = f.orders;
  const share = (count: number) => (total ? `${((count / total) * 100).toFixed(1)}%` : '0.0%');
  const states = Object.entries(f.states).filter(([, count]) => count > 0);
  const countedBy = { buyer: 0, seller: 0, marketplace: 0, auto: 0 };
  // Counted records by who: the seller's counted cancels and every auto-cancel (the rules page).
  countedBy.auto = f.cancellations.byWho.auto;
  countedBy.seller = f.cancellations.counted - countedBy.auto;
  const status = (healthy: boolean) => (healthy ? w.healthy : w.over);
  const cr = f.cancellationRate;
  const lsr = f.lateShipmentRate;
  const blocks = [
    [w.title(f, where.store), w.clock(f)],
    formatTable(
      [w.states, ...states.map(([state, count]) => [statusNames[state]?.[lang] ?? state, n(count), share(count)])],
      { right: [1, 2] },
    ),
    formatTable(
      [
        w.reasons,
        ...Object.entries(f.cancellations.byReason).map(([reason, count]) => [reason, n(count), sideOf(reason, lang)]),
      ],
      { right: [1] },
    ),
    [
      ...formatTable(
        [
          w.byWho,
          ...(Object.keys(who[lang]) as Array<keyof typeof who.en>).map((key) => [
            who[lang][key],
            n(f.cancellations.byWho[key]),
            n(countedBy[key]),
          ]),
        ],
        { right: [1, 2] },
      ),
      w.counted(f),
    ],
    [
      w.health(f),
      ...formatTable(
        [
          w.metrics,
          [
            w.cancellationRate,
            n(cr.canceled),
            n(cr.orders),
            percent(cr.rate),
            `< ${percent(cr.target)}`,
            status(cr.healthy),
          ],
          [
            w.lateShipmentRate,
            n(lsr.late),
            n(lsr.orders),
            percent(lsr.rate),
            `< ${percent(lsr.target)}`,
            status(lsr.healthy),
          ],
        ],
        { right: [1, 2, 3] },
      ),
    ],
    f.offersAtRisk.length ? [w.risks, ...f.offersAtRisk.map((risk) => w.risk(risk.sku, risk.inARow))] : [w.noRisks],
    [
      w.daily,
      ...formatTable(
        f.daily.map((d) => [
          `  ${d.date}`,
          percent(d.rate),
          `${n(d.canceled)}/${n(d.orders)}`,
          d.rate >= cr.target ? status(false) : '',
        ]),
        { right: [1, 2] },
      ),
      w.chart(where.chart),
    ],
    [w.amazon(f), w.events(f)],
    [w.next, ...where.next],
  ];
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}

function positiveInteger(command: Command, flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    usageError(command, `${flag} must be a whole number from 1 to ${n(max)} (got ${JSON.stringify(text)})`);
  }
  return value;
}

/** A bar on standard error while the run goes, when it is a terminal; nothing otherwise. */
async function progressBar(): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'simulating {bar} {percentage}% | {value}/{total} actions | {eta_formatted} left',
      hideCursor: true,
      etaBuffer: 200,
    },
    Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) bar.start(total, 0);
      started = true;
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}

/**
 * `order-lifecycle simulate`: a seeded seller's week pushed through the order service on an empty SQLite file
 * (or PostgreSQL schema), a summary in English or Chinese (or JSON), and the daily Cancellation Rate as SVG.
 * @example
 * buildProgram().addCommand(simulateCommand());
 */
export function simulateCommand(): Command {
  const command = withStoreOptions(
    cliCommand('simulate').description(
      "simulate a seller's week through the order service on an embedded database: buyers, sellers, Amazon notifications and feeds, the sweeper as the clock",
    ),
    `the SQLite file to simulate into, replaced when it exists (default ${DEFAULT_DB})`,
  )
    .option('--orders <n>', 'orders to place', '10000')
    .option('--days <n>', 'days over which orders are placed', '7')
    .option('--seed <n>', 'seed of the scenario mix: the same seed gives the same figures', '1')
    .addOption(langOption('language of the summary and the chart'))
    .addOption(jsonOption('print the figures as JSON instead of the summary'))
    .option(
      '--chart <file>',
      'where to write the SVG chart of the daily Cancellation Rate (default: next to the --db file, or simulation.svg)',
    )
    .addHelpText(
      'after',
      `\nThe store must be empty for the same seed to give the same figures: an existing --db file is replaced, and with\n--database-url the --schema (default ${DEFAULT_SCHEMA}) is dropped and created again. See docs/simulation.md.`,
    );
  withExamples(
    command,
    'simulate',
    'simulate --orders 1000 --seed 7 --lang zh-CN',
    'simulate --db week.db --json > week.json',
    'simulate --database-url postgres://postgres@127.0.0.1:5432/test',
  );
  // The shared store options default to the public schema, which a simulation must never drop.
  const schemaOption = command.options.find((option: Option) => option.attributeName() === 'schema')!;
  schemaOption.description = 'the PostgreSQL schema to simulate into, dropped and created again (with --database-url)';
  schemaOption.default(DEFAULT_SCHEMA);
  command.setOptionValueWithSource('schema', DEFAULT_SCHEMA, 'default');
  command.action(async (options: SimulateOptions) => {
    const orders = positiveInteger(command, '--orders', options.orders, 10_000_000);
    const days = positiveInteger(command, '--days', options.days, 366);
    if (!/^\d{1,9}$/.test(options.seed))
      usageError(command, `--seed must be a whole number from 0 to 999999999 (got ${JSON.stringify(options.seed)})`);
    const seed = Number(options.seed);
    if (options.db !== undefined && options.databaseUrl !== undefined)
      usageError(command, 'give at most one of --db <file> or --database-url <url>');
    const postgres = options.databaseUrl !== undefined;
    if (postgres && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(options.schema)) {
      usageError(
        command,
        `--schema must be letters, digits and underscores, starting with a letter or underscore (got ${JSON.stringify(options.schema)})`,
      );
    }
    if (postgres && options.schema.toLowerCase() === 'public')
      usageError(command, '--schema public would be dropped: give the simulation a schema of its own');
    const db = options.db ?? DEFAULT_DB;
    const chart = options.chart ?? (postgres ? 'simulation.svg' : `${db.replace(/\.(db|sqlite3?)$/i, '')}.svg`);
    let store: OrderStore;
    try {
      store = postgres ? await freshPostgres(options.databaseUrl!, options.schema) : await freshSqlite(db);
      await store.init();
    } catch (error) {
      const { hidePassword } = await import('../domain/index.js');
      const where = postgres
        ? `PostgreSQL ${JSON.stringify(hidePassword(options.databaseUrl!))}`
        : `SQLite file ${JSON.stringify(db)}`;
      throw new CliFailure(`cannot open the order store (${where}): ${oneLine(error)}`);
    }
    const storeName = postgres ? `PostgreSQL schema ${options.schema}` : `SQLite ${db}`;

    const { simulate, dailyRateChart } = await import('../sim/index.js');
    const bar = await progressBar();
    const started = performance.now();
    let figures: SimulationFigures;
    try {
      figures = await simulate({ store, orders, days, seed, onProgress: (done, total) => bar.update(done, total) });
    } finally {
      bar.stop();
    }
    const seconds = (performance.now() - started) / 1000;
    writeFileSync(chart, dailyRateChart(figures, options.lang));
    process.stderr.write(`${words[options.lang].done(orders, seconds.toFixed(1), chart)}\n`);
    if (options.json) {
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      return;
    }
    const where = postgres ? `--database-url ${options.databaseUrl} --schema ${options.schema}` : `--db ${db}`;
    const next = [
      `  npx order-lifecycle metrics ${where} --now ${figures.weekEnd}${options.lang === 'en' ? '' : ' --lang zh-CN'}   # ${words[options.lang].nextMetrics}`,
      `  npx order-lifecycle inspect ${where}   # ${words[options.lang].nextInspect}`,
      `  npx order-lifecycle simulate --seed ${seed + 1} --orders ${orders}${options.lang === 'en' ? '' : ' --lang zh-CN'}   # ${words[options.lang].nextSeed}`,
    ];
    process.stdout.write(formatSimulation(figures, options.lang, { store: storeName, chart, next }));
  });
  return command;
}

/** An empty SQLite file at `file`: an existing one (and its WAL files) is replaced, and stderr says so. */
async function freshSqlite(file: string): Promise<OrderStore> {
  if (existsSync(file)) process.stderr.write(`replacing ${file}: a simulation starts from an empty store\n`);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const { SqliteStore } = await import('../store/index.js');
  return new SqliteStore({ filename: file });
}

/** An empty PostgreSQL schema: dropped (with everything in it) and created again by the store. */
async function freshPostgres(url: string, schema: string): Promise<OrderStore> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
  const { PostgresStore } = await import('../store/index.js');
  return new PostgresStore({ connectionString: url, schema });
}
