/**
 * A sweeper and outbox worker on PostgreSQL. Run as many as you like, on one machine or many:
 *
 *   DATABASE_URL=postgres://app@db/orders ORDERS_SCHEMA=public npx tsx examples/postgres-worker/src/main.ts
 *
 * It delivers each effect as one JSON line on standard output (pipe it to your mailer or queue, or replace
 * `deliver`), and logs to standard error. On SIGTERM or SIGINT it finishes the round in progress, closes its
 * connections and exits 0.
 */
import { upgradeOrderSnapshot } from 'order-lifecycle';
import { createOrderService, type OutboxItem } from 'order-lifecycle/service';
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

const idleMs = numberFrom('WORKER_IDLE_MS', 1_000);
const batch = numberFrom('WORKER_BATCH', 100);
const store = new PostgresStore({
  connectionString: process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  schema: process.env['ORDERS_SCHEMA'] ?? 'public',
  max: 2, // a worker uses one connection at a time; the second serves close() while a round ends
});
const service = await createOrderService({ store, migrate: upgradeOrderSnapshot });

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
const totals = await runWorker({ service, deliver, signal: stop.signal, idleMs, batch });
await service.close();
console.error(`worker ${process.pid} stopped: ${JSON.stringify(totals)}`);
