/*
 * A live order as a recording file, as `order-lifecycle inspect --open` and `replay` read it back: `{ input, events }`
 * for an order seen from its creation, `{ snapshot, restoredAt, events }` for one restored from a saved snapshot.
 */
import type { OrderView } from '../orders.js';
import { h } from './dom.js';
import type { ClientConfig } from './protocol.js';

/** The envelope of a saved snapshot (`serializeOrder`'s), as the server that serves the page writes it. */
let envelope: ClientConfig['snapshot'] | undefined;

/** Tells the exporter the snapshot envelope's versions (from the server's configuration). */
export function useSnapshotEnvelope(value: ClientConfig['snapshot'] | undefined): void {
  envelope = value;
}

/**
 * The recording of an order: the input its first context was made from (or the snapshot it was restored from, and
 * when), and every event after it.
 * @example
 * replayRecording(recordingOf(order)); // the same steps again
 */
function recordingOf(order: OrderView): Record<string, unknown> {
  const first = order.context;
  const events = order.steps.slice(1).map((step) => step.event);
  const start = order.steps[0]!;
  if (start.kind === 'restored' && envelope)
    return {
      snapshot: { ...envelope, state: start.state, context: first },
      ...(start.at === null ? {} : { restoredAt: start.at }),
      events,
    };
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
  return { input, events };
}

/**
 * Whether the page saw every event of the order since its creation or its restore, so they replay from its input or
 * its restored snapshot to the same verdicts (a step the inspector did not see, such as a later restore into
 * another state, makes it not replayable).
 */
export function replayable(order: OrderView): boolean {
  return order.steps.every((each, index) =>
    index === 0
      ? each.kind === 'created' || (each.kind === 'restored' && envelope !== undefined)
      : each.kind === 'event',
  );
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
