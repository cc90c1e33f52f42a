import { setTimeout as sleep } from 'node:timers/promises';
import type { OrderService, OutboxItem } from 'order-lifecycle/service';

export interface WorkerOptions {
  service: OrderService;
  /** Delivers one effect (mail, webhook, queue). Throw to have it retried later; it may run more than once. */
  deliver: (item: OutboxItem) => Promise<void> | void;
  /** Aborting it stops the worker after the round in progress. */
  signal: AbortSignal;
  /** Pause after a round that found nothing to do (default 1,000 ms). */
  idleMs?: number;
  /** Orders per sweep transaction and effects per outbox claim (default 100). */
  batch?: number;
  /** Failures after which an effect is parked for a person to look at (default 8). */
  maxAttempts?: number;
  /** Where the worker reports parked effects, unreadable orders and failed rounds (default `console.error`). */
  log?: (line: string) => void;
  /** The longest pause after rounds that failed one after another (default 30,000 ms). */
  maxBackoffMs?: number;
}

/** What a worker did before it stopped. */
export interface WorkerTotals {
  rounds: number;
  swept: number;
  delivered: number;
  /** Rounds that failed on the database (lost connection, held lock, full disk) and were tried again. */
  failed: number;
}

/**
 * The store's errors that pass: a lost connection, a lock held past its timeout, a full disk. A round that meets one
 * is tried again after a pause; anything else (a bug) stops the worker.
 */
const PASSING = new Set(['StoreConnectionError', 'StoreBusyError', 'StoreFullError']);

/**
 * Runs rounds of "sweep what is due, then drain the outbox" until `signal` aborts. Each round is short
 * (at most `10 × batch` orders swept), so a stop request waits for one round, never for a backlog. Any
 * number of workers may run on the same database: the sweep claims due orders with `SKIP LOCKED`, the
 * outbox hands each effect to one drainer at a time, and every write is guarded by the order's version.
 */
export async function runWorker(options: WorkerOptions): Promise<WorkerTotals> {
  const { service, deliver, signal } = options;
  const idleMs = options.idleMs ?? 1_000;
  const batch = options.batch ?? 100;
  const log = options.log ?? ((line: string) => console.error(line));
  const maxBackoffMs = options.maxBackoffMs ?? 30_000;
  const totals: WorkerTotals = { rounds: 0, swept: 0, delivered: 0, failed: 0 };
  let failures = 0;
  while (!signal.aborted) {
    totals.rounds++;
    let busy: boolean;
    try {
      // Each due order gets a clock.tick at its own stored deadline, not at "now".
      const sweep = await service.sweep(Date.now(), { batch, limit: 10 * batch });
      for (const { orderId, message } of sweep.failed) log(`order ${orderId} skipped: ${message}`);
      totals.swept += sweep.applied;
      const drain = await service.outbox.drain(deliver, { batch, maxAttempts: options.maxAttempts ?? 8 });
      for (const parked of drain.parked)
        log(`effect ${parked.id} of order ${parked.orderId} parked after ${parked.attempts} attempts: ${parked.error}`);
      totals.delivered += drain.delivered;
      busy = sweep.applied > 0 || drain.delivered > 0 || sweep.remaining > sweep.failed.length;
      failures = 0;
    } catch (error) {
      if (!(error instanceof Error) || !PASSING.has(error.name)) throw error;
      // Nothing is lost: what the round had not finished is still due, or still pending in the outbox.
      totals.failed++;
      failures++;
      const wait = Math.min(idleMs * 2 ** (failures - 1), maxBackoffMs);
      log(`round ${totals.rounds} failed, trying again in ${wait} ms: ${error.name}: ${error.message}`);
      await sleep(wait, undefined, { signal }).catch(() => {});
      continue;
    }
    if (!busy) await sleep(idleMs, undefined, { signal }).catch(() => {});
  }
  return totals;
}
