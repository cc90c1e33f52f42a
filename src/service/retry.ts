import { StoreConnectionError, WriteConflictError } from '../store/index.js';

/** How the service waits between attempts at a transaction that lost a race or its connection. */
export interface RetryBackoff {
  /** The longest first wait in ms; each retry doubles it (default 5). */
  baseMs?: number;
  /** The longest wait of any one retry in ms (default 1,000). */
  maxMs?: number;
}

/**
 * The wait before retry `retry` (0 for the first): a random time from 0 to `min(maxMs, baseMs · 2^retry)`
 * ("full jitter"), so that writers that lost the same race do not meet again at the same instant.
 * @example
 * retryDelay(3, { baseMs: 5, maxMs: 1_000 }, Math.random); // somewhere in [0, 40) ms
 */
export function retryDelay(retry: number, backoff: Required<RetryBackoff>, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.min(retry, 52));
  return Math.floor(random() * ceiling);
}

/** The backoff with its defaults, each bound checked. */
export function resolveBackoff(backoff: RetryBackoff = {}): Required<RetryBackoff> {
  const baseMs = Math.max(0, backoff.baseMs ?? 5);
  return { baseMs, maxMs: Math.max(baseMs, backoff.maxMs ?? 1_000) };
}

/**
 * Whether a failed transaction may run again: a lost race (`WriteConflictError`) rolled back everything; a lost
 * connection did too when `committed` is `'no'`, and when it is `'unknown'` only a request that cannot apply twice
 * (`idempotent`) may. Everything else, `StoreBusyError` included, is the caller's to see.
 */
export function mayRetry(error: unknown, idempotent: boolean): boolean {
  if (error instanceof WriteConflictError) return true;
  if (error instanceof StoreConnectionError) return error.committed === 'no' || idempotent;
  return false;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
