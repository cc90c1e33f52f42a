import {
  applyEvent,
  createOrder,
  orderStatus,
  type OrderEventInput,
  type OrderInput,
  type OrderSnapshot,
  type StepResult,
} from '../../src/index.js';

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** Purchase at 2026-11-26T10:00:00+08:00, latest ship date two days later. */
export const placedAt = Date.parse('2026-11-26T10:00:00+08:00');
export const latestShipDate = Date.parse('2026-11-28T23:59:59+08:00');
export const buyerCancelUntil = placedAt + 30 * MINUTE;
export const autoCancelAt = latestShipDate + 7 * DAY;

/** Minutes after purchase, in epoch ms. */
export const minute = (n: number) => placedAt + n * MINUTE;

export function orderInput(extra: Partial<OrderInput> = {}): OrderInput {
  return {
    orderId: '113-1234567-1234567',
    placedAt,
    latestShipDate,
    items: [
      { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
      { orderItemId: 'B', quantity: 1 },
    ],
    ...extra,
  };
}

export function newOrder(extra: Partial<OrderInput> = {}): OrderSnapshot {
  return createOrder(orderInput(extra)).snapshot;
}

/** Applies events in turn and returns every step's result. */
export function run(snapshot: OrderSnapshot, ...events: OrderEventInput[]): StepResult[] {
  const results: StepResult[] = [];
  for (const event of events) {
    const result = applyEvent(snapshot, event);
    results.push(result);
    snapshot = result.snapshot;
  }
  return results;
}

/** The last step of `run`. */
export function last(snapshot: OrderSnapshot, ...events: OrderEventInput[]): StepResult {
  return run(snapshot, ...events).at(-1)!;
}

/** An order already out of the buyer window (unshipped). */
export function unshippedOrder(extra: Partial<OrderInput> = {}): OrderSnapshot {
  return applyEvent(newOrder(extra), { type: 'clock.tick', at: buyerCancelUntil }).snapshot;
}

export function labelledOrder(extra: Partial<OrderInput> = {}): OrderSnapshot {
  return applyEvent(unshippedOrder(extra), { type: 'seller.generateLabel', at: minute(40) }).snapshot;
}

export { orderStatus };
