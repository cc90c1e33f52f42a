import { applyEvent, nextDeadline, orderStatus, restoreOrder, serializeOrder, type OrderSnapshot, type OrderStatus, type RestoreOrderOptions, type StepResult } from '../index.js';
import type { OrderRow } from '../store/index.js';
import { UnreadableOrderError } from './errors.js';

/** A row's snapshot and its `serializeOrder` text. */
export interface Restored {
  snapshot: OrderSnapshot;
  text: string;
}

/**
 * What one step writes, worked out before the write: texts only, so that a worker thread can prepare it and the
 * writing thread only stores it.
 */
export interface PreparedStep {
  /** The snapshot after the step, serialized. */
  text: string;
  /** Whether the step changed the snapshot (the version moves on only then). */
  changed: boolean;
  status: OrderStatus;
  /** Null for the place. */
  statusBefore: OrderStatus | null;
  nextDeadline: number | null;
  /** The history row's event and verdict, as JSON. */
  event: string;
  verdict: string;
  /** Each effect as JSON: one outbox row each, and the history row's list. */
  effects: string[];
}

/** The write of `step`, taken from the order `before`, for `event` as the history records it. */
export function prepareStep(before: Restored, step: StepResult, event: unknown): PreparedStep {
  const text = serializeOrder(step.snapshot);
  return {
    text,
    changed: text !== before.text,
    status: orderStatus(step.snapshot),
    statusBefore: orderStatus(before.snapshot),
    nextDeadline: nextDeadline(step.snapshot),
    event: JSON.stringify(event),
    verdict: JSON.stringify(step.verdict),
    effects: step.effects.map((effect) => JSON.stringify(effect)),
  };
}

/** One due order's `clock.tick` at its deadline: the write and the stepped snapshot, or why the order is skipped. */
export type DueTick = { orderId: string; prepared: PreparedStep; snapshot?: OrderSnapshot } | { orderId: string; failed: string };

/**
 * Steps a due row by a `clock.tick` at its stored deadline. A row that does not restore, a machine that throws and
 * an order still due after the tick fail this order only.
 */
export function tickDue(row: OrderRow, restore: (row: OrderRow) => Restored): DueTick {
  const orderId = row.orderId;
  try {
    const before = restore(row);
    const tick = { type: 'clock.tick' as const, at: row.nextDeadline! };
    const step = applyEvent(before.snapshot, tick);
    const next = nextDeadline(step.snapshot);
    if (next !== null && next <= tick.at) {
      return { orderId, failed: `Order ${JSON.stringify(orderId)} is still due at ${next} after a clock.tick at its deadline ${tick.at}.` };
    }
    return { orderId, prepared: prepareStep(before, step, tick), snapshot: step.snapshot };
  } catch (error) {
    return { orderId, failed: (error as Error).message };
  }
}

/**
 * How a service reads stored rows: `snapshotOf` restores a row with every check of the core's `restoreOrder` and
 * names the order when it cannot; `restored` adds the snapshot's canonical text.
 */
export function rowReader(options: RestoreOrderOptions = {}) {
  const snapshotOf = (row: Pick<OrderRow, 'orderId' | 'snapshot'>): OrderSnapshot => {
    try {
      return restoreOrder(row.snapshot, options);
    } catch (error) {
      throw new UnreadableOrderError(row.orderId, error);
    }
  };
  const restored = (row: Pick<OrderRow, 'orderId' | 'snapshot'>): Restored => {
    const snapshot = snapshotOf(row);
    return { snapshot, text: serializeOrder(snapshot) };
  };
  return { snapshotOf, restored };
}

/** Restores a row on the package's own machine, as a service without `machine` or `migrate` does. */
export const restoreDefault = rowReader().restored;
