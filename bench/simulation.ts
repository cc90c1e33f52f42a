/**
 * `npm run bench -- simulation` (or `npm run bench:simulation`): the full simulation of `order-lifecycle simulate`
 * end to end (plan, every action through the order service, the sweeper as the clock, the figures from the store).
 *   - SQLite: `--orders N` orders (default 100,000; goal under 60 s), next to the bare service's own single-event
 *     writes per second measured in the same process just before and just after the run, and the time the run
 *     spent inside SQLite (every statement the store ran, timed around each call), the process's CPU time and
 *     the bytes it wrote (Linux);
 *   - PostgreSQL: `--pg-orders N` orders (default 10,000) with 1, 2 and 4 worker processes sharing one schema,
 *     in lockstep on the virtual clock (each applies its share of the orders' actions up to the next step, then
 *     the workers sweep, and the due orders split between them: all of them when at least 100 per worker are
 *     due, one when fewer, none when nothing is); the figures must equal those of the first worker count.
 *   - SQLite: the live heap once a simulated day (`--live-heap-orders N`, default 20,000), after the timed run.
 * `--skip-sqlite`, `--skip-postgres`, `--workers 1,2` to narrow it down. No thresholds: the figures go into
 * docs/performance.md by hand.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { DATABASE_URL, postgresReachable } from './postgres.js';
import { nodeFlags, workerFlags } from './lib.js';
import { createOrderService } from '../src/service/index.js';
import { PostgresStore, SqliteStore, type OrderStore } from '../src/store/index.js';
import {
  SimulationRunner,
  addCounters,
  emptyCounters,
  figuresOf,
  planSimulation,
  runClock,
  simulationNow,
  simulate,
  storedSnapshots,
  type SimulationClock,
  type SimulationCounters,
  type SimulationFigures,
} from '../src/sim/index.js';

const SEED = 1;
const DAYS = 7;
const self = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------------------
// Worker mode: one PostgreSQL worker applying the actions of its share of the orders, step by step.
if (process.argv[2] === '--worker') {
  const job = JSON.parse(process.argv[3]!) as { schema: string; orders: number; worker: number; workers: number };
  const plan = planSimulation({ orders: job.orders, days: DAYS, seed: SEED });
  const owner = new Map(plan.orders.map((order) => [order.input.orderId, order.index % job.workers]));
  const clock: SimulationClock = { now: plan.start };
  const store = new PostgresStore({ connectionString: DATABASE_URL, schema: job.schema, max: 2 });
  const service = await createOrderService({ store, now: simulationNow(clock) });
  // Feeds name many orders: one worker applies them all.
  const runner = new SimulationRunner(service, plan, clock, (action) =>
    action.kind === 'feed'
      ? job.worker === 0
      : owner.get(action.kind === 'place' ? action.input.orderId : action.orderId) === job.worker,
  );
  process.stdout.write('ready\n');
  let buffered = '';
  for await (const chunk of process.stdin) {
    buffered += chunk;
    let newline: number;
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const [command, at] = buffered.slice(0, newline).split(' ');
      buffered = buffered.slice(newline + 1);
      if (command === 'run') await runner.runUntil(Number(at));
      else if (command === 'sweep') await runner.sweep(Number(at));
      else {
        await service.close();
        process.stdout.write(`done ${JSON.stringify(runner.counters)}\n`);
        process.exit(0);
      }
      process.stdout.write('ok\n');
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
const { values } = parseArgs({
  strict: false,
  options: {
    orders: { type: 'string', default: process.env['BENCH_SIM_ORDERS'] ?? '100000' },
    'pg-orders': { type: 'string', default: process.env['BENCH_SIM_PG_ORDERS'] ?? '10000' },
    workers: { type: 'string', default: '1,2,4' },
    'skip-sqlite': { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    'live-heap-orders': { type: 'string', default: '20000' },
  },
});
const sqliteOrders = Number(values.orders);
const pgOrders = Number(values['pg-orders']);
const workerCounts = String(values.workers).split(',').map(Number);

const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const table: Array<Record<string, string>> = [];
const row = (measure: string, store: string, value: string, baseline = '', ratio = '') => {
  table.push({ measure, store, value, baseline, ratio });
  console.log(`${measure} [${store}]: ${value}${baseline ? ` | baseline ${baseline} | ${ratio}` : ''}`);
};

/** Writes the service made: one per placed order, per applied event and per deadline the sweeper applied. */
const writesOf = (f: SimulationFigures) => f.orders + f.events.applied + f.sweeper.ticks;

/** The bare service: `apply` of one event per transaction on fresh orders, events/s (the figure of bench/service.ts). */
async function bareServiceRate(store: OrderStore, count: number, tag: string): Promise<number> {
  const service = await createOrderService({ store });
  const placedAt = Date.parse('2030-01-01T00:00:00Z');
  const ids = Array.from({ length: count }, (_, i) => `bare-${tag}-${i}`);
  for (const orderId of ids) {
    await service.place({
      orderId,
      placedAt,
      latestShipDate: placedAt + 2 * 86_400_000,
      items: [
        { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
        { orderItemId: 'B', sku: 'MUG-BLUE', quantity: 1 },
      ],
    });
  }
  const start = performance.now();
  for (const orderId of ids) await service.apply(orderId, { type: 'buyer.cancel', at: placedAt + 5 * 60_000 });
  const rate = (count * 1000) / (performance.now() - start);
  await service.close();
  return rate;
}

/**
 * Times every statement the store runs on its connection (SQLite's own work: statements, BEGIN, COMMIT with its
 * checkpoints), by wrapping the statements it prepares from now on; `commits` is the COMMIT statements' share.
 */
function sqliteTime(store: SqliteStore): () => { seconds: number; commits: number; commitSeconds: number } {
  let total = 0n;
  let commit = 0n;
  let commits = 0;
  const prepare = store.db.prepare.bind(store.db);
  store.db.prepare = ((source: string) => {
    const statement = prepare(source);
    const isCommit = source.trim().toUpperCase() === 'COMMIT';
    for (const method of ['run', 'get', 'all'] as const) {
      const call = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        const start = process.hrtime.bigint();
        try {
          return call(...args);
        } finally {
          const spent = process.hrtime.bigint() - start;
          total += spent;
          if (isCommit) {
            commit += spent;
            commits++;
          }
        }
      };
    }
    return statement;
  }) as typeof store.db.prepare;
  return () => ({ seconds: Number(total) / 1e9, commits, commitSeconds: Number(commit) / 1e9 });
}

async function sqliteRun(dir: string): Promise<void> {
  const before = await bareServiceRate(new SqliteStore({ filename: join(dir, 'bare-before.db') }), 2_000, 'before');
  const store = new SqliteStore({ filename: join(dir, 'simulation.db') });
  const inSqlite = sqliteTime(store);
  const cpuBefore = process.cpuUsage();
  const writtenBefore = bytesWritten();
  const start = performance.now();
  const figures = await simulate({ store, orders: sqliteOrders, days: DAYS, seed: SEED });
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const written = bytesWritten() - writtenBefore;
  const spent = inSqlite();
  const after = await bareServiceRate(new SqliteStore({ filename: join(dir, 'bare-after.db') }), 2_000, 'after');
  const bare = (before + after) / 2;
  const writes = writesOf(figures) / seconds;
  // The goal is for 100,000 orders; a smaller run has none.
  const goal = sqliteOrders === 100_000;
  row(
    `simulation of ${fmt(sqliteOrders)} orders end to end (plan, run, figures)${goal ? ', goal < 60 s' : ''}`,
    'sqlite',
    `${seconds.toFixed(1)} s, ${fmt(sqliteOrders / seconds)} orders/s`,
    '',
    goal ? (seconds < 60 ? 'met' : 'NOT met') : '',
  );
  row(
    `service writes/s in that simulation (${fmt(writesOf(figures))} writes: orders, events, sweeper ticks)`,
    'sqlite',
    fmt(writes),
    `${fmt(bare)} single-event service.apply/s (${fmt(before)} before, ${fmt(after)} after)`,
    `${(writes / bare).toFixed(2)}x`,
  );
  row(
    'time inside SQLite in that simulation (every statement, BEGIN and COMMIT)',
    'sqlite',
    `${spent.seconds.toFixed(1)} s, of which COMMIT ${spent.commitSeconds.toFixed(1)} s (${fmt(spent.commits)} commits)`,
    `${seconds.toFixed(1)} s the whole run`,
    `${((spent.seconds / seconds) * 100).toFixed(0)}%`,
  );
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  row(
    'CPU time per order of that simulation (user + system), goal at most 0.7 ms',
    'sqlite',
    `${((cpuSeconds * 1000) / sqliteOrders).toFixed(2)} ms`,
    '',
    (cpuSeconds * 1000) / sqliteOrders <= 0.7 ? 'met' : 'NOT met',
  );
  // The process's peak so far: the bare service's run before it is smaller (2,000 orders).
  const peakMb = process.resourceUsage().maxRSS / 1024;
  row(
    `peak RSS of the process after that simulation (process.resourceUsage().maxRSS)${goal ? ', goal at most 400 MB' : ''}`,
    'sqlite',
    `${fmt(peakMb)} MB, ${fmt((peakMb * 1024) / sqliteOrders)} KB per order`,
    '',
    goal ? (peakMb <= 400 ? 'met' : 'NOT met') : '',
  );
  row(
    'CPU time of that simulation, every thread of the process (user + system)',
    'sqlite',
    `${cpuSeconds.toFixed(1)} s (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s)`,
    `${seconds.toFixed(1)} s the whole run`,
    `${(cpuSeconds / seconds).toFixed(2)} cores busy on average`,
  );
  if (Number.isFinite(written)) {
    const writeCount = writesOf(figures);
    row(
      'bytes the process wrote in that simulation (/proc/self/io wchar: the WAL and its checkpoints)',
      'sqlite',
      `${(written / 1e9).toFixed(2)} GB, ${fmt(written / writeCount / 1024)} KB per write`,
      `${fmt(writeCount)} writes`,
      `${(written / writeCount / 4096).toFixed(1)} pages of 4 KB per write`,
    );
  }
}

/**
 * The live heap of a simulation once a simulated day: after the timed run (so its figures are untouched), the same
 * simulation of `--live-heap-orders` orders (default 20,000) with a `gc()` at the end of each simulated day (every
 * 96 clock steps). Flat from the first day to the last when nothing grows with the orders.
 */
async function liveHeap(dir: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return console.log('live heap: run node with --expose-gc (npm run bench does)');
  const orders = Number(values['live-heap-orders']);
  const days: number[] = [];
  let steps = 0;
  await simulate({
    store: new SqliteStore({ filename: join(dir, 'live-heap.db') }),
    orders,
    days: DAYS,
    seed: SEED,
    onProgress: () => {
      if (++steps % 96 !== 0) return;
      gc();
      days.push(process.memoryUsage().heapUsed / 1e6);
    },
  });
  row(
    `live heap after a gc() at the end of each simulated day, ${fmt(orders)} orders (${days.length} days)`,
    'sqlite',
    `${Math.min(...days).toFixed(0)}–${Math.max(...days).toFixed(0)} MB`,
    `first day ${days[0]!.toFixed(0)} MB, last ${days.at(-1)!.toFixed(0)} MB`,
    `${(days.at(-1)! / days[0]!).toFixed(2)}x from the first day to the last`,
  );
}

/** Bytes this process has written through write calls so far (Linux `/proc/self/io` wchar), NaN elsewhere. */
function bytesWritten(): number {
  try {
    return Number(/^wchar: (\d+)$/m.exec(readFileSync('/proc/self/io', 'utf8'))?.[1] ?? Number.NaN);
  } catch {
    return Number.NaN;
  }
}

async function resetSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

/** The simulation with `workers` processes on one PostgreSQL schema, in lockstep on the virtual clock. */
async function postgresRun(schema: string, workers: number): Promise<{ seconds: number; figures: SimulationFigures }> {
  await resetSchema(schema);
  const init = new PostgresStore({ connectionString: DATABASE_URL, schema, max: 1 });
  await init.init();
  await init.close();
  const children = Array.from({ length: workers }, (_, worker) =>
    spawn(
      process.execPath,
      [
        ...workerFlags(),
        '--import',
        'tsx',
        self,
        '--worker',
        JSON.stringify({ schema, orders: pgOrders, worker, workers }),
      ],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const waiting = children.map(() => [] as Array<(line: string) => void>);
  children.forEach((child, i) => {
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      let newline: number;
      while ((newline = out.indexOf('\n')) >= 0) {
        const line = out.slice(0, newline);
        out = out.slice(newline + 1);
        waiting[i]!.shift()?.(line);
      }
    });
    child.on('exit', (code) => {
      if (code !== 0) for (const resolve of waiting[i]!.splice(0)) resolve(`exit ${code}`);
    });
  });
  const next = (i: number) => new Promise<string>((resolve) => waiting[i]!.push(resolve));
  const all = async (command: string, count = children.length) => {
    const replies = children.slice(0, count).map((_, i) => next(i));
    for (const child of children.slice(0, count)) child.stdin!.write(`${command}\n`);
    const lines = await Promise.all(replies);
    const bad = lines.find((line) => line !== 'ok' && !line.startsWith('done '));
    if (bad) throw new Error(`a worker answered ${JSON.stringify(bad)} to ${command}`);
    return lines;
  };
  await Promise.all(children.map((_, i) => next(i)));
  const plan = planSimulation({ orders: pgOrders, days: DAYS, seed: SEED });
  const watch = new PostgresStore({ connectionString: DATABASE_URL, schema, max: 1 });
  const start = performance.now();
  let steps = 0;
  await runClock(plan, async (at) => {
    steps++;
    await all(`run ${at}`);
    // Every worker sweeps when there is enough due for all; one does when there is a little; none when nothing
    // is due (a sweep would apply nothing). Either way every due deadline is applied at this step.
    const due = await watch.countDue(at);
    if (due >= 100 * workers) await all(`sweep ${at}`);
    else if (due > 0) await all(`sweep ${at}`, 1);
  });
  await watch.close();
  const counters = (await all('end')).reduce(
    (sum, line) => addCounters(sum, JSON.parse(line.slice(5)) as SimulationCounters),
    emptyCounters(),
  );
  // As the command counts them: one sweep per clock step.
  counters.sweeper.sweeps = steps;
  const reader = await createOrderService({
    store: new PostgresStore({ connectionString: DATABASE_URL, schema, max: 8 }),
  });
  const figures = figuresOf(plan, await storedSnapshots(reader), counters);
  await reader.close();
  return { seconds: (performance.now() - start) / 1000, figures };
}

const dir = mkdtempSync(join(tmpdir(), 'ol-bench-sim-'));
const schema = `ol_bench_sim_${process.pid}`;
try {
  console.log(
    `node ${process.version} (${nodeFlags()}); seed ${SEED}, ${DAYS} days; SQLite ${fmt(sqliteOrders)} orders, PostgreSQL ${fmt(pgOrders)} orders with ${workerCounts.join(', ')} workers`,
  );
  if (!values['skip-sqlite']) {
    await sqliteRun(dir);
    await liveHeap(dir);
  }
  if (!values['skip-postgres']) {
    if (!(await postgresReachable()))
      console.log(
        `PostgreSQL not reachable at ${DATABASE_URL}: start it or set DATABASE_URL; skipping the PostgreSQL rows.`,
      );
    else {
      const bare = await bareServiceRate(
        new PostgresStore({ connectionString: DATABASE_URL, schema: `${schema}_bare`, max: 2 }),
        300,
        'pg',
      );
      await resetSchema(`${schema}_bare`);
      let first: { seconds: number; figures: SimulationFigures } | undefined;
      for (const workers of workerCounts) {
        const run = await postgresRun(schema, workers);
        if (first && JSON.stringify(run.figures) !== JSON.stringify(first.figures)) {
          throw new Error(`${workers} workers gave other figures than ${workerCounts[0]}`);
        }
        first ??= run;
        const writes = writesOf(run.figures) / run.seconds;
        row(
          `simulation of ${fmt(pgOrders)} orders end to end with ${workers} worker process${workers > 1 ? 'es' : ''}`,
          'postgres',
          `${run.seconds.toFixed(1)} s, ${fmt(writes)} writes/s`,
          workers === workerCounts[0]
            ? `${fmt(bare)} single-event service.apply/s`
            : `${first.seconds.toFixed(1)} s with ${workerCounts[0]}`,
          workers === workerCounts[0]
            ? `${(writes / bare).toFixed(2)}x`
            : `${(first.seconds / run.seconds).toFixed(2)}x faster`,
        );
      }
    }
  }
  console.log('\n| measure | store | value | baseline | ratio |\n|---|---|---|---|---|');
  for (const r of table) console.log(`| ${r.measure} | ${r.store} | ${r.value} | ${r.baseline} | ${r.ratio} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (await postgresReachable()) await resetSchema(schema);
}
