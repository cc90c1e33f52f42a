/* A live order as a recording file (`{ input, events }`), as `order-lifecycle inspect --open` reads it back. */
import type { OrderView } from '../orders.js';
import { h } from './dom.js';

/**
 * The recording of an order: the input its first context was made from, and every event after it.
 * @example
 * replayRecording(recordingOf(order)); // the same steps again
 */
function recordingOf(order: OrderView): { input: Record<string, unknown>; events: unknown[] } {
  const first = order.context;
  const input: Record<string, unknown> = {
    orderId: first.orderId,
    ...(first.marketplaceId === undefined ? {} : { marketplaceId: first.marketplaceId }),
    fulfillmentChannel: first.fulfillmentChannel,
    placedAt: first.placedAt,
    // An order Amazon gave no latest ship date yet starts without one (the input leaves it out).
    ...(first.latestShipDate === null || first.latestShipDate === undefined
      ? {}
      : { latestShipDate: first.latestShipDate }),
    items: first.items.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.sku === undefined ? {} : { sku: item.sku }),
      quantity: item.quantity,
    })),
    policy: first.policy,
  };
  return { input, events: order.steps.slice(1).map((step) => step.event) };
}

/** Whether the page saw the order from its creation on, so its events replay from its input. */
export function replayable(order: OrderView): boolean {
  return order.steps.every((each, index) => (index === 0 ? each.kind === 'created' : each.kind === 'event'));
}

/** Downloads the order's recording as `<order id>.json`. */
export function downloadRecording(order: OrderView): void {
  const url = URL.createObjectURL(
    new Blob([`${JSON.stringify(recordingOf(order), null, 2)}\n`], { type: 'application/json' }),
  );
  const link = h('a', { href: url, download: `${order.orderId}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
