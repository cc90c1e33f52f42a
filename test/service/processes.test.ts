import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEventInput } from '../../src/index.js';
import { createOrderService } from '../../src/service/index.js';
import { PostgresStore, SqliteStore, type OrderStore } from '../../src/store/index.js';
import { autoCancelAt, minute, orderInput, placedAt } from '../support/orders.js';
import { DATABASE_URL, dropSchema, pgQuery, skipPostgres, testSchemaName } from '../support/postgres.js';
import { disagreements } from '../store/stores.js';
import type { WorkerJob } from './worker.js';

const root = resolve(import.meta.dirname, '../..');
const workerPath = resolve(import.meta.dirname, 'worker.ts');

interface Worker {
  child: ChildProcess;
  /** Resolves with the first stdout line that satisfies `match`. */
  line(match: (line: string) => boolean): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
  lines: string[];
}

function startWorker(job: WorkerJob): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', workerPath, JSON.stringify(job)], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  let buffer = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let index;
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      lines.push(line);
      for (const waiter of waiters.splice(0)) {
        if (waiter.match(line)) waiter.resolve(line);
        else waiters.push(waiter);
      }
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((done) =>
    child.on('exit', (code, signal) => {
      for (const waiter of waiters.splice(0)) waiter.resolve(`exited: ${stderr}`);
      done({ code, signal, stderr });
    }),
  );
  return {
    child,
    lines,
    exit,
    line: (match) => {
      const seen = lines.find(match);
      return seen !== undefined ? Promise.resolve(seen) : new Promise((done) => waiters.push({ match, resolve: done }));
    },
  };
}

/** Starts workers that wait at a barrier, then lets them all go at once; resolves with their results. */
async function runTogether(jobs: WorkerJob[]): Promise<Array<{ applied: number; swept: number }>> {
  const workers = jobs.map((job) => startWorker({ ...job, barrier: true }));
  await Promise.all(workers.map((w) => w.line((l) => l === 'ready' || l.startsWith('exited'))));
  for (const w of workers) w.child.stdin!.write('go\n');
  const exits = await Promise.all(workers.map((w) => w.exit));
  for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ code: 0 });
  return workers.map((w) => JSON.parse(w.lines.at(-1)!));
}

const ORDERS = 60;
const orderIds = Array.from({ length: ORDERS }, (_, i) => `p-${String(i).padStart(3, '0')}`);
/** A third of the orders is cancelled by the buyer, a third gets a label, a third is left to the sweeper. */
const plan: WorkerJob['plan'] = orderIds.flatMap((orderId, i) => {
  const at = placedAt + i * 1_000;
  if (i % 3 === 0)
    return [{ orderId, key: `cancel-${i}`, event: { type: 'buyer.cancel', at: at + 60_000 } as OrderEventInput }];
  if (i % 3 === 1)
    return [{ orderId, key: `label-${i}`, event: { type: 'seller.generateLabel', at: minute(40) } as OrderEventInput }];
  return [];
});
const sweeps = [minute(45), autoCancelAt + 3_600_000];

interface Backend {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  make(): { job: WorkerJob['store']; open(): OrderStore; inTransaction(): Promise<boolean>; cleanup(): Promise<void> };
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    skip: false,
    make: () => {
      const dir = mkdtempSync(join(tmpdir(), 'ol-proc-'));
      const filename = join(dir, 'orders.db');
      return {
        job: { kind: 'sqlite', filename },
        open: () => new SqliteStore({ filename }),
        // A worker inside a write transaction holds SQLite's write lock: a second writer cannot begin.
        inTransaction: async () => {
          const db = new Database(filename);
          db.pragma('busy_timeout = 0');
          try {
            db.exec('BEGIN IMMEDIATE');
            db.exec('ROLLBACK');
            return false;
          } catch (error) {
            return (error as { code?: string }).code === 'SQLITE_BUSY';
          } finally {
            db.close();
          }
        },
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'postgres',
    skip: skipPostgres,
    make: () => {
      const schema = testSchemaName('proc');
      const connectionString = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}application_name=${schema}`;
      return {
        job: { kind: 'postgres', connectionString, schema },
        open: () => new PostgresStore({ connectionString: DATABASE_URL, schema, max: 2 }),
        inTransaction: async () => {
          const result = await pgQuery<{ n: number }>(
            "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'idle in transaction'",
            [schema],
          );
          return result.rows[0]!.n === 1;
        },
        cleanup: () => dropSchema(schema),
      };
    },
  },
];

describe.each(backends)('worker processes on $name', (backend) => {
  let cleanup: (() => Promise<void>) | undefined;
  afterEach(async () => {
    await cleanup?.();
    cleanup = undefined;
  });

  async function setUp() {
    const made = backend.make();
    const stores: OrderStore[] = [];
    cleanup = async () => {
      for (const store of stores) await store.close().catch(() => {});
      await made.cleanup();
    };
    const open = () => {
      const store = made.open();
      stores.push(store);
      return store;
    };
    const service = await createOrderService({ store: open() });
    for (const [i, orderId] of orderIds.entries())
      await service.place(orderInput({ orderId, placedAt: placedAt + i * 1_000 }));
    await service.close();
    stores.length = 0;
    return { made, open };
  }

  /** Every tick in the history is at a distinct instant, every planned event is there once, and all agree. */
  async function checkOutcome(store: OrderStore) {
    expect(await disagreements(store, orderIds)).toEqual([]);
    for (const [i, orderId] of orderIds.entries()) {
      const events = (await store.history(orderId)).map((h) => JSON.parse(h.event) as { type: string; at?: number });
      const ticks = events.filter((e) => e.type === 'clock.tick').map((e) => e.at);
      expect(new Set(ticks).size, `${orderId} ticks ${ticks}`).toBe(ticks.length);
      const planned = plan.filter((p) => p.orderId === orderId).map((p) => p.event.type);
      expect(events.filter((e) => e.type !== 'clock.tick' && e.type !== 'order.place').map((e) => e.type)).toEqual(
        planned,
      );
      const row = (await store.getOrder(orderId))!;
      expect(row.status, orderId).toBe(i % 3 === 0 ? 'canceled' : 'auto-canceled');
    }
  }

  it.skipIf(backend.skip)('should process each due order once when several workers sweep at once', async () => {
    const { made, open } = await setUp();
    const results = await runTogether(
      [0, 1, 2].map(() => ({ store: made.job, plan: [], sweeps: [minute(45)], batch: 5 })),
    );
    // Every order's buyer window (placedAt + 30 min + i s) is due at minute 45: each is ticked by exactly one worker.
    expect(results.reduce((sum, r) => sum + r.swept, 0)).toBe(ORDERS);
    const store = open();
    for (const orderId of orderIds) {
      const ticks = (await store.history(orderId)).filter((h) => JSON.parse(h.event).type === 'clock.tick');
      expect(ticks, orderId).toHaveLength(1);
    }
    expect(await disagreements(store, orderIds)).toEqual([]);
  });

  it.skipIf(backend.skip)(
    'should apply each keyed event once when several workers apply and sweep the same orders',
    async () => {
      const { made, open } = await setUp();
      const reversed = [...plan].reverse();
      await runTogether([
        { store: made.job, plan, sweeps, batch: 7 },
        { store: made.job, plan: reversed, sweeps, batch: 3 },
        { store: made.job, plan, sweeps: [sweeps[1]!], batch: 11 },
      ]);
      await checkOutcome(open());
    },
  );

  // Kill points, counted in store writes of the worker (the plan has 40 applies): inside the 4th apply, its order
  // row updated and its history row not; inside the first sweep batch, 5 orders written and the 6th order row
  // updated; inside the auto-cancel sweep, the 75th history row written and its outbox rows not.
  it.skipIf(backend.skip).each([
    { write: 'appendHistory', call: 4 },
    { write: 'appendHistory', call: 46 },
    { write: 'addOutbox', call: 75 },
  ] as const)(
    'should keep snapshot, history and outbox in agreement after a worker is killed with SIGKILL before $write call $call',
    async (blockAt) => {
      const { made, open } = await setUp();
      const worker = startWorker({ store: made.job, plan, sweeps, batch: 10, blockAt });
      expect(await worker.line((l) => l === 'blocked' || l.startsWith('exited'))).toBe('blocked');
      expect(await made.inTransaction()).toBe(true);
      worker.child.kill('SIGKILL');
      expect((await worker.exit).signal).toBe('SIGKILL');
      const store = open();
      // Recovery, at once: what committed agrees, the killed transaction left nothing behind.
      if (backend.name === 'postgres') {
        // The killed worker's server process rolls back once it notices the closed socket.
        for (;;) if (!(await made.inTransaction())) break;
      }
      expect(await disagreements(store, orderIds)).toEqual([]);
      // Then a fresh worker runs the same job to the end; keys keep every planned event single.
      await runTogether([{ store: made.job, plan, sweeps, batch: 10 }]);
      await checkOutcome(store);
    },
  );
});
