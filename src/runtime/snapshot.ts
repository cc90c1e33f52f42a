import type { SnapshotFrom } from 'xstate';
import { orderMachine } from '../../machines/order/index.js';
import { deadlineFor, stateKeys, statusOfStateKey, type OrderStatus, type StateKey } from '../domain/index.js';

/** A snapshot of the order machine, from `createOrder`, `applyEvent`, `restoreOrder` or a live actor. */
export type OrderSnapshot = SnapshotFrom<typeof orderMachine>;

/**
 * The leaf state key of a snapshot: `buyerCancellable`, ..., `autoCanceled`.
 * @example
 * stateKey(snapshot); // 'labelGenerated'
 */
export function stateKey(snapshot: Pick<OrderSnapshot, 'value'>): StateKey {
  const value = snapshot.value as string | Record<string, string>;
  return (typeof value === 'string' ? value : value[stateKeys.placed]) as StateKey;
}

/**
 * The product brief's name of the order's current state.
 * @example
 * orderStatus(createOrder(input).snapshot); // 'buyer-cancellable'
 */
export function orderStatus(snapshot: Pick<OrderSnapshot, 'value'>): OrderStatus {
  return statusOfStateKey[stateKey(snapshot)];
}

/**
 * Epoch ms of the next instant at which time alone changes the order, or null when nothing is due.
 * A back end wakes the order then with `{ type: 'clock.tick', at }`.
 * @example
 * nextDeadline(createOrder(input).snapshot) === placedAtMs + 30 * 60_000; // true
 */
export function nextDeadline(snapshot: Pick<OrderSnapshot, 'value' | 'context'>): number | null {
  return deadlineFor(orderStatus(snapshot), snapshot.context);
}
