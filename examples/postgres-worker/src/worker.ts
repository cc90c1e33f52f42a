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
  /** Where the worker reports parked effects and unreadable orders (default `console.error`). */
  log?: (line: string) => void;
}

/** What a worker did before it stopped. */
export interface WorkerTotals {
  rounds: number;
  swept: number;
  delivered: number;
}

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
  const totals: WorkerTotals = { rounds: 0, swept: 0, delivered: 0 };
  while (!signal.aborted) {
    totals.rounds++;
    // Each due order gets a clock.tick at its own stored deadline, not at "now".
    const sweep = await service.sweep(Date.now(), { batch, limit: 10 * batch });
    for (const { orderId, message } of sweep.failed) log(`order ${orderId} skipped: ${message}`);
    const drain = await service.outbox.drain(deliver, { batch, maxAttempts: options.maxAttempts ?? 8 });
    for (const parked of drain.parked) log(`effect ${parked.id} of order ${parked.orderId} parked after ${parked.attempts} attempts: ${parked.error}`);
    totals.swept += sweep.applied;
    totals.delivered += drain.delivered;
    const busy = sweep.applied > 0 || drain.delivered > 0 || sweep.remaining > sweep.failed.length;
    if (!busy) await sleep(idleMs, undefined, { signal }).catch(() => {});
  }
  return totals;
}
