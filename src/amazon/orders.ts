import { z } from 'zod';
import type { OrderInput, OrderStatus } from '../domain/index.js';
import { orderStatus, type OrderSnapshot } from '../runtime/index.js';
import {
  eventIdOf,
  type AmazonOrderEvent,
  type ItemQuantity,
  type OrderCanceledFact,
  type StatusReportedFact,
} from './events.js';
import { fitText, invalid, parseAmazon } from './parse.js';
import {
  EasyShipShipmentStatus,
  OrderChangeNotification,
  type CancelledBy2026,
  type OrderChangeType,
  SpApiOrder2026,
  SpApiOrderItemV0,
  SpApiOrderItemsListV0,
  SpApiOrderV0,
  type FulfillmentStatus2026,
  type OrderStatusV0,
} from './schemas.js';

const NAMESPACE = 'amzn';
const SUBJECT = 'SP-API order';

type Parsed =
  { version: 'v0'; order: SpApiOrderV0; items: SpApiOrderItemV0[] } | { version: 'v2026'; order: SpApiOrder2026 };

/** Unwraps `{ payload }` (v0 responses) and `{ order }` (v2026 getOrder) around the order itself. */
function unwrap(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (!('AmazonOrderId' in record) && !('orderId' in record)) {
      if (record['payload'] && typeof record['payload'] === 'object') return record['payload'];
      if (record['order'] && typeof record['order'] === 'object') return record['order'];
    }
  }
  return value;
}

function parseOrder(order: unknown, orderItems: unknown): Parsed {
  const value = unwrap(order);
  if (value && typeof value === 'object' && 'AmazonOrderId' in value) {
    const parsed = parseAmazon(SpApiOrderV0, value, SUBJECT);
    if (orderItems === undefined) {
      throw invalid(SUBJECT, 'orderItems', 'an Orders v0 order needs its getOrderItems items as the second argument');
    }
    const rawItems = unwrap(orderItems);
    const items = Array.isArray(rawItems)
      ? parseAmazon(z.array(SpApiOrderItemV0), rawItems, SUBJECT, 'orderItems')
      : parseAmazon(SpApiOrderItemsListV0, rawItems, SUBJECT, 'orderItems');
    if (!Array.isArray(items) && items.AmazonOrderId !== parsed.AmazonOrderId) {
      throw invalid(
        SUBJECT,
        'orderItems.AmazonOrderId',
        `belongs to another order than ${parsed.AmazonOrderId}`,
        items.AmazonOrderId,
      );
    }
    return { version: 'v0', order: parsed, items: Array.isArray(items) ? items : items.OrderItems };
  }
  if (value && typeof value === 'object' && 'orderId' in value) {
    return { version: 'v2026', order: parseAmazon(SpApiOrder2026, value, SUBJECT) };
  }
  throw invalid(
    SUBJECT,
    'AmazonOrderId',
    'expected an Orders v0 order (AmazonOrderId) or an Orders v2026-01-01 order (orderId)',
    value,
  );
}

const ms = (iso: string): number => Date.parse(iso);

/**
 * The core's OrderInput for an SP-API order: an Orders v0 `Order` with its `getOrderItems` items, or an
 * Orders v2026-01-01 `Order` (which carries its items; request `includedData=FULFILLMENT`). Throws the
 * core's InvalidInputError naming the payload field when a required field is missing or malformed.
 * @example
 * const input = orderInputFromSpApi(getOrderResponse.payload, getOrderItemsResponse.payload);
 * const { snapshot } = createOrder(input);
 */
export function orderInputFromSpApi(order: unknown, orderItems?: unknown): OrderInput {
  const parsed = parseOrder(order, orderItems);
  if (parsed.version === 'v0') {
    const { order: o, items } = parsed;
    const channel = o.FulfillmentChannel ?? 'MFN';
    if (items.length === 0) throw invalid(SUBJECT, 'orderItems', 'must list at least one item');
    items.forEach((item, index) => {
      if (item.QuantityOrdered < 1) {
        throw invalid(
          SUBJECT,
          `orderItems.${index}.QuantityOrdered`,
          'must be at least 1 to start an order',
          item.QuantityOrdered,
        );
      }
    });
    return {
      orderId: o.AmazonOrderId,
      placedAt: ms(o.PurchaseDate),
      // Optional in Amazon's model (none for Fulfilled-by-Amazon orders): without it there is no auto-cancel yet.
      ...(o.LatestShipDate === undefined ? {} : { latestShipDate: ms(o.LatestShipDate) }),
      items: items.map((item) => ({
        orderItemId: item.OrderItemId,
        ...(item.SellerSKU ? { sku: item.SellerSKU } : {}),
        quantity: item.QuantityOrdered,
      })),
      fulfillmentChannel: channel,
      ...(o.MarketplaceId ? { marketplaceId: o.MarketplaceId } : {}),
    };
  }
  const o = parsed.order;
  if (!o.fulfillment) {
    throw invalid(
      SUBJECT,
      'fulfillment',
      'is required to start an order: request the order with includedData=FULFILLMENT',
    );
  }
  const channel = o.fulfillment.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN';
  // Optional in Amazon's model: an order without its ship-by window has no auto-cancel deadline until a later
  // pull (eventsFromSpApi's marketplace.statusReported) brings one.
  const latest = o.fulfillment.shipByWindow?.latestDateTime;
  if (o.orderItems.length === 0) throw invalid(SUBJECT, 'orderItems', 'must list at least one item');
  o.orderItems.forEach((item, index) => {
    if (item.quantityOrdered < 1) {
      throw invalid(
        SUBJECT,
        `orderItems.${index}.quantityOrdered`,
        'must be at least 1 to start an order',
        item.quantityOrdered,
      );
    }
  });
  return {
    orderId: o.orderId,
    placedAt: ms(o.createdTime),
    ...(latest === undefined ? {} : { latestShipDate: ms(latest) }),
    items: o.orderItems.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.product.sellerSku ? { sku: item.product.sellerSku } : {}),
      quantity: item.quantityOrdered,
    })),
    fulfillmentChannel: channel,
    ...(o.salesChannel.marketplaceId ? { marketplaceId: o.salesChannel.marketplaceId } : {}),
  };
}

const isFlagged = (flag: boolean | 'true' | 'false' | undefined): boolean => flag === true || flag === 'true';

/** An official request for one item; its id names the order, the item and the change, never the time. */
function requestEvent(orderId: string, orderItemId: string, at: number, reason: string | undefined): AmazonOrderEvent {
  return {
    type: 'buyer.requestCancellation',
    at,
    source: 'order-flag',
    orderItemIds: [orderItemId],
    ...(reason ? { reason: fitText(reason) } : {}),
    eventId: eventIdOf(NAMESPACE, orderId, 'buyer-request', orderItemId),
  };
}

function canceledFact(
  orderId: string,
  at: number,
  cancelledBy: OrderCanceledFact['cancelledBy'],
  reason?: string,
): AmazonOrderEvent {
  return {
    type: 'marketplace.orderCanceled',
    at,
    cancelledBy,
    ...(reason ? { reason } : {}),
    eventId: eventIdOf(NAMESPACE, orderId, 'canceled'),
  };
}

/**
 * Shipped in full, or some items: `items` are the units shipped in all so far (Amazon's `QuantityShipped`,
 * `quantityFulfilled`); the id names them, so that a later, fuller shipment is a new fact.
 */
function shippedFact(orderId: string, at: number, items?: ItemQuantity[]): AmazonOrderEvent {
  if (!items) return { type: 'marketplace.orderShipped', at, eventId: eventIdOf(NAMESPACE, orderId, 'shipped') };
  const shipped = items.map((item) => `${item.orderItemId}=${item.quantity}`).join(',');
  return { type: 'marketplace.orderShipped', at, items, eventId: eventIdOf(NAMESPACE, orderId, 'shipped', shipped) };
}

/**
 * Amazon's word on readiness: Pending (payment not authorized, not ready for shipment) holds the order; Unshipped
 * lets the seller ship and cancel at once, whatever the buyer's window. It carries the latest ship date, so an
 * order that started without one learns it.
 */
function statusFact(
  orderId: string,
  at: number,
  status: StatusReportedFact['status'],
  latestShipDate: string | undefined,
): AmazonOrderEvent {
  return {
    type: 'marketplace.statusReported',
    at,
    status,
    ...(latestShipDate === undefined ? {} : { latestShipDate: ms(latestShipDate) }),
    // Like every id, it names the change, not the time; a report older than the one the order follows changes nothing.
    eventId: eventIdOf(
      NAMESPACE,
      orderId,
      'status',
      status,
      ...(latestShipDate === undefined ? [] : [String(ms(latestShipDate))]),
    ),
  };
}

/** Amazon Easy Ship statuses from `PendingPickUp` on: a pickup is scheduled, so a label exists. */
const easyShipLabelled = new Set<EasyShipShipmentStatus>(
  EasyShipShipmentStatus.options.filter((status) => status !== 'PendingSchedule' && status !== 'LabelCanceled'),
);

/** An Easy Ship pickup (a label Amazon bought for the seller); judged by the rules like the seller's own label. */
function easyShipLabel(orderId: string, at: number, status: EasyShipShipmentStatus | undefined): AmazonOrderEvent[] {
  if (status === undefined || !easyShipLabelled.has(status)) return [];
  return [{ type: 'seller.generateLabel', at, eventId: eventIdOf(NAMESPACE, orderId, 'easy-ship-label') }];
}

/** What an Orders v0 status says: readiness, shipment or cancellation (v0 does not say who cancelled). */
function factsOfV0Status(
  orderId: string,
  status: OrderStatusV0,
  at: number,
  shipped: ItemQuantity[],
  latestShipDate: string | undefined,
): AmazonOrderEvent[] {
  switch (status) {
    case 'Shipped':
    case 'InvoiceUnconfirmed':
      return [shippedFact(orderId, at)];
    case 'PartiallyShipped':
      return [
        statusFact(orderId, at, 'unshipped', latestShipDate),
        ...(shipped.length ? [shippedFact(orderId, at, shipped)] : []),
      ];
    case 'Canceled':
      // Orders v0 does not say who cancelled: the metrics report such a cancellation as unattributed.
      return [canceledFact(orderId, at, 'unknown')];
    case 'Unfulfillable':
      return [canceledFact(orderId, at, 'amazon', 'Unfulfillable')];
    case 'Pending':
    case 'PendingAvailability':
      return [statusFact(orderId, at, 'pending', latestShipDate)];
    case 'Unshipped':
      return [statusFact(orderId, at, 'unshipped', latestShipDate)];
  }
}

const cancelledByOf: Record<CancelledBy2026, OrderCanceledFact['cancelledBy']> = {
  BUYER: 'buyer',
  MERCHANT: 'seller',
  AMAZON: 'amazon',
};

/**
 * A v2026 cancellation fact: who executed it and why. A merchant's cancel of an item the buyer asked to cancel
 * (`cancellationRequest.requester` BUYER) is a buyer-requested cancel, `BuyerCanceled`, which does not count
 * against the Cancellation Rate; Amazon's free-text reason is kept as the record's note.
 */
function cancellationOf2026(
  item: SpApiOrder2026['orderItems'][number] | undefined,
  fallback: { by: OrderCanceledFact['cancelledBy']; reason?: string } = { by: 'unknown' },
): Pick<OrderCanceledFact, 'cancelledBy' | 'reason' | 'note'> {
  const execution = item?.cancellation?.cancellationExecution;
  const cancelledBy = execution?.cancelledBy === undefined ? fallback.by : cancelledByOf[execution.cancelledBy];
  const fallbackReason = fallback.reason;
  const sent = execution?.cancelReason ?? fallbackReason;
  const text = sent === undefined ? undefined : fitText(sent);
  if (cancelledBy === 'seller' && item?.cancellation?.cancellationRequest?.requester === 'BUYER') {
    return { cancelledBy, reason: 'BuyerCanceled', ...(text ? { note: text } : {}) };
  }
  return { cancelledBy, ...(text ? { reason: text } : {}) };
}

/** v2026 `fulfillmentStatus` readiness: PENDING and PENDING_AVAILABILITY hold the order, the others free it. */
const readinessOf2026: Partial<Record<FulfillmentStatus2026, StatusReportedFact['status']>> = {
  PENDING: 'pending',
  PENDING_AVAILABILITY: 'pending',
  UNSHIPPED: 'unshipped',
  PARTIALLY_SHIPPED: 'unshipped',
};

function eventsOf2026(o: SpApiOrder2026): AmazonOrderEvent[] {
  const at = ms(o.lastUpdatedTime);
  const events: AmazonOrderEvent[] = [];
  for (const item of o.orderItems) {
    const request = item.cancellation?.cancellationRequest;
    if (request?.requester === 'BUYER')
      events.push(requestEvent(o.orderId, item.orderItemId, at, request.cancelReason));
  }
  const status: FulfillmentStatus2026 | undefined = o.fulfillment?.fulfillmentStatus;
  const readiness = status === undefined ? undefined : readinessOf2026[status];
  if (readiness) events.push(statusFact(o.orderId, at, readiness, o.fulfillment?.shipByWindow?.latestDateTime));
  // What shipped comes first: a cancelled line cancels only what did not ship of it.
  const shipTimes = (o.packages ?? []).flatMap((pkg) => (pkg.shipTime ? [ms(pkg.shipTime)] : []));
  const shippedAt = shipTimes.length ? Math.max(...shipTimes) : at;
  const fulfilled = (item: SpApiOrder2026['orderItems'][number]) => item.fulfillment?.quantityFulfilled ?? 0;
  const shipped = o.orderItems
    .filter((item) => fulfilled(item) > 0)
    .map((item) => ({ orderItemId: item.orderItemId, quantity: fulfilled(item) }));
  const executed = o.orderItems.filter((item) => item.cancellation?.cancellationExecution);
  // A SHIPPED order shipped every open unit, unless some lines were cancelled: then what Amazon counted as fulfilled.
  if (status === 'SHIPPED' && (!executed.length || !shipped.length)) events.push(shippedFact(o.orderId, shippedAt));
  else if ((status === 'SHIPPED' || status === 'PARTIALLY_SHIPPED') && shipped.length)
    events.push(shippedFact(o.orderId, shippedAt, shipped));
  if (status === 'CANCELLED' || status === 'UNFULFILLABLE') {
    // Amazon itself finds an order unfulfillable; who cancelled otherwise is what the execution says, or unknown.
    const cancellation = cancellationOf2026(
      executed[0],
      status === 'UNFULFILLABLE' ? { by: 'amazon', reason: 'Unfulfillable' } : { by: 'unknown' },
    );
    events.push({
      type: 'marketplace.orderCanceled',
      at,
      ...cancellation,
      eventId: eventIdOf(NAMESPACE, o.orderId, 'canceled'),
    });
  } else {
    // Item-level cancellations of an order that goes on: one fact per cancelled line, of what did not ship of it.
    for (const item of executed) {
      const quantity = item.quantityOrdered - fulfilled(item);
      if (quantity <= 0) continue;
      events.push({
        type: 'marketplace.orderCanceled',
        at,
        ...cancellationOf2026(item),
        items: [{ orderItemId: item.orderItemId, quantity }],
        eventId: eventIdOf(NAMESPACE, o.orderId, 'canceled', item.orderItemId),
      });
    }
  }
  return events;
}

/**
 * The official requests and marketplace facts an SP-API order shows now, each with a deterministic
 * `eventId` (order, item and change), so applying the result of the same pull twice changes nothing: official
 * requests, Amazon's word on readiness (Pending or Unshipped, with the latest ship date), an Easy Ship pickup's
 * label, and what shipped or was cancelled. Takes the same arguments as `orderInputFromSpApi`.
 * @example
 * for (const event of eventsFromSpApi(order, items)) snapshot = applyEvent(snapshot, event).snapshot;
 */
export function eventsFromSpApi(order: unknown, orderItems?: unknown): AmazonOrderEvent[] {
  const parsed = parseOrder(order, orderItems);
  if (parsed.version === 'v2026') return eventsOf2026(parsed.order);
  const { order: o, items } = parsed;
  const at = ms(o.LastUpdateDate);
  const requests = items
    .filter((item) => isFlagged(item.BuyerRequestedCancel?.IsBuyerRequestedCancel))
    .map((item) => requestEvent(o.AmazonOrderId, item.OrderItemId, at, item.BuyerRequestedCancel?.BuyerCancelReason));
  const shipped = items
    .filter((item) => (item.QuantityShipped ?? 0) > 0)
    .map((item) => ({ orderItemId: item.OrderItemId, quantity: item.QuantityShipped! }));
  const [ready, ...facts] = factsWithReadinessFirst(
    factsOfV0Status(o.AmazonOrderId, o.OrderStatus, at, shipped, o.LatestShipDate),
  );
  return [
    ...requests,
    ...(ready ? [ready] : []),
    ...easyShipLabel(o.AmazonOrderId, at, o.EasyShipShipmentStatus),
    ...facts,
  ];
}

/** The readiness fact first (a label is judged once Amazon has said Unshipped), then the others; undefined when none. */
function factsWithReadinessFirst(facts: AmazonOrderEvent[]): [AmazonOrderEvent | undefined, ...AmazonOrderEvent[]] {
  const ready = facts.find((fact) => fact.type === 'marketplace.statusReported');
  return [ready, ...facts.filter((fact) => fact !== ready)];
}

/**
 * The order id, the change and the events of an ORDER_CHANGE notification: an official request for every item with
 * `IsBuyerRequestedCancel`, Amazon's word on readiness, an Easy Ship pickup's label, and the facts its
 * `Summary.OrderStatus` reports. `changeType` and `changeReason` are why Amazon sent the notification (e.g.
 * "Buyer Requested Cancel"), not the buyer's own reason, which the notification does not carry. Event ids match
 * those of `eventsFromSpApi`, so a notification and a later pull of the same change apply once.
 * @example
 * const { orderId, events } = eventsFromNotification(JSON.parse(message.Body));
 * for (const event of events) await service.apply(orderId, event, { idempotencyKey: event.eventId });
 */
export function eventsFromNotification(notification: unknown): {
  orderId: string;
  changeType: OrderChangeType;
  changeReason: string;
  events: AmazonOrderEvent[];
} {
  const parsed = parseAmazon(OrderChangeNotification, notification, 'ORDER_CHANGE notification');
  const change = parsed.Payload.OrderChangeNotification;
  const orderId = change.AmazonOrderId;
  const at = ms(change.OrderChangeTrigger.TimeOfOrderChange ?? parsed.EventTime);
  const items = change.Summary.OrderItems;
  const requests = items
    .filter((item) => isFlagged(item.IsBuyerRequestedCancel))
    .map((item) => requestEvent(orderId, item.OrderItemId, at, undefined));
  const shipped = items
    .filter((item) => (item.QuantityShipped ?? 0) > 0)
    .map((item) => ({ orderItemId: item.OrderItemId, quantity: item.QuantityShipped! }));
  const [ready, ...facts] = factsWithReadinessFirst(
    factsOfV0Status(orderId, change.Summary.OrderStatus, at, shipped, change.Summary.LatestShipDate),
  );
  return {
    orderId,
    changeType: change.OrderChangeType,
    changeReason: change.OrderChangeTrigger.ChangeReason,
    events: [
      ...requests,
      ...(ready ? [ready] : []),
      ...easyShipLabel(orderId, at, change.Summary.EasyShipShipmentStatus),
      ...facts,
    ],
  };
}

/** An order's status as Amazon shows it: Orders v0 `OrderStatus` and Orders v2026-01-01 `fulfillmentStatus`. */
export interface SpApiStatus {
  v0: OrderStatusV0;
  v2026: FulfillmentStatus2026;
}

/** What Amazon shows for each local state, in Orders v0 and v2026-01-01 terms. */
const statusTable: Record<OrderStatus, SpApiStatus> = {
  'buyer-cancellable': { v0: 'Pending', v2026: 'PENDING' },
  unshipped: { v0: 'Unshipped', v2026: 'UNSHIPPED' },
  // Buying a label does not change Amazon's order status: the order stays unshipped until confirmed.
  'label-generated': { v0: 'Unshipped', v2026: 'UNSHIPPED' },
  shipped: { v0: 'Shipped', v2026: 'SHIPPED' },
  canceled: { v0: 'Canceled', v2026: 'CANCELLED' },
  'auto-canceled': { v0: 'Canceled', v2026: 'CANCELLED' },
};
const partiallyShipped: SpApiStatus = { v0: 'PartiallyShipped', v2026: 'PARTIALLY_SHIPPED' };

/**
 * The SP-API status Amazon shows for an order in the local state of `snapshot`, in Orders v0
 * (`OrderStatus`) and Orders v2026-01-01 (`fulfillmentStatus`) terms: an open order some of whose units shipped is
 * `PartiallyShipped` / `PARTIALLY_SHIPPED`.
 * @example
 * spApiStatus(createOrder(input).snapshot); // { v0: 'Pending', v2026: 'PENDING' }
 */
export function spApiStatus(
  snapshot: Pick<OrderSnapshot, 'value'> & {
    context?: { items: ReadonlyArray<{ quantityShipped: number }>; marketplaceStatus?: string | null };
  },
): SpApiStatus {
  const status = orderStatus(snapshot);
  const open = status === 'buyer-cancellable' || status === 'unshipped' || status === 'label-generated';
  if (open && snapshot.context?.items.some((item) => item.quantityShipped > 0)) return { ...partiallyShipped };
  // Amazon's own word wins while the order is open: a labelled order it reports Pending is Pending there.
  if (open && snapshot.context?.marketplaceStatus === 'pending') return { ...statusTable['buyer-cancellable'] };
  return { ...statusTable[status] };
}
