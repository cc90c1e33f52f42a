/**
 * What the runner asks of a drill process (its job, one JSON argument) and what the process reports back (one
 * JSON line per message on standard output, written before it goes on, so that a kill never loses a line the
 * runner counts). The runner sends `stop`, `go`, `released` and `freed` as lines on standard input.
 */
import type { StoreSpec } from './package.js';

/** A writer: `concurrency` orders at a time, from order `from` on, skipping what the runner saw answered. */
export interface WriterPlan {
  writerIndex: number;
  concurrency: number;
  from: number;
  /** Orders at or after `from` that are finished. */
  doneOrders: number[];
  /** Requests of unfinished orders that were answered. */
  acked: string[];
  /** How often a request that failed with a transient error is sent again before the writer gives up on its order. */
  clientRetries: number;
  /** A pause after each answer of a random 0 to 2 × `paceMs` ms (none without), to bound how much a drill writes. */
  paceMs?: number;
  /** Full disk drill: a request refused for want of space waits for `freed` and is sent again. */
  pauseOnFull?: boolean;
  /** Stop after this many orders (unbounded without). */
  orders?: number;
}

/** A sweeper: sweeps at `sweepInstant(k)` for k = from, from + 1, ..., pausing in between. */
export interface SweeperPlan {
  from: number;
  batch: number;
  pauseMs: number;
}

/** A drainer: drains again and again; its handler is sometimes slow (past the lease) and sometimes fails. */
export interface DrainerPlan {
  batch: number;
  leaseMs: number;
  backoffMs: number;
  pauseMs: number;
  slowPerMille: number;
  slowMs: [number, number];
  failPerMille: number;
}

export interface WorkerJob {
  kind: 'worker';
  name: string;
  seed: number;
  store: StoreSpec;
  write?: WriterPlan;
  sweep?: SweeperPlan;
  drain?: DrainerPlan;
}

/** Held lock drill: `writes` events (one per order, at once) sent once the runner holds the lock, then reads. */
export interface LockJob {
  kind: 'lock';
  name: string;
  store: StoreSpec & { kind: 'sqlite' };
  orderIds: string[];
}

export type ChildJob = WorkerJob | LockJob;

export type ChildMessage =
  | { t: 'ready'; pid: number }
  | { t: 'ack'; id: string; order: string; kind: 'place' | 'apply'; at: number; duplicate?: true }
  | { t: 'error'; op: string; id?: string; name: string; message: string; code?: string; transient: boolean }
  | { t: 'gave-up'; id: string }
  | { t: 'order-done'; n: number }
  | {
      t: 'swept';
      k: number;
      instant: number;
      startedAt: number;
      applied: number;
      remaining: number;
      failed: Array<{ orderId: string; message: string }>;
    }
  | { t: 'claimed'; rows: Array<[id: number, claim: number | null]> }
  | { t: 'deliver'; id: number; order: string; at: number }
  | { t: 'delivered'; id: number; at: number }
  | { t: 'deliver-fail'; id: number }
  | { t: 'outcome'; op: 'complete' | 'fail'; id: number; claim: number | null; ok: boolean }
  | { t: 'full'; failures: number }
  | { t: 'read-while-full'; ok: boolean; message?: string }
  /** Held lock drill: how one event ended, `ms` after it was sent, at instant `at`. */
  | { t: 'write'; id: string; ok: boolean; name?: string; message?: string; ms: number; at: number }
  | { t: 'settled' }
  | { t: 'lock-figures'; maxTimerDelayMs: number; reads: number; readMaxMs: number; readErrors: string[] }
  | { t: 'bye' };

/** Errors a caller may meet when the database misbehaves and may send the same request again after. */
export const transientErrors = new Set(['StoreConnectionError', 'StoreBusyError', 'OrderConflictError']);
