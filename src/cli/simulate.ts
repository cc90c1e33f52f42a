import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Option, type Command } from 'commander';
import { statusNames, type Lang } from '../domain/index.js';
import { formatCount, renderCli } from '../domain/locales/cli.js';
import type { OrderStore } from '../store/index.js';
import type { SimulationFigures } from '../sim/index.js';
import {
  CliFailure,
  cliCommand,
  jsonOption,
  langFlag,
  langOption,
  oneLine,
  usageError,
  withExamples,
  writablePath,
  withStoreOptions,
} from './options.js';
import type { KeysUnder, TextKey, TextParams } from './format.js';
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
/** The order shipped in docs/examples/order.json, and instants at which it is live: for the next commands. */
const EXAMPLE_ORDER = {
  file: 'docs/examples/order.json',
  id: '114-3941689-8772232',
  soon: '2026-12-01T09:40:00+08:00',
  label: '{"type":"seller.generateLabel","at":"2026-12-01T10:00:00+08:00"}',
};
const DEFAULT_SCHEMA = 'order_lifecycle_simulation';

/** Who cancels, in the order of the table's rows. */
const sides = ['buyer', 'seller', 'marketplace', 'auto'] as const;
type Side = (typeof sides)[number];

const percent = (rate: number) => `${(rate * 100).toFixed(2)}%`;
const refusals = (f: SimulationFigures, lang: Lang) => {
  const list = Object.entries(f.refusals).map(([code, count]) => `${code} ${formatCount(lang, count)}`);
  if (!list.length) return '';
  return renderCli(lang, 'cli.refusalCounts', { counts: list.join(renderCli(lang, 'cli.refusalCountSeparator')) });
};

/** A rate's name with its window: `Cancellation Rate (7 days)`. */
const rateIn = (lang: Lang, name: TextKey, days: number) =>
  renderCli(lang, 'cli.aside', { text: renderCli(lang, name), aside: renderCli(lang, 'cli.days', { count: days }) });

/** Which side a cancel reason comes from, for the reasons table. */
function sideOf(reason: string): Side {
  return reason === 'BuyerSelfCanceled'
    ? 'buyer'
    : reason === 'NotShippedInTime'
      ? 'auto'
      : reason === 'MarketplaceCanceled'
        ? 'marketplace'
        : 'seller';
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
  const w = (key: KeysUnder<'cli.simulate.'>, params: TextParams = {}) =>
    renderCli(lang, `cli.simulate.${key}`, params);
  const n = (value: number) => formatCount(lang, value);
  const who = (side: Side) => w(`who.${side}`);
  const column = (name: KeysUnder<'cli.column.'>) => renderCli(lang, `cli.column.${name}`);
  const total = f.orders;
  const share = (count: number) => (total ? `${((count / total) * 100).toFixed(1)}%` : '0.0%');
  const states = Object.entries(f.states).filter(([, count]) => count > 0);
  const countedBy = { buyer: 0, seller: 0, marketplace: 0, auto: 0 };
  // Counted records by who: the seller's counted cancels and every auto-cancel (the rules page).
  countedBy.auto = f.cancellations.byWho.auto;
  countedBy.seller = f.cancellations.counted - countedBy.auto;
  const status = (healthy: boolean) => renderCli(lang, healthy ? 'cli.healthy' : 'cli.overTarget');
  const cr = f.cancellationRate;
  const lsr = f.lateShipmentRate;
  const blocks = [
    [
      w('title', {
        orders: n(f.orders),
        days: f.days,
        start: f.start.slice(0, 10),
        seed: f.seed,
        store: where.store,
      }),
      w('clock', { end: f.end.slice(0, 16), sweeps: n(f.sweeper.sweeps), ticks: n(f.sweeper.ticks) }),
    ],
    formatTable(
      [
        [w('finalState'), column('orders'), w('share')],
        ...states.map(([state, count]) => [statusNames[state]?.[lang] ?? state, n(count), share(count)]),
      ],
      { right: [1, 2] },
    ),
    formatTable(
      [
        [w('reason'), column('records'), w('by')],
        ...Object.entries(f.cancellations.byReason).map(([reason, count]) => [reason, n(count), who(sideOf(reason))]),
      ],
      { right: [1] },
    ),
    [
      ...formatTable(
        [
          [w('cancelledBy'), column('records'), w('countedAgainstSeller')],
          ...sides.map((side) => [who(side), n(f.cancellations.byWho[side]), n(countedBy[side])]),
        ],
        { right: [1, 2] },
      ),
      w('counted', { total: n(f.cancellations.total), counted: n(f.cancellations.counted) }),
    ],
    [
      w('health', { weekEnd: f.weekEnd.slice(0, 16) }),
      ...formatTable(
        [
          (['metric', 'count', 'orders', 'rate', 'target', 'status'] as const).map(column),
          [
            rateIn(lang, 'cli.cancellationRate', 7),
            n(cr.canceled),
            n(cr.orders),
            percent(cr.rate),
            `< ${percent(cr.target)}`,
            status(cr.healthy),
          ],
          [
            rateIn(lang, 'cli.lateShipmentRate', 10),
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
    f.offersAtRisk.length
      ? [
          w('risks'),
          ...f.offersAtRisk.map((risk) => `  ${renderCli(lang, 'cli.inARow', { sku: risk.sku, count: risk.inARow })}`),
        ]
      : [w('noRisks')],
    [
      w('daily'),
      ...formatTable(
        f.daily.map((d) => [
          `  ${d.date}`,
          percent(d.rate),
          `${n(d.canceled)}/${n(d.orders)}`,
          d.rate >= cr.target ? status(false) : '',
        ]),
        { right: [1, 2] },
      ),
      w('chart', { file: where.chart }),
    ],
    [
      w('amazon', {
        notifications: n(f.amazon.notifications.received),
        events: n(f.amazon.notifications.events),
        feeds: n(f.amazon.feeds.applied),
        messages: n(f.amazon.feeds.messages),
        errors: n(f.amazon.feeds.errors),
      }),
      w('events', {
        applied: n(f.events.applied),
        accepted: n(f.events.accepted),
        refused: n(f.events.refused),
        refusals: refusals(f, lang),
      }),
    ],
    [w('next'), ...where.next],
  ];
  return `${blocks.map((block) => block.join('\n')).join('\n\n')}\n`;
}

function positiveInteger(command: Command, flag: string, text: string, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1 || value > max) {
    usageError(
      command,
      `${flag} must be a whole number from 1 to ${formatCount('en', max)} (got ${JSON.stringify(text)})`,
    );
  }
  return value;
}

/**
 * The time left as the progress bar shows it: `done` once every action is done, `12s left` (`3m 05s left`,
 * `1h 02m left`) from the pace so far, and `…` before there is a pace to go by. cli-progress's own `{eta_formatted}`
 * reads `LLs` (from its `NULL`) on a bar's last frame.
 * @example
 * timeLeft(50, 100, 4_000); // '4s left'
 * timeLeft(100, 100, 9_000); // 'done'
 */
export function timeLeft(done: number, total: number, elapsedMs: number): string {
  if (total > 0 && done >= total) return 'done';
  if (done <= 0 || !(elapsedMs > 0)) return '…';
  const seconds = Math.ceil(((total - done) * elapsedMs) / done / 1000);
  if (!Number.isFinite(seconds)) return '…';
  const two = (value: number) => String(value).padStart(2, '0');
  if (seconds < 60) return `${seconds}s left`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ${two(seconds % 60)}s left`;
  return `${Math.floor(seconds / 3600)}h ${two(Math.floor(seconds / 60) % 60)}m left`;
}

/** A bar on standard error while the run goes, when it is a terminal; nothing otherwise. */
async function progressBar(): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (!process.stderr.isTTY) return { update: () => {}, stop: () => {} };
  const { SingleBar, Presets } = (await import('cli-progress')).default;
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format: 'simulating {bar} {percentage}% | {value}/{total} actions | {left}',
      hideCursor: true,
    },
    Presets.shades_classic,
  );
  let started = 0;
  return {
    update(done, total) {
      if (!started) {
        started = performance.now();
        bar.start(total, 0, { left: timeLeft(0, total, 0) });
      }
      // The plan is planned a day at a time: its total is an estimate until the last day of orders is planned.
      bar.setTotal(total);
      bar.update(done, { left: timeLeft(done, total, performance.now() - started) });
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
    if (!postgres) writablePath(command, db, { label: '--db', wanted: 'a SQLite file to simulate into' });
    writablePath(command, chart, { label: '--chart', wanted: 'an SVG file to write the chart to' });
    let store: OrderStore;
    try {
      store = postgres ? await freshPostgres(options.databaseUrl!, options.schema) : await freshSqlite(db);
      await store.init();
    } catch (error) {
      const { hidePassword, MissingDependencyError } = await import('../domain/index.js');
      if (error instanceof MissingDependencyError) throw error; // main.ts names the command and the package
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
    const say = (key: TextKey, params: TextParams = {}) => renderCli(options.lang, key, params);
    process.stderr.write(
      `${say('cli.simulate.done', { orders: formatCount(options.lang, orders), seconds: seconds.toFixed(1), chart })}\n`,
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
      return;
    }
    const where = postgres ? `--database-url ${options.databaseUrl} --schema ${options.schema}` : `--db ${db}`;
    const next = [
      `  npx order-lifecycle metrics ${where} --now ${figures.weekEnd}${langFlag(options.lang)}   # ${say('cli.simulate.nextMetrics')}`,
      `  npx order-lifecycle inspect ${where}   # ${say('cli.simulate.nextInspect')}`,
      `  npx order-lifecycle simulate --seed ${seed + 1} --orders ${orders}${langFlag(options.lang)}   # ${say('cli.simulate.nextSeed')}`,
      // Every simulated order has ended: a live one comes from the shipped example.
      `  npx order-lifecycle place ${EXAMPLE_ORDER.file} --db orders.db${langFlag(options.lang)}   # ${say('cli.simulate.nextPlace')}`,
      `  npx order-lifecycle status ${EXAMPLE_ORDER.id} --db orders.db --now ${EXAMPLE_ORDER.soon}${langFlag(options.lang)}   # ${say('cli.simulate.nextStatus')}`,
      `  npx order-lifecycle apply ${EXAMPLE_ORDER.id} '${EXAMPLE_ORDER.label}' --db orders.db${langFlag(options.lang)}   # ${say('cli.simulate.nextApply')}`,
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
  const { PostgresStore } = await import('../store/index.js');
  // Made first: without the optional pg it throws MissingDependencyError, which names the package to install.
  const store = new PostgresStore({ connectionString: url, schema });
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
  return store;
}
