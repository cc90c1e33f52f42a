import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OrderInput } from '../../src/index.js';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { PostgresStore } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, pgQuery, skipPostgres, testSchemaName } from '../support/postgres.js';
import { startExample, type ExampleProcess } from './processes.js';
import { faultyStore, sqlStoreKinds } from '../service/real-stores.js';
import { runWorker } from '../../examples/postgres-worker/src/worker.js';

const sqliteKind = sqlStoreKinds.find((kind) => kind.name === 'sqlite')!;

const root = resolve(import.meta.dirname, '../..');
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ORDERS = 120;

/**
 * Three kinds of order, relative to now: a third is past its buyer window only (one tick due), a third is
 * also past its auto-cancel (two ticks due, then auto-canceled), a third has nothing due yet.
 */
function orderAt(i: number, now: number): { input: OrderInput; ticks: number } {
  const orderId = `w-${String(i).padStart(4, '0')}`;
  const items = [{ orderItemId: 'A', quantity: 1 + (i % 3) }];
  if (i % 3 === 0)
    return { input: { orderId, placedAt: now - 2 * 60 * MINUTE, latestShipDate: now + 2 * DAY, items }, ticks: 1 };
  if (i % 3 === 1)
    return { input: { orderId, placedAt: now - 10 * DAY, latestShipDate: now - 8 * DAY, items }, ticks: 2 };
  return { input: { orderId, placedAt: now, latestShipDate: now + 2 * DAY, items }, ticks: 0 };
}

describe.skipIf(skipPostgres)(
  'the PostgreSQL worker example (examples/postgres-worker), two workers on one schema',
  () => {
    const schema = testSchemaName('worker_example');
    const workers: ExampleProcess[] = [];
    afterAll(async () => {
      for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
      await Promise.all(workers.map((worker) => worker.exited));
      await dropSchema(schema);
    });

    it('should type-check against the package as an app imports it', () => {
      expect(() =>
        execFileSync(resolve(root, 'node_modules/.bin/tsc'), ['--noEmit', '-p', 'examples/postgres-worker'], {
          cwd: root,
          stdio: 'pipe',
        }),
      ).not.toThrow();
    });

    it('should sweep every due deadline once and deliver every effect once, then stop cleanly on SIGTERM', async () => {
      const now = Date.now();
      const service: OrderService = await createOrderService({
        store: new PostgresStore({ connectionString: DATABASE_URL, schema }),
      });
      const expected = new Map<string, number>();
      try {
        for (let i = 0; i < ORDERS; i++) {
          const { input, ticks } = orderAt(i, now);
          await service.place(input);
          expected.set(input.orderId, ticks);
        }
        // Some effects exist before the workers start: buyers cancel a few of the orders still in their window.
        for (let i = 2; i < ORDERS; i += 9)
          await service.apply(orderAt(i, now).input.orderId, { type: 'buyer.cancel', at: now + MINUTE });
      } finally {
        await service.close();
      }

      const env = { DATABASE_URL, ORDERS_SCHEMA: schema, WORKER_IDLE_MS: '50', WORKER_BATCH: '7' };
      workers.push(startExample('postgres-worker', env), startExample('postgres-worker', env));

      // Done when nothing is due and no effect is waiting; polled, bounded by the test's timeout.
      const due = async () =>
        Number(
          (
            await pgQuery(
              `SELECT (SELECT count(*) FROM "${schema}".orders WHERE next_deadline <= $1) + (SELECT count(*) FROM "${schema}".order_outbox WHERE state <> 'done') AS n`,
              [now],
            )
          ).rows[0]!.n,
        );
      while ((await due()) > 0) {
        for (const worker of workers)
          if (worker.child.exitCode !== null) throw new Error(`a worker exited early: ${worker.stderr()}`);
        await new Promise((done) => setTimeout(done, 100));
      }
      for (const worker of workers) worker.child.kill('SIGTERM');
      const exits = await Promise.all(workers.map((worker) => worker.exited));
      expect(exits, workers.map((worker) => worker.stderr()).join('\n')).toEqual([
        { code: 0, signal: null },
        { code: 0, signal: null },
      ]);
      for (const worker of workers)
        expect(worker.stderr()).toMatch(/stopped: \{"rounds":\d+,"swept":\d+,"delivered":\d+\}/);

      // Each deadline that was due got exactly one clock.tick, at the deadline itself, from one worker or the other.
      const ticks = await pgQuery<{ order_id: string; n: string }>(
        `SELECT order_id, count(*) AS n FROM "${schema}".order_history WHERE event::jsonb->>'type' = 'clock.tick' GROUP BY order_id`,
      );
      const ticked = new Map(ticks.rows.map((row) => [row.order_id, Number(row.n)]));
      for (const [orderId, count] of expected) expect(ticked.get(orderId) ?? 0, orderId).toBe(count);
      const cancelledByBuyer = Math.ceil((ORDERS - 2) / 9);
      const statuses = await pgQuery<{ status: string; n: string }>(
        `SELECT status, count(*) AS n FROM "${schema}".orders GROUP BY status ORDER BY status`,
      );
      expect(Object.fromEntries(statuses.rows.map((row) => [row.status, Number(row.n)]))).toEqual({
        'auto-canceled': ORDERS / 3,
        'buyer-cancellable': ORDERS / 3 - cancelledByBuyer,
        canceled: cancelledByBuyer,
        unshipped: ORDERS / 3,
      });

      // Every outbox row was printed exactly once, by one of the two workers, with its effect.
      const outbox = await pgQuery<{ id: string; effect: string }>(
        `SELECT id, effect FROM "${schema}".order_outbox ORDER BY id`,
      );
      const printed = workers.flatMap((worker) =>
        worker.stdout.map((line) => JSON.parse(line) as { outboxId: number; effect: unknown }),
      );
      expect(outbox.rows.length).toBeGreaterThan(0);
      expect(printed.map((line) => line.outboxId).sort((a, b) => a - b)).toEqual(
        outbox.rows.map((row) => Number(row.id)),
      );
      const effects = new Map(outbox.rows.map((row) => [Number(row.id), JSON.parse(row.effect)]));
      for (const line of printed) expect(line.effect).toEqual(effects.get(line.outboxId));
    });
  },
);

describe('the PostgreSQL worker example, given a bad setting', () => {
  it('should exit with status 2 and one line naming the setting and the value', async () => {
    const worker = startExample('postgres-worker', { WORKER_BATCH: 'lots' });
    expect(await worker.exited).toEqual({ code: 2, signal: null });
    expect(worker.stderr()).toBe('WORKER_BATCH must be a positive whole number (got "lots").\n');
  });

  it('should exit with status 2 and one line when DATABASE_URL is not set, instead of using the postgres maintenance database', async () => {
    const worker = startExample('postgres-worker', { DATABASE_URL: '' });
    expect(await worker.exited).toEqual({ code: 2, signal: null });
    expect(worker.stderr()).toBe(
      `DATABASE_URL must name the orders' database, e.g. postgres://app@db/orders (got "").\n`,
    );
    expect(worker.stdout).toEqual([]);
  });

  it('should exit with status 2 and one line naming the database, without its password, when it cannot be reached', async () => {
    const worker = startExample('postgres-worker', {
      DATABASE_URL: 'postgres://app:secret@127.0.0.1:1/orders',
      ORDERS_SCHEMA: 'shop',
    });
    expect(await worker.exited).toEqual({ code: 2, signal: null });
    // One line: what, where, and the driver's own reason (the store may word it around the driver's).
    expect(worker.stderr()).toMatch(
      /^cannot open the order store at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/orders \(schema "shop"\): [^\n]*ECONNREFUSED 127\.0\.0\.1:1[^\n]*\n$/,
    );
    expect(worker.stderr()).not.toContain('secret');
  });

  it('should exit with status 2 and one line naming a schema name the store refuses', async () => {
    const worker = startExample('postgres-worker', {
      DATABASE_URL: 'postgres://app@127.0.0.1:1/orders',
      ORDERS_SCHEMA: 'no such"schema',
    });
    expect(await worker.exited).toEqual({ code: 2, signal: null });
    expect(worker.stderr()).toMatch(/^ORDERS_SCHEMA: [^\n]*no such\\?"schema[^\n]*\n$/);
  });
});

describe("the worker example's rounds (examples/postgres-worker/src/worker.ts) on a store that fails", () => {
  it.skipIf(sqliteKind.skip)(
    'should log a round that met a passing database fault in one line, wait, and go on until the work is done',
    async () => {
      const opened = sqliteKind.open();
      const store = faultyStore(opened.store);
      const service = await createOrderService({ store });
      try {
        const now = Date.now();
        for (let i = 0; i < 6; i++) await service.place(orderAt(i, now).input);
        // The next three transactions meet a held lock, which the service does not retry: three rounds fail.
        store.faults.push('busy', 'busy', 'busy');
        const lines: string[] = [];
        const delivered: number[] = [];
        const stop = new AbortController();
        const running = runWorker({
          service,
          signal: stop.signal,
          idleMs: 1,
          maxBackoffMs: 4,
          log: (line) => lines.push(line),
          deliver: (item) => void delivered.push(item.id),
        });
        // Done once nothing is due and every effect is out (read outside transactions: the faults stay queued for the worker).
        const done = async () =>
          store.faults.length === 0 &&
          (await store.countDue(Date.now())) === 0 &&
          (await store.outboxEntries()).every((entry) => entry.state === 'done');
        while (!(await done())) await new Promise((wait) => setTimeout(wait, 5));
        stop.abort();
        const totals = await running;
        expect(totals.failed).toBe(3);
        expect(lines).toEqual([
          'round 1 failed, trying again in 1 ms: StoreBusyError: The database stayed locked by another connection for 5000 ms.',
          'round 2 failed, trying again in 2 ms: StoreBusyError: The database stayed locked by another connection for 5000 ms.',
          'round 3 failed, trying again in 4 ms: StoreBusyError: The database stayed locked by another connection for 5000 ms.',
        ]);
        // Two orders past their buyer window (one tick each), two past their auto-cancel too (two ticks each).
        expect(totals.swept).toBe(6);
        expect(delivered.sort((a, b) => a - b)).toEqual((await store.outboxEntries()).map((entry) => entry.id));
        expect(delivered.length).toBeGreaterThan(0);
      } finally {
        await service.close();
        await opened.cleanup();
      }
    },
  );

  it('should stop on an error that is not a database fault, throwing it', async () => {
    const failing = { sweep: () => Promise.reject(new TypeError('a bug')) } as unknown as OrderService;
    await expect(
      runWorker({ service: failing, signal: new AbortController().signal, deliver: () => {}, log: () => {} }),
    ).rejects.toThrow('a bug');
  });
});
