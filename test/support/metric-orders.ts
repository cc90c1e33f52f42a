import { applyEvent, createOrder, type OrderEventInput, type OrderSnapshot } from '../../src/index.js';

const DAY = 24 * 60 * 60_000;

/** One item of a test order. */
export type Item = { orderItemId: string; sku?: string; quantity: number };

/** What a test order of the metric tests looks like; everything but `placedAt` has a default. */
export interface Shape {
  placedAt: number;
  /** Two days after `placedAt` when left out; `null`: Amazon has not given one yet. */
  latestShipDate?: number | null;
  channel?: 'MFN' | 'AFN';
  /** Two units of `MUG` (item A) and one of `PEN` (item B) when left out. */
  items?: Item[];
}

/** Builds an order and applies each event, failing the test if the machine refuses one. */
export function order(orderId: string, shape: Shape, ...events: OrderEventInput[]): OrderSnapshot {
  const latestShipDate = shape.latestShipDate === undefined ? shape.placedAt + 2 * DAY : shape.latestShipDate;
  let { snapshot } = createOrder({
    orderId,
    placedAt: shape.placedAt,
    ...(latestShipDate === null ? {} : { latestShipDate }),
    fulfillmentChannel: shape.channel ?? 'MFN',
    items: shape.items ?? [
      { orderItemId: 'A', sku: 'MUG', quantity: 2 },
      { orderItemId: 'B', sku: 'PEN', quantity: 1 },
    ],
  });
  for (const event of events) {
    const result = applyEvent(snapshot, event);
    if (!result.verdict.accepted) throw new Error(`${orderId}: ${event.type} refused: ${result.verdict.message.en}`);
    snapshot = result.snapshot;
  }
  return snapshot;
}

/** A seller cancel for lack of stock, of the whole order or of `items`. */
export const noInventory = (at: number, items?: { orderItemId: string; quantity: number }[]): OrderEventInput => ({
  type: 'seller.cancel',
  at,
  reason: 'NoInventory',
  ...(items ? { items } : {}),
});
