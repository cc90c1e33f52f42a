import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  eventsFromNotification,
  eventsFromSpApi,
  orderInputFromSpApi,
  spApiStatus,
  type AmazonOrderEvent,
} from '../../src/amazon/index.js';
import {
  applyEvent,
  createOrder,
  nextDeadline,
  orderStatus,
  type OrderInput,
  type OrderSnapshot,
} from '../../src/index.js';
import { fixture, fixturesDir } from './support.js';

/*
 * Amazon's own order examples (test/fixtures/amazon/published/, copied from amzn/selling-partner-api-models by
 * scripts/extract-published-examples.ts) through the adapters and the machine: each example is started with
 * orderInputFromSpApi (or, for a notification, from its Summary), every event eventsFromSpApi /
 * eventsFromNotification makes of it is applied, and the result is compared with the outcome the example
 * describes, written down by hand with the reason in published/expected.json.
 */

// The fixtures are Amazon's JSON.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

interface ExpectedItem {
  orderItemId: string;
  ordered: number;
  shipped?: number;
  canceled?: number;
  open?: number;
  buyerRequestedCancel?: boolean;
}

interface Expected {
  status: string;
  spApiStatus: string;
  latestShipDate?: string | null;
  autoCancelAt?: string | null;
  nextDeadline?: string | null;
  items: ExpectedItem[];
  cancellations?: { by: string; countsAgainstRate: boolean; items?: { orderItemId: string; quantity: number }[] }[];
  everyCancellationBy?: string;
  countsAgainstRate: boolean;
  shippedLate?: boolean;
}

interface Case {
  name: string;
  source: { order?: string; orderId?: string; items?: string; notification?: string };
  companion?: { order?: Json; items?: Json[]; because: string };
  because: string;
  expected: Expected;
}

const published = (file: string) => fixture<{ kind: string; payload: Json }>(`published/${file}`);
const { cases } = fixture<{ cases: Case[] }>('published/expected.json');

/** Every order example: each order of a list, each single order, and each getOrderItems (whose order Amazon does not always publish). */
function publishedOrders(): string[] {
  const files = readdirSync(resolve(fixturesDir, 'published')).filter(
    (file) => /^(v0|v2026)-.*\.json$/.test(file) || /^order-change\.example/.test(file),
  );
  return files.flatMap((file) => {
    const { kind, payload } = published(file);
    if (kind === 'v0-orders') return payload.payload.Orders.map((order: Json) => `${file}#${order.AmazonOrderId}`);
    if (kind === 'v2026-search') return payload.orders.map((order: Json) => `${file}#${order.orderId}`);
    return [file];
  });
}

/** The files and orders a case reads, in the form publishedOrders names them. */
function covered(c: Case): string[] {
  const { order, orderId, items, notification } = c.source;
  return [order && (orderId ? `${order}#${orderId}` : order), items, notification].filter((name): name is string =>
    Boolean(name),
  );
}

/** The order and items of a case, as the adapters take them. */
function orderAndItems(c: Case): { order: Json; items?: Json } {
  const { order: orderFile, orderId, items: itemsFile } = c.source;
  let order = c.companion?.order;
  if (orderFile) {
    const { kind, payload } = published(orderFile);
    order =
      kind === 'v0-orders'
        ? payload.payload.Orders.find((o: Json) => o.AmazonOrderId === orderId)
        : kind === 'v2026-search'
          ? payload.orders.find((o: Json) => o.orderId === orderId)
          : kind === 'v2026-order'
            ? payload.order
            : payload.payload;
  }
  if (!order) throw new Error(`Case "${c.name}" names no order (source ${JSON.stringify(c.source)}).`);
  const items = itemsFile ? published(itemsFile).payload : c.companion?.items;
  return { order, ...(items === undefined ? {} : { items }) };
}

/** The order a notification is about, started from its own Summary. */
function inputFromSummary(notification: Json): OrderInput {
  const change = notification.Payload.OrderChangeNotification;
  const summary = change.Summary;
  return {
    orderId: change.AmazonOrderId,
    placedAt: summary.PurchaseDate,
    ...(summary.LatestShipDate ? { latestShipDate: summary.LatestShipDate } : {}),
    items: summary.OrderItems.map((item: Json) => ({
      orderItemId: item.OrderItemId,
      sku: item.SellerSKU,
      quantity: item.Quantity,
    })),
    fulfillmentChannel: summary.FulfillmentType,
    marketplaceId: summary.MarketplaceId,
  } as OrderInput;
}

/**
 * Starts the order of a case, applies every event the adapter makes of it, then moves the order's clock to the
 * instant the example reports on (LastUpdateDate, lastUpdatedTime, the notification's TimeOfOrderChange), so
 * that the order is compared with Amazon's as of the same instant even when the adapter has no event to apply.
 */
function run(c: Case): { snapshot: OrderSnapshot; version: 'v0' | 'v2026'; events: AmazonOrderEvent[] } {
  let input: OrderInput;
  let events: AmazonOrderEvent[];
  let version: 'v0' | 'v2026';
  let reportedAt: string;
  if (c.source.notification) {
    const notification = published(c.source.notification).payload;
    input = inputFromSummary(notification);
    events = eventsFromNotification(notification).events;
    version = 'v0';
    reportedAt =
      notification.Payload.OrderChangeNotification.OrderChangeTrigger.TimeOfOrderChange ?? notification.EventTime;
  } else {
    const { order, items } = orderAndItems(c);
    input = orderInputFromSpApi(order, items);
    events = eventsFromSpApi(order, items);
    version = 'orderId' in order ? 'v2026' : 'v0';
    reportedAt = version === 'v2026' ? order.lastUpdatedTime : order.LastUpdateDate;
  }
  let { snapshot } = createOrder(input);
  for (const event of [...events, { type: 'clock.tick' as const, at: reportedAt }])
    snapshot = applyEvent(snapshot, event).snapshot;
  return { snapshot, version, events };
}

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();
const normalized = (text: string | null | undefined) =>
  text === null || text === undefined ? text : new Date(Date.parse(text)).toISOString();

/** What the order shows, in the shape of an expectation. */
function outcome(snapshot: OrderSnapshot, version: 'v0' | 'v2026') {
  const context = snapshot.context as Json;
  const status = orderStatus(snapshot);
  const cancellations: Json[] = context.cancellations;
  return {
    status,
    spApiStatus: spApiStatus(snapshot)[version] as string,
    latestShipDate: iso(context.latestShipDate),
    autoCancelAt: iso(context.autoCancelAt),
    nextDeadline: iso(nextDeadline(snapshot)),
    items: (context.items as Json[]).map((item) => {
      // Before per-item shipments, a shipped order had shipped every unit not cancelled.
      const shipped: number =
        item.quantityShipped ?? (status === 'shipped' ? item.quantity - item.quantityCanceled : 0);
      return {
        orderItemId: item.orderItemId,
        ordered: item.quantity,
        shipped,
        canceled: item.quantityCanceled,
        open: item.quantity - item.quantityCanceled - shipped,
        buyerRequestedCancel: item.buyerRequestedCancel,
      };
    }),
    cancellations: cancellations.map((record) => ({
      by: record.by,
      countsAgainstRate: record.countsAgainstRate,
      items: record.items,
    })),
    countsAgainstRate: cancellations.some((record) => record.countsAgainstRate),
    shippedLate: context.shippedLate,
  };
}

/** The expectation without the fields it leaves unchecked, dates as `toISOString` writes them. */
function checked(expected: Expected) {
  const { everyCancellationBy: _by, ...rest } = expected;
  const dates = Object.fromEntries(
    (['latestShipDate', 'autoCancelAt', 'nextDeadline'] as const)
      .filter((key) => key in expected)
      .map((key) => [key, normalized(expected[key])]),
  );
  return { ...rest, ...dates };
}

describe("Amazon's published order examples through the adapters and the machine", () => {
  it('should state the expected outcome of every order example Amazon publishes', () => {
    const stated = new Set(cases.flatMap(covered));
    expect(publishedOrders().filter((name) => !stated.has(name))).toEqual([]);
    expect([...stated].filter((name) => !publishedOrders().includes(name))).toEqual([]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('should end %s as the example describes', (_name, c) => {
    const { snapshot, version, events } = run(c);
    const actual = outcome(snapshot, version);
    expect(actual, `${c.because}\nevents: ${JSON.stringify(events)}`).toMatchObject(checked(c.expected));
    if (c.expected.everyCancellationBy) {
      expect(
        actual.cancellations.map((record) => record.by).filter((by) => by !== c.expected.everyCancellationBy),
      ).toEqual([]);
    }
    for (const item of actual.items)
      expect(item.shipped + item.canceled + item.open, item.orderItemId).toBe(item.ordered);
  });
});
