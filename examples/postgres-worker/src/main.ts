/**
 * A sweeper and outbox worker on PostgreSQL. Run as many as you like, on one machine or many:
 *
 *   DATABASE_URL=postgres://app@db/orders ORDERS_SCHEMA=public npx tsx examples/postgres-worker/src/main.ts
 *
 * It delivers each effect as one JSON line on standard output (pipe it to your mailer or queue, or replace
 * `deliver`), and logs to standard error. On SIGTERM or SIGINT it finishes the round in progress, closes its
 * connections and exits 0. A missing or bad setting, or a database it cannot open, is one line on standard error
 * and exit status 2. A round that meets a passing database fault (a dropped connection, a held lock, a full disk)
 * is logged in one line and tried again after a pause; any other error is one line and exit status 1.
 */
import { upgradeOrderSnapshot } from 'order-lifecycle';
import { createOrderService, type OrderService, type OutboxItem } from 'order-lifecycle/service';
import { PostgresStore } from 'order-lifecycle/store';
import { runWorker } from './worker.js';

function numberFrom(name: string, fallback: number): number {
  const text = process.env[name];
  const value = text === undefined ? fallback : Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${name} must be a positive whole number (got ${JSON.stringify(text)}).`);
    process.exit(2);
  }
  return value;
}

/** Stops before the first round: one line naming what is wrong, status 2, nothing written. */
function stopWith(line: string): never {
  console.error(line);
  process.exit(2);
}

/** The URL as a log may show it: without its password. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** An error's own words on one line (the first of several addresses tried). */
function reason(error: unknown): string {
  const inner = error instanceof AggregateError && error.errors.length > 0 ? error.errors[0] : error;
  return (inner instanceof Error ? inner.message || inner.name : String(inner)).replace(/\s*\n\s*/g, ' ');
}

const idleMs = numberFrom('WORKER_IDLE_MS', 1_000);
const batch = numberFrom('WORKER_BATCH', 100);
// No default: a default would be some database the operator did not choose (pg's would be the `postgres`
// maintenance database), and the worker creates its tables where it connects.
const url = process.env['DATABASE_URL'];
if (!url)
  stopWith(
    `DATABASE_URL must name the orders' database, e.g. postgres://app@db/orders (got ${JSON.stringify(url ?? null)}).`,
  );
const schema = process.env['ORDERS_SCHEMA'] ?? 'public';
let store: PostgresStore;
try {
  store = new PostgresStore({
    connectionString: url,
    schema,
    max: 2, // a worker uses one connection at a time; the second serves close() while a round ends
  });
} catch (error) {
  stopWith(`ORDERS_SCHEMA: ${reason(error)}`);
}
let service: OrderService;
try {
  service = await createOrderService({ store, migrate: upgradeOrderSnapshot });
} catch (error) {
  await store.close().catch(() => {});
  stopWith(`cannot open the order store at ${shown(url)} (schema ${JSON.stringify(schema)}): ${reason(error)}`);
}

/** At least once: a consumer that must not act twice keys on `outboxId`. */
const deliver = ({ id, orderId, version, effect }: OutboxItem) => {
  process.stdout.write(`${JSON.stringify({ outboxId: id, orderId, version, effect })}\n`);
};

const stop = new AbortController();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    console.error(`${signal}: stopping after this round`);
    stop.abort();
  });
}
console.error(`worker ${process.pid} started`);
try {
  const { failed, ...totals } = await runWorker({ service, deliver, signal: stop.signal, idleMs, batch });
  await service.close();
  console.error(
    `worker ${process.pid} stopped: ${JSON.stringify(totals)}; ${failed} rounds failed on the database and were tried again`,
  );
} catch (error) {
  // Not a passing database fault (runWorker waits those out): one line, and a status a supervisor restarts on.
  await service.close().catch(() => {});
  console.error(`worker ${process.pid} stopped on an error: ${reason(error)}`);
  process.exitCode = 1;
}
