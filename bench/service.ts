/**
 * `npm run bench:service`: the durable order service against bare writes of the same JSON on the same store,
 * in the same run (interleaved rounds, medians). No thresholds: the numbers go into docs/service.md.
 *   - events/s for single-event transactions and for a sweep batch of 1,000 events in one transaction,
 *     on SQLite and PostgreSQL, with the service's overhead as a ratio over the bare write;
 *   - events/s for the same single-event requests sent all at once (SQLite commits them in groups; PostgreSQL
 *     runs them on the pool's connections), against the same requests one after another;
 *   - sweep of 1,000 due orders among 10,000 / 100,000 / 1,000,000 stored on SQLite;
 *   - bytes per stored order, history row and outbox row (pages and relation sizes, indexes included);
 *   - events/s with 1, 2 and 4 worker processes on PostgreSQL;
 *   - each speed-up layer of the write path on and off (group commit, snapshot cache; see `layers`).
 * Set BENCH_SWEEP_MAX (default 1000000) or BENCH_ROUNDS (default 5) to shorten it, BENCH_SWEEP_WARMUP (default
 * 5) for the uncounted sweeps on each store before the timed ones, BENCH_SERVICE_PARTS (say `layers`) to run
 * only some parts: throughput (with the sizes), layers, sweep, workers. The worker processes each first apply
 * BENCH_WORKER_WARMUP (default 3000) untimed events to orders of their own, then all apply events together for
 * BENCH_WORKER_SECONDS (default 2) and count what they finished in that time, with the CPU their processes and
 * their PostgreSQL backends used for it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { DATABASE_URL, postgresReachable } from './postgres.js';
import { consume, nodeFlags, workerFlags } from './lib.js';
import {
  createOrder,
  nextDeadline,
  orderStatus,
  restoreOrder,
  serializeOrder,
  type OrderEventInput,
} from '../src/index.js';
import { createOrderService, type OrderService } from '../src/service/index.js';
import {
  PostgresStore,
  SqliteStore,
  type HistoryRecord,
  type OrderRow,
  type SqliteStoreOptions,
} from '../src/store/index.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.parse('2026-11-26T10:00:00+08:00');
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
const WARMUP = Number(process.env['BENCH_SWEEP_WARMUP'] ?? 5);
const HOUR = 60 * MINUTE;
const SWEEP_MAX = Number(process.env['BENCH_SWEEP_MAX'] ?? 1_000_000);
const self = fileURLToPath(import.meta.url);
/** Which parts run (BENCH_SERVICE_PARTS, comma-separated; default all): throughput, layers, sweep, workers. */
const PARTS = new Set((process.env['BENCH_SERVICE_PARTS'] ?? 'throughput,layers,sweep,workers').split(','));

const input = (orderId: string, placedAt: number) => ({
  orderId,
  placedAt,
  latestShipDate: placedAt + 2 * DAY,
  items: [
    { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
    { orderItemId: 'B', sku: 'MUG-BLUE', quantity: 1 },
  ],
});
/** The measured event: a buyer cancel in the window changes the snapshot and writes three effects to the outbox. */
const label = (placedAt: number): OrderEventInput => ({ type: 'buyer.cancel', at: placedAt + 5 * MINUTE });

/** A stored row for `orderId` placed at `placedAt`, made from one template by renaming (the id is the only difference). */
function rowMaker(placedAt: number) {
  const template = createOrder(input('TEMPLATE-ORDER-ID', placedAt)).snapshot;
  const text = serializeOrder(template);
  const status = orderStatus(template);
  const deadline = nextDeadline(template);
  return (orderId: string) => ({
    orderId,
    version: 1,
    status,
    nextDeadline: deadline,
    seq: 1,
    snapshot: text.replaceAll('TEMPLATE-ORDER-ID', orderId),
  });
}
/** The snapshot text after the measured event on such an order: what the bare baseline writes. */
function labelledText(placedAt: number) {
  return (orderId: string) => {
    const created = createOrder(input(orderId, placedAt));
    return serializeOrder(createOrderStep(created.snapshot, label(placedAt)));
  };
}
import { applyEvent } from '../src/index.js';
function createOrderStep(snapshot: ReturnType<typeof createOrder>['snapshot'], event: OrderEventInput) {
  return applyEvent(snapshot, event).snapshot;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const fmt = (n: number) => (n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(1));
const table: Array<Record<string, string>> = [];
const row = (measure: string, store: string, value: string, baseline = '', ratio = '') => {
  table.push({ measure, store, value, baseline, ratio });
  console.log(`${measure} [${store}]: ${value}${baseline ? ` | baseline ${baseline} | ${ratio}` : ''}`);
};

// ---------------------------------------------------------------------------------------------------------
// Worker mode: one PostgreSQL worker process applying events to its own orders, started at a barrier.
// A worker that has just started runs its first events in V8's interpreter and compiles them on background threads,
// which the other workers' cores pay for: it first applies `warmup` events to orders of its own, untimed, as a running
// worker would have. Then, between the parent's `go` and `stop`, it applies events one after another and counts those
// finished before `stop`, with the CPU time its own process and its PostgreSQL backend used meanwhile.
if (process.argv[2] === '--worker') {
  const job = JSON.parse(process.argv[3]!) as {
    schema: string;
    placedAt: number;
    /** Order ids are `${prefix}warm-${i}` (warm-up) and `${prefix}${i}` (timed), inserted by the parent. */
    prefix: string;
    warmup: number;
    orders: number;
  };
  const store = new PostgresStore({ connectionString: DATABASE_URL, schema: job.schema, max: 1 });
  const service = await createOrderService({ store });
  for (let i = 0; i < job.warmup; i++) await service.apply(`${job.prefix}warm-${i}`, label(job.placedAt));
  // The pool's one connection: its server process, whose CPU time /proc shows when the server runs on this machine.
  const backend = (await store.pool.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const lines = createInterface({ input: process.stdin });
  // The parent is gone: so is the run.
  lines.on('close', () => process.exit(1));
  let go: () => void;
  const started = new Promise<void>((resolve) => (go = resolve));
  let stopped = false;
  lines.on('line', (line) => (line === 'go' ? go() : line === 'stop' && (stopped = true)));
  process.stdout.write('ready\n');
  await started;
  const cpu = process.cpuUsage();
  const serverBefore = processCpuMs(backend);
  let finished = 0;
  for (let i = 0; i < job.orders && !stopped; i++) {
    const { verdict } = await service.apply(`${job.prefix}${i}`, label(job.placedAt));
    if (stopped) break;
    if (!verdict.accepted) throw new Error(`worker: order ${i} refused the event: ${verdict.message.en}`);
    finished++;
  }
  const used = process.cpuUsage(cpu);
  const serverAfter = processCpuMs(backend);
  const server = serverBefore === undefined || serverAfter === undefined ? -1 : serverAfter - serverBefore;
  lines.removeAllListeners('close');
  await service.close();
  process.stdout.write(
    `done ${finished} ${stopped ? 'stopped' : 'ran-out'} ${(used.user + used.system) / 1000} ${server}\n`,
  );
  process.exit(0);
}

/** CPU time (user + system) of another process of this machine so far, in ms, from /proc; undefined if unreadable. */
function processCpuMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, fields 14 and 15 of stat(5), in clock ticks (USER_HZ, 100 on Linux).
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
/** What `apply` writes for one event, worked out beforehand: the baseline `ownSql` sends exactly this. */
interface OwnWrite {
  orderId: string;
  expectedSeq: number;
  row: OrderRow;
  history: HistoryRecord;
  effects: string[];
  availableAt: number;
}

/**
 * The writes `apply` made for `templateId`, renamed for each of `ids`: the service's own SQL, with its values,
 * for the bare-statement baseline.
 */
async function ownWrites(backend: Backend, templateId: string, ids: readonly string[]): Promise<OwnWrite[]> {
  const [history] = (await backend.store.history(templateId)).slice(-1);
  const row = await backend.store.getOrder(templateId);
  const outbox = await backend.store.outboxEntries(templateId);
  if (!history || !row) throw new Error(`the template order ${templateId} was not written`);
  const rename = (text: string, id: string) => text.replaceAll(templateId, id);
  return ids.map((orderId) => ({
    orderId,
    expectedSeq: row.seq - 1,
    row: { ...row, orderId, snapshot: rename(row.snapshot, orderId) },
    history: { ...history, orderId, event: rename(history.event, orderId), verdict: rename(history.verdict, orderId) },
    effects: outbox.map((entry) => rename(entry.effect, orderId)),
    availableAt: history.recordedAt,
  }));
}

interface Backend {
  name: 'sqlite' | 'postgres';
  service: OrderService;
  /** Inserts rows directly (bench setup only). */
  insert(rows: ReturnType<ReturnType<typeof rowMaker>>[]): Promise<void>;
  /** The baseline: a bare UPDATE of the same JSON, one statement per transaction (autocommit). */
  bareUpdate(orderId: string, text: string): Promise<void>;
  /** The baseline for a batch: the same bare UPDATEs in one transaction. */
  bareBatch(items: Array<[string, string]>): Promise<void>;
  /**
   * The service's own SQL alone, with no JavaScript of the service: the statements `apply` sends for one event
   * (read the order, update it behind its seq guard, append the history row, add the outbox rows), with the
   * values it would send worked out beforehand: on SQLite in one transaction, on PostgreSQL as a read and one
   * `writeStep` statement.
   */
  ownSql(write: OwnWrite): Promise<void>;
  /** The store underneath, to read what the service wrote. */
  store: SqliteStore | PostgresStore;
  bytes(): Promise<Record<'order' | 'history' | 'outbox', number>>;
  close(): Promise<void>;
}

async function sqliteBackend(dir: string): Promise<Backend> {
  const store = new SqliteStore({ filename: join(dir, 'bench.db') });
  const service = await createOrderService({ store });
  const db = store.db;
  const insert = db.prepare(
    'INSERT INTO orders (order_id, version, status, next_deadline, seq, snapshot) VALUES (@orderId, @version, @status, @nextDeadline, @seq, @snapshot)',
  );
  const update = db.prepare('UPDATE orders SET snapshot = ?, version = version + 1, seq = seq + 1 WHERE order_id = ?');
  const insertMany = db.transaction((rows: ReturnType<ReturnType<typeof rowMaker>>[]) => {
    for (const r of rows) insert.run(r);
  });
  const updateMany = db.transaction((items: Array<[string, string]>) => {
    for (const [id, text] of items) update.run(text, id);
  });
  // The service's statements, as SqliteStore prepares them.
  const own = {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    get: db.prepare('SELECT * FROM orders WHERE order_id = ?'),
    update: db.prepare(
      'UPDATE orders SET version = @version, status = @status, next_deadline = @nextDeadline, seq = @seq, snapshot = @snapshot WHERE order_id = @orderId AND seq = @expectedSeq',
    ),
    history: db.prepare(
      'INSERT INTO order_history (order_id, seq, version, event, verdict, effects, status_before, status_after, recorded_at, machine_version, event_id) VALUES (@orderId, @seq, @version, @event, @verdict, @effects, @statusBefore, @statusAfter, @recordedAt, @machineVersion, @eventId)',
    ),
    outbox: db.prepare(
      'INSERT INTO order_outbox (order_id, version, seq, effect, available_at) VALUES (@orderId, @version, @seq, @effect, @availableAt)',
    ),
  };
  return {
    name: 'sqlite',
    store,
    service,
    ownSql: async (w) => {
      own.begin.run();
      consume(own.get.get(w.orderId));
      if (own.update.run({ ...w.row, expectedSeq: w.expectedSeq }).changes !== 1) throw new Error('seq guard failed');
      own.history.run({ ...w.history, eventId: w.history.eventId ?? null });
      for (const effect of w.effects)
        own.outbox.run({
          orderId: w.orderId,
          version: w.row.version,
          seq: w.row.seq,
          effect,
          availableAt: w.availableAt,
        });
      own.commit.run();
    },
    insert: async (rows) => insertMany(rows),
    bareUpdate: async (id, text) => {
      update.run(text, id);
    },
    bareBatch: async (items) => updateMany(items),
    bytes: async () => {
      const pages = new Map(
        (
          db.prepare('SELECT name, sum(pgsize) AS size FROM dbstat GROUP BY name').all() as Array<{
            name: string;
            size: number;
          }>
        ).map((r) => [r.name, r.size]),
      );
      const size = (...names: string[]) => names.reduce((sum, n) => sum + (pages.get(n) ?? 0), 0);
      const count = (t: string) => (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n;
      return {
        order: size('orders', 'orders_next_deadline', 'orders_status') / count('orders'),
        history: size('order_history') / count('order_history'),
        outbox: size('order_outbox', 'order_outbox_pending', 'order_outbox_order') / count('order_outbox'),
      };
    },
    close: () => service.close(),
  };
}

async function postgresBackend(schema: string): Promise<Backend> {
  const store = new PostgresStore({ connectionString: DATABASE_URL, schema, max: 4 });
  const service = await createOrderService({ store });
  const t = (name: string) => `"${schema}".${name}`;
  return {
    name: 'postgres',
    store,
    service,
    // What apply sends on PostgreSQL: the order's row read on its own, then the step in one statement
    // (`writeStep`), through the store's own two calls and none of the service's JavaScript.
    ownSql: async (w) => {
      consume(await store.getOrder(w.orderId));
      const outcome = await store.writeStep({
        row: w.row,
        expectedSeq: w.expectedSeq,
        history: w.history,
        effects: w.effects,
        availableAt: w.availableAt,
      });
      if (!outcome.written) throw new Error('seq guard failed');
    },
    insert: async (rows) => {
      for (let i = 0; i < rows.length; i += 5_000) {
        const chunk = rows.slice(i, i + 5_000);
        await store.pool.query(
          `INSERT INTO ${t('orders')} (order_id, version, status, next_deadline, seq, snapshot) SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::bigint[], $5::int[], $6::text[])`,
          [
            chunk.map((r) => r.orderId),
            chunk.map((r) => r.version),
            chunk.map((r) => r.status),
            chunk.map((r) => r.nextDeadline),
            chunk.map((r) => r.seq),
            chunk.map((r) => r.snapshot),
          ],
        );
      }
    },
    bareUpdate: async (id, text) => {
      await store.pool.query(
        `UPDATE ${t('orders')} SET snapshot = $1, version = version + 1, seq = seq + 1 WHERE order_id = $2`,
        [text, id],
      );
    },
    bareBatch: async (items) => {
      const client = await store.pool.connect();
      try {
        await client.query('BEGIN');
        for (const [id, text] of items)
          await client.query(
            `UPDATE ${t('orders')} SET snapshot = $1, version = version + 1, seq = seq + 1 WHERE order_id = $2`,
            [text, id],
          );
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    },
    bytes: async () => {
      await store.pool.query(`VACUUM ANALYZE ${t('orders')}, ${t('order_history')}, ${t('order_outbox')}`);
      const per = async (name: string) => {
        const r = await store.pool.query(
          `SELECT pg_total_relation_size('${t(name)}')::float8 / greatest(count(*), 1) AS b FROM ${t(name)}`,
        );
        return r.rows[0]!['b'] as number;
      };
      return { order: await per('orders'), history: await per('order_history'), outbox: await per('order_outbox') };
    },
    close: () => service.close(),
  };
}

/** Single-event transactions and 1,000-event sweep batches against bare writes, interleaved rounds. */
async function throughput(backend: Backend, perRound: number) {
  // Orders for single events live far in the future so that no sweep here ever finds them due.
  const singleAt = T0 + 100 * DAY;
  const makeSingle = rowMaker(singleAt);
  const singleText = labelledText(singleAt);
  // Per kind, per round: wall and CPU ms of the round's events (`timed`: CPU counts every thread, GC included).
  const kinds = ['bare', 'service', 'concurrent', 'own SQL', 'step'] as const;
  type Kind = (typeof kinds)[number];
  const times = new Map<Kind, Array<{ ms: number; cpuMs: number }>>(kinds.map((kind) => [kind, []]));
  const batchTimes: number[] = [];
  const bareBatchTimes: number[] = [];
  let consumed = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const ids = Array.from({ length: perRound }, (_, i) => `${backend.name}-single-${round}-${i}`);
    const bareIds = ids.map((id) => `${id}-bare`);
    const concurrentIds = ids.map((id) => `${id}-concurrent`);
    const ownIds = ids.map((id) => `${id}-own`);
    const templateId = `${backend.name}-template-${round}`;
    await backend.insert([...ids, ...bareIds, ...concurrentIds, ...ownIds, templateId].map(makeSingle));
    const texts = bareIds.map(singleText);
    // The template order gets the event through the service (untimed); the baseline sends what it wrote.
    await backend.service.apply(templateId, label(singleAt));
    const writes = await ownWrites(backend, templateId, ownIds);
    const stored = ids.map((id) => makeSingle(id).snapshot);
    // Sweep batch: 1,000 orders whose buyer window closes in this round's own day.
    const batchAt = T0 + round * DAY;
    const makeDue = rowMaker(batchAt);
    const dueIds = Array.from({ length: 1_000 }, (_, i) => `${backend.name}-due-${round}-${i}`);
    const bareDueIds = dueIds.map((id) => `${id}-bare`);
    await backend.insert([...dueIds, ...bareDueIds].map(makeDue));
    const dueText = serializeOrder(
      applyEvent(createOrder(input(bareDueIds[0]!, batchAt)).snapshot, {
        type: 'clock.tick',
        at: batchAt + 30 * MINUTE,
      }).snapshot,
    );
    const bareDue = bareDueIds.map((id): [string, string] => [id, dueText.replaceAll(bareDueIds[0]!, id)]);

    const order = round % 2 ? ['service', 'bare'] : ['bare', 'service'];
    // The same events also sent at once, as a back end's concurrent requests (SQLite: one COMMIT per group), the
    // service's own SQL alone and the step alone; the kinds take turns going first.
    const singles = [...kinds.slice(round % kinds.length), ...kinds.slice(0, round % kinds.length)];
    for (const which of singles) {
      const time = await timed(async () => {
        if (which === 'service')
          for (const id of ids) consumed += (await backend.service.apply(id, label(singleAt))).version;
        else if (which === 'concurrent') {
          for (const result of await Promise.all(concurrentIds.map((id) => backend.service.apply(id, label(singleAt)))))
            consumed += result.version;
        } else if (which === 'own SQL') for (const write of writes) await backend.ownSql(write);
        else if (which === 'step')
          for (const text of stored) consume(serializeOrder(applyEvent(restoreOrder(text), label(singleAt)).snapshot));
        else for (let i = 0; i < bareIds.length; i++) await backend.bareUpdate(bareIds[i]!, texts[i]!);
      });
      times.get(which)!.push(time);
    }
    for (const which of order) {
      const start = performance.now();
      if (which === 'service') {
        // Ask for the 1,000 this round made due, in one transaction; the bare twins are due too, so cap at 1,000.
        const swept = await backend.service.sweep(batchAt + 30 * MINUTE, { batch: 1_000, limit: 1_000 });
        consumed += swept.applied;
      } else await backend.bareBatch(bareDue);
      (which === 'service' ? batchTimes : bareBatchTimes).push(performance.now() - start);
    }
    // The bare twins are still due in the rows: move them out of the way for the next rounds.
    await backend.bareBatch(bareDueIds.map((id) => [id, dueText.replaceAll(bareDueIds[0]!, id)]));
  }
  const eps = (ms: number, n: number) => (n * 1000) / ms;
  const perEvent = (kind: Kind) => {
    const ms = median(times.get(kind)!.map((t) => t.ms));
    const cpu = median(times.get(kind)!.map((t) => t.cpuMs));
    return {
      eps: eps(ms, perRound),
      text: `${fmt(eps(ms, perRound))}/s, CPU ${fmt((cpu * 1000) / perRound)} µs/event`,
    };
  };
  /** The median over rounds of the ratio of one kind's wall time to another's in the same round. */
  const ratio = (kind: Kind, base: Kind) =>
    median(times.get(kind)!.map((t, round) => t.ms / times.get(base)![round]!.ms));
  const service = perEvent('service');
  const bare = perEvent('bare');
  row(
    'events/s, one event per transaction',
    backend.name,
    service.text,
    `${bare.text} bare UPDATE`,
    `${ratio('service', 'bare').toFixed(1)}x the bare write's time (${(service.eps / bare.eps).toFixed(2)}x its events/s)`,
  );
  const own = perEvent('own SQL');
  row(
    "events/s, one event per transaction: service.apply vs the service's own SQL alone",
    backend.name,
    service.text,
    `${own.text}: the same statements and values, no JavaScript of the service`,
    `${ratio('service', 'own SQL').toFixed(2)}x the own SQL's time${backend.name === 'sqlite' ? ' (goal ≤ 1.5x)' : ''}`,
  );
  row(
    "the service's own SQL alone vs a bare one-row UPDATE transaction",
    backend.name,
    own.text,
    `${bare.text} bare UPDATE`,
    `${ratio('own SQL', 'bare').toFixed(2)}x the bare write's time`,
  );
  const step = perEvent('step');
  row(
    'the step alone (restoreOrder + applyEvent + serializeOrder of the same events, no SQL)',
    backend.name,
    step.text,
    service.text,
    `${(100 / ratio('service', 'step')).toFixed(0)}% of service.apply's time`,
  );
  const concurrent = perEvent('concurrent');
  row(
    `events/s, ${fmt(perRound)} one-event requests at once`,
    backend.name,
    concurrent.text,
    `${service.text} one after another`,
    `${(1 / ratio('concurrent', 'service')).toFixed(2)}x`,
  );
  const batch = eps(median(batchTimes), 1_000);
  const bareB = eps(median(bareBatchTimes), 1_000);
  row(
    'events/s, sweep batch of 1,000 in one transaction',
    backend.name,
    fmt(batch),
    `${fmt(bareB)} bare UPDATE/s`,
    `${(bareB / batch).toFixed(1)}x the bare write's time`,
  );
  if (consumed === 0) throw new Error('nothing was applied');
}

/**
 * sweep of 1,000 due among N stored orders on SQLite, N interleaved per round, after WARMUP uncounted sweeps of
 * 1,000 on each store: a process's first sweeps run colder code. Round r's orders fall due r hours after the first
 * ones.
 */
async function sweepAtScale(dir: string) {
  const sizes = [10_000, 100_000, 1_000_000].filter((n) => n <= SWEEP_MAX);
  const rounds = Math.min(ROUNDS, 5);
  const total = WARMUP + rounds;
  const stores = new Map<number, { service: OrderService; store: SqliteStore }>();
  const notDue = rowMaker(T0 + 60 * DAY);
  for (const size of sizes) {
    const store = new SqliteStore({ filename: join(dir, `sweep-${size}.db`) });
    const service = await createOrderService({ store });
    const insert = store.db.prepare(
      'INSERT INTO orders (order_id, version, status, next_deadline, seq, snapshot) VALUES (@orderId, @version, @status, @nextDeadline, @seq, @snapshot)',
    );
    const fill = store.db.transaction((from: number, to: number, make: (id: string) => unknown) => {
      for (let i = from; i < to; i++) insert.run(make(`n-${i}`));
    });
    const due = total * 1_000;
    if (due > size)
      throw new Error(`${total} rounds of 1,000 due orders do not fit among ${size} stored: lower BENCH_SWEEP_WARMUP`);
    for (let from = 0; from < size - due; from += 50_000) fill(from, Math.min(from + 50_000, size - due), notDue);
    for (let round = 0; round < total; round++) {
      const make = rowMaker(T0 + round * HOUR);
      fill(size - due + round * 1_000, size - due + (round + 1) * 1_000, make);
    }
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    stores.set(size, { service, store });
    console.log(`sweep setup: ${size.toLocaleString('en-US')} orders stored`);
  }
  const times = new Map<number, number[]>(sizes.map((s) => [s, []]));
  for (let round = 0; round < total; round++) {
    const warm = round < WARMUP;
    for (const size of round % 2 ? [...sizes].reverse() : sizes) {
      const { service } = stores.get(size)!;
      const start = performance.now();
      const swept = await service.sweep(T0 + round * HOUR + 30 * MINUTE, { batch: 1_000 });
      const ms = performance.now() - start;
      if (swept.applied !== 1_000) throw new Error(`swept ${swept.applied}, expected 1,000`);
      if (warm)
        console.log(
          `sweep warm-up ${round + 1} of ${WARMUP} among ${size.toLocaleString('en-US')} (not counted): ${ms.toFixed(1)} ms`,
        );
      else times.get(size)!.push(ms);
    }
  }
  for (const size of sizes)
    console.log(
      `sweep among ${size.toLocaleString('en-US')}, ms per round: ${times
        .get(size)!
        .map((t) => t.toFixed(1))
        .join(' ')}`,
    );
  const base = median(times.get(sizes[0]!)!);
  for (const size of sizes) {
    const ms = median(times.get(size)!);
    row(
      `sweep of 1,000 due among ${size.toLocaleString('en-US')} stored`,
      'sqlite',
      `${ms.toFixed(1)} ms`,
      size === sizes[0] ? '' : `${base.toFixed(1)} ms at ${sizes[0]!.toLocaleString('en-US')}`,
      size === sizes[0] ? '' : `${(ms / base).toFixed(2)}x`,
    );
  }
  for (const { service } of stores.values()) await service.close();
}

/** Wall and CPU time (`process.cpuUsage`: every thread of the process, GC included) of `work`, in ms. */
async function timed(work: () => Promise<unknown>): Promise<{ ms: number; cpuMs: number }> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { ms, cpuMs: (used.user + used.system) / 1000 };
}

/**
 * One row per speed-up layer in the write path, each run on and off in the same process, on its own SQLite file,
 * in interleaved rounds (on first in even rounds, off first in odd ones), each on the workload it is meant to help:
 *   - group commit (`SqliteStore({ groupCommit })`): 1,000 one-event requests sent at once, on fresh orders;
 *   - snapshot cache (`createOrderService({ snapshotCache })`): 200 orders the service placed, each given 5 events
 *     one after another (`seller.generateLabel` and `seller.voidLabel` in turn, from the 31st minute, once the order
 *     is no longer pending), each accepted and written;
 * (A third, the sweep worker thread, ran here on a sweep of 1,000 due orders among 10,000 stored until it was
 * removed for showing no reliable gain: docs/performance.md has its rows.) Each layer runs one uncounted round first. A row gives the medians of wall time per event on and off,
 * their ratio (median of the rounds' ratios, and the lowest and highest), and CPU time per event, every thread
 * counted: on a machine whose cores are busy with other work, wall time is mostly waiting for a core.
 */
async function layers(dir: string) {
  const rounds = ROUNDS;
  interface Side {
    label: 'on' | 'off';
    service: OrderService;
    store: SqliteStore;
    times: Array<{ ms: number; cpuMs: number }>;
  }
  const open = async (name: string, on: boolean, store: Partial<SqliteStoreOptions>, service: object) => {
    const s = new SqliteStore({ filename: join(dir, `layer-${name}-${on ? 'on' : 'off'}.db`), ...store });
    return {
      label: on ? 'on' : 'off',
      store: s,
      service: await createOrderService({ store: s, ...service }),
      times: [],
    } satisfies Side as Side;
  };
  const report = (measure: string, events: number, sides: [Side, Side]) => {
    const [on, off] = sides;
    const ratios = on.times.map((t, i) => off.times[i]!.ms / t.ms).sort((a, b) => a - b);
    const perEvent = (side: Side) => {
      const ms = median(side.times.map((t) => t.ms));
      const cpu = median(side.times.map((t) => t.cpuMs));
      return `${fmt((events * 1000) / ms)} events/s, CPU ${fmt((cpu * 1000) / events)} µs/event`;
    };
    const cpuRatio = median(on.times.map((t) => t.cpuMs)) / median(off.times.map((t) => t.cpuMs));
    for (const side of sides)
      console.log(
        `${measure}, ${side.label}: ms per round ${side.times.map((t) => t.ms.toFixed(1)).join(' ')}; CPU ms ${side.times.map((t) => t.cpuMs.toFixed(1)).join(' ')}`,
      );
    row(
      `${measure}: on / off`,
      'sqlite',
      `on: ${perEvent(on)}`,
      `off: ${perEvent(off)}`,
      `${median(ratios).toFixed(2)}x as fast on (rounds ${ratios[0]!.toFixed(2)}–${ratios.at(-1)!.toFixed(2)}); CPU on / off ${cpuRatio.toFixed(2)}x`,
    );
  };
  // Round -1 of each layer is a warm-up, not counted: both sides' code is compiled and their files grown first.
  const interleave = async (sides: [Side, Side], round: number, run: (side: Side) => Promise<unknown>) => {
    for (const side of round % 2 ? [...sides].reverse() : sides) {
      const time = await timed(() => run(side));
      if (round >= 0) side.times.push(time);
    }
  };

  // Group commit: requests of different orders sent without waiting for each other's answers.
  {
    const sides: [Side, Side] = [
      await open('group', true, { groupCommit: true }, {}),
      await open('group', false, { groupCommit: false }, {}),
    ];
    const placedAt = T0 + 300 * DAY;
    const make = rowMaker(placedAt);
    for (let round = -1; round < rounds; round++) {
      const ids = Array.from({ length: 1_000 }, (_, i) => `group-${round + 1}-${i}`);
      for (const side of sides)
        side.store.db.transaction(() => {
          const insert = side.store.db.prepare(
            'INSERT INTO orders (order_id, version, status, next_deadline, seq, snapshot) VALUES (@orderId, @version, @status, @nextDeadline, @seq, @snapshot)',
          );
          for (const id of ids) insert.run(make(id));
        })();
      await interleave(sides, round, async (side) => {
        const results = await Promise.all(ids.map((id) => side.service.apply(id, label(placedAt))));
        if (results.some((r) => !r.verdict.accepted)) throw new Error('a measured event was refused');
      });
    }
    report('group commit, 1,000 one-event requests at once', 1_000, sides);
    for (const side of sides) await side.service.close();
  }

  // Snapshot cache: each order's next event reads the row the service has just written.
  {
    const sides: [Side, Side] = [
      await open('cache', true, {}, { snapshotCache: 10_000 }),
      await open('cache', false, {}, { snapshotCache: 0 }),
    ];
    const placedAt = T0 + 400 * DAY;
    const orders = 200;
    const events = 5;
    for (let round = -1; round < rounds; round++) {
      const ids = Array.from({ length: orders }, (_, i) => `cache-${round + 1}-${i}`);
      for (const side of sides) for (const id of ids) await side.service.place(input(id, placedAt));
      await interleave(sides, round, async (side) => {
        for (let k = 0; k < events; k++) {
          const event: OrderEventInput = {
            type: k % 2 ? 'seller.voidLabel' : 'seller.generateLabel',
            at: placedAt + (31 + k) * MINUTE,
          };
          for (const id of ids)
            if (!(await side.service.apply(id, event)).verdict.accepted) throw new Error(`${event.type} was refused`);
        }
      });
    }
    report(`snapshot cache, ${orders} orders given ${events} events one after another`, orders * events, sides);
    for (const side of sides) await side.service.close();
  }
}

/** events/s with 1, 2 and 4 worker processes on PostgreSQL, each on its own orders. */
async function workers(schema: string, backend: Backend) {
  const seconds = Number(process.env['BENCH_WORKER_SECONDS'] ?? 2);
  const warmup = Number(process.env['BENCH_WORKER_WARMUP'] ?? 3000);
  // More orders than a worker gets through in the window (up to about 1,000 events/s here): running out fails the run.
  const orders = Math.ceil(seconds * 3_000);
  const counts = [1, 2, 4];
  const placedAt = T0 + 200 * DAY;
  const make = rowMaker(placedAt);
  const results = new Map<number, number[]>(counts.map((c) => [c, []]));
  // The share of the machine's CPU time that was busy (every process: workers, PostgreSQL, the rest; steal left out).
  const busy = new Map<number, number[]>(counts.map((c) => [c, []]));
  // CPU ms per event in the window: the workers' own processes, and their PostgreSQL backends (-1: not readable).
  const perEvent = new Map<number, Array<{ worker: number; server: number }>>(counts.map((c) => [c, []]));
  for (let round = 0; round < Math.min(ROUNDS, 3); round++) {
    for (const count of round % 2 ? [...counts].reverse() : counts) {
      const prefixes = Array.from({ length: count }, (_, w) => `w-${round}-${count}-${w}-`);
      const ids = (prefix: string) => [
        ...Array.from({ length: warmup }, (_, i) => `${prefix}warm-${i}`),
        ...Array.from({ length: orders }, (_, i) => `${prefix}${i}`),
      ];
      await backend.insert(prefixes.flatMap(ids).map(make));
      const children = prefixes.map((prefix) =>
        spawn(
          process.execPath,
          [
            ...workerFlags(),
            '--import',
            'tsx',
            self,
            '--worker',
            JSON.stringify({ schema, placedAt, prefix, warmup, orders }),
          ],
          { stdio: ['pipe', 'pipe', 'inherit'] },
        ),
      );
      try {
        /** The first whole line `child` prints that starts with `word`. */
        const lineOf = (child: (typeof children)[number], word: string) =>
          new Promise<string>((resolve, reject) => {
            let out = '';
            child.stdout!.on('data', (chunk) => {
              out += chunk;
              const line = out
                .split('\n')
                .slice(0, -1)
                .find((l) => l.startsWith(word));
              if (line) resolve(line);
            });
            child.on('exit', (code) => reject(new Error(`worker exited with ${code} before "${word}"`)));
          });
        // A worker that exited early (it ran out of orders, or failed) fails the run with its reason, not on EPIPE.
        for (const child of children) child.stdin!.on('error', () => undefined);
        await Promise.all(children.map((c) => lineOf(c, 'ready')));
        const done = Promise.all(children.map((c) => lineOf(c, 'done')));
        done.catch(() => undefined);
        const cpuBefore = machineCpu();
        const start = performance.now();
        for (const child of children) child.stdin!.write('go\n');
        await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
        for (const child of children) child.stdin!.write('stop\n');
        const elapsed = performance.now() - start;
        const cpuAfter = machineCpu();
        if (cpuBefore && cpuAfter)
          busy.get(count)!.push((cpuAfter.busy - cpuBefore.busy) / (cpuAfter.total - cpuBefore.total));
        const reports = (await done).map((line) => line.split(' '));
        if (reports.some((report) => report[2] === 'ran-out'))
          throw new Error(`a worker ran out of its ${orders} orders before ${seconds} s: ${reports.join('; ')}`);
        const sum = (field: number) => reports.reduce((total, report) => total + Number(report[field]), 0);
        const finished = sum(1);
        perEvent.get(count)!.push({
          worker: sum(3) / finished,
          server: reports.some((report) => report[4] === '-1') ? -1 : sum(4) / finished,
        });
        results.get(count)!.push((finished * 1000) / elapsed);
      } finally {
        for (const child of children) if (child.exitCode === null) child.kill();
      }
    }
  }
  const one = median(results.get(1)!);
  const two = median(results.get(2)!);
  const cores = availableParallelism();
  for (const count of counts) {
    const eps = median(results.get(count)!);
    const shares = busy.get(count)!;
    const load = shares.length ? `; machine CPU ${Math.round(100 * median(shares))}% busy (${cores} cores)` : '';
    const costs = perEvent.get(count)!;
    const worker = median(costs.map((cost) => cost.worker));
    const server = costs.some((cost) => cost.server < 0) ? undefined : median(costs.map((cost) => cost.server));
    const cpu = `; CPU per event ${worker.toFixed(2)} ms in the workers${server === undefined ? '' : `, ${server.toFixed(2)} ms in their server backends`}`;
    row(
      `events/s with ${count} worker process${count > 1 ? 'es' : ''} (a ${seconds} s window, each warmed up with ${warmup.toLocaleString('en-US')} untimed events)`,
      'postgres',
      `${fmt(eps)}${load}${cpu}`,
      count === 1 ? '' : `${fmt(one)} with 1${count === 4 ? `, ${fmt(two)} with 2` : ''}`,
      count === 1
        ? ''
        : `${(eps / one).toFixed(2)}x${count === 2 ? ' (goal ≥ 1.6x)' : `; ${(eps / two).toFixed(2)}x two's (goal ≥ 1x)`}`,
    );
  }
}

/** The machine's CPU time so far, busy and in all, from /proc/stat (Linux); undefined where there is none. */
function machineCpu(): { busy: number; total: number } | undefined {
  let line: string | undefined;
  try {
    line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  } catch {
    return undefined;
  }
  // cpu  user nice system idle iowait irq softirq steal ...: steal is time the hypervisor gave to other machines.
  const [user, nice, system, idle, iowait, irq, softirq] = line!.trim().split(/\s+/).slice(1, 8).map(Number);
  const used = user! + nice! + system! + irq! + softirq!;
  return { busy: used, total: used + idle! + iowait! };
}

const dir = mkdtempSync(join(tmpdir(), 'ol-bench-'));
const schema = `ol_bench_${process.pid}`;
const hasPostgres = await postgresReachable();
try {
  console.log(
    `node ${process.version} (${nodeFlags()}), ${ROUNDS} interleaved rounds, medians; parts: ${[...PARTS].join(', ')}`,
  );
  if (PARTS.has('layers')) await layers(dir);
  const sqlite = PARTS.has('throughput') ? await sqliteBackend(dir) : null;
  if (sqlite) await throughput(sqlite, 1_000);
  const postgres =
    hasPostgres && (PARTS.has('throughput') || PARTS.has('workers')) ? await postgresBackend(schema) : null;
  if (postgres && PARTS.has('throughput')) await throughput(postgres, 300);
  if (!hasPostgres)
    console.log(
      `PostgreSQL not reachable at ${DATABASE_URL}: start it or set DATABASE_URL; skipping the PostgreSQL rows.`,
    );
  for (const backend of PARTS.has('throughput') ? [sqlite, postgres] : []) {
    if (!backend) continue;
    const bytes = await backend.bytes();
    row(
      'bytes per stored order / history row / outbox row',
      backend.name,
      `${Math.round(bytes.order)} / ${Math.round(bytes.history)} / ${Math.round(bytes.outbox)}`,
    );
  }
  await sqlite?.close();
  if (PARTS.has('sweep')) await sweepAtScale(dir);
  if (postgres) {
    if (PARTS.has('workers')) await workers(schema, postgres);
    await postgres.close();
  }
  console.log('\n| measure | store | value | baseline | ratio |\n|---|---|---|---|---|');
  for (const r of table) console.log(`| ${r.measure} | ${r.store} | ${r.value} | ${r.baseline} | ${r.ratio} |`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (hasPostgres) {
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.end();
  }
}
