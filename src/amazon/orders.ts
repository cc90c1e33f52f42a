import { z } from 'zod';
import { orderStatus, type OrderInput, type OrderSnapshot, type OrderStatus } from '../index.js';
import { eventIdOf, type AmazonOrderEvent, type ItemQuantity, type OrderCanceledFact } from './events.js';
import { invalid, parseAmazon } from './parse.js';
import {
  OrderChangeNotification,
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
  | { version: 'v0'; order: SpApiOrderV0; items: SpApiOrderItemV0[] }
  | { version: 'v2026'; order: SpApiOrder2026 };

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
      throw invalid(SUBJECT, 'orderItems.AmazonOrderId', `belongs to another order than ${parsed.AmazonOrderId}`, items.AmazonOrderId);
    }
    return { version: 'v0', order: parsed, items: Array.isArray(items) ? items : items.OrderItems };
  }
  if (value && typeof value === 'object' && 'orderId' in value) {
    return { version: 'v2026', order: parseAmazon(SpApiOrder2026, value, SUBJECT) };
  }
  throw invalid(SUBJECT, 'AmazonOrderId', 'expected an Orders v0 order (AmazonOrderId) or an Orders v2026-01-01 order (orderId)', value);
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
    if (channel === 'MFN' && o.LatestShipDate === undefined) {
      throw invalid(SUBJECT, 'LatestShipDate', 'is required for a seller-fulfilled (MFN) order: the auto-cancel deadline is counted from it');
    }
    if (items.length === 0) throw invalid(SUBJECT, 'orderItems', 'must list at least one item');
    items.forEach((item, index) => {
      if (item.QuantityOrdered < 1) {
        throw invalid(SUBJECT, `orderItems.${index}.QuantityOrdered`, 'must be at least 1 to start an order', item.QuantityOrdered);
      }
    });
    return {
      orderId: o.AmazonOrderId,
      placedAt: ms(o.PurchaseDate),
      // Amazon returns no LatestShipDate for Fulfilled-by-Amazon orders, which have no auto-cancel anyway.
      latestShipDate: ms(o.LatestShipDate ?? o.PurchaseDate),
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
    throw invalid(SUBJECT, 'fulfillment', 'is required to start an order: request the order with includedData=FULFILLMENT');
  }
  const channel = o.fulfillment.fulfilledBy === 'AMAZON' ? 'AFN' : 'MFN';
  const latest = o.fulfillment.shipByWindow?.latestDateTime;
  if (channel === 'MFN' && latest === undefined) {
    throw invalid(SUBJECT, 'fulfillment.shipByWindow.latestDateTime', 'is required for a merchant-fulfilled order: the auto-cancel deadline is counted from it');
  }
  if (o.orderItems.length === 0) throw invalid(SUBJECT, 'orderItems', 'must list at least one item');
  o.orderItems.forEach((item, index) => {
    if (item.quantityOrdered < 1) {
      throw invalid(SUBJECT, `orderItems.${index}.quantityOrdered`, 'must be at least 1 to start an order', item.quantityOrdered);
    }
  });
  return {
    orderId: o.orderId,
    placedAt: ms(o.createdTime),
    latestShipDate: ms(latest ?? o.createdTime),
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
    ...(reason ? { reason } : {}),
    eventId: eventIdOf(NAMESPACE, orderId, 'buyer-request', orderItemId),
  };
}

function canceledFact(orderId: string, at: number, cancelledBy: OrderCanceledFact['cancelledBy'], reason?: string): AmazonOrderEvent {
  return {
    type: 'marketplace.orderCanceled',
    at,
    cancelledBy,
    ...(reason ? { reason } : {}),
    eventId: eventIdOf(NAMESPACE, orderId, 'canceled'),
  };
}

/** Shipped in full, or some items: the id names what shipped so that a later, fuller shipment is a new fact. */
function shippedFact(orderId: string, at: number, items?: ItemQuantity[]): AmazonOrderEvent {
  if (!items) return { type: 'marketplace.orderShipped', at, eventId: eventIdOf(NAMESPACE, orderId, 'shipped') };
  const shipped = items.map((item) => `${item.orderItemId}=${item.quantity}`).join(',');
  return { type: 'marketplace.orderShipped', at, items, eventId: eventIdOf(NAMESPACE, orderId, 'shipped', shipped) };
}

/** What an Orders v0 status says has happened to the whole order (v0 does not say who cancelled). */
function factsOfV0Status(orderId: string, status: OrderStatusV0, at: number, shipped: ItemQuantity[]): AmazonOrderEvent[] {
  switch (status) {
    case 'Shipped':
    case 'InvoiceUnconfirmed':
      return [shippedFact(orderId, at)];
    case 'PartiallyShipped':
      return shipped.length ? [shippedFact(orderId, at, shipped)] : [];
    case 'Canceled':
      return [canceledFact(orderId, at, 'amazon')];
    case 'Unfulfillable':
      return [canceledFact(orderId, at, 'amazon', 'Unfulfillable')];
    case 'Pending':
    case 'PendingAvailability':
    case 'Unshipped':
      return [];
  }
}

const cancelledByOf: Record<string, OrderCanceledFact['cancelledBy']> = { BUYER: 'buyer', MERCHANT: 'seller', AMAZON: 'amazon' };

function eventsOf2026(o: SpApiOrder2026): AmazonOrderEvent[] {
  const at = ms(o.lastUpdatedTime);
  const events: AmazonOrderEvent[] = [];
  for (const item of o.orderItems) {
    const request = item.cancellation?.cancellationRequest;
    if (request?.requester === 'BUYER') events.push(requestEvent(o.orderId, item.orderItemId, at, request.cancelReason));
  }
  const status: FulfillmentStatus2026 | undefined = o.fulfillment?.fulfillmentStatus;
  const executed = o.orderItems.filter((item) => item.cancellation?.cancellationExecution);
  if (status === 'CANCELLED' || status === 'UNFULFILLABLE') {
    const execution = executed[0]?.cancellation?.cancellationExecution;
    const by = cancelledByOf[execution?.cancelledBy ?? ''] ?? 'amazon';
    events.push(canceledFact(o.orderId, at, by, execution?.cancelReason ?? (status === 'UNFULFILLABLE' ? 'Unfulfillable' : undefined)));
  } else {
    // Item-level cancellations of an order that goes on: one fact per cancelled line.
    for (const item of executed) {
      const execution = item.cancellation!.cancellationExecution!;
      events.push({
        type: 'marketplace.orderCanceled',
        at,
        cancelledBy: cancelledByOf[execution.cancelledBy ?? ''] ?? 'amazon',
        ...(execution.cancelReason ? { reason: execution.cancelReason } : {}),
        items: [{ orderItemId: item.orderItemId, quantity: item.quantityOrdered }],
        eventId: eventIdOf(NAMESPACE, o.orderId, 'canceled', item.orderItemId),
      });
    }
  }
  const shipTimes = (o.packages ?? []).flatMap((pkg) => (pkg.shipTime ? [ms(pkg.shipTime)] : []));
  const shippedAt = shipTimes.length ? Math.max(...shipTimes) : at;
  if (status === 'SHIPPED') events.push(shippedFact(o.orderId, shippedAt));
  if (status === 'PARTIALLY_SHIPPED') {
    const shipped = o.orderItems
      .filter((item) => (item.fulfillment?.quantityFulfilled ?? 0) > 0)
      .map((item) => ({ orderItemId: item.orderItemId, quantity: item.fulfillment!.quantityFulfilled! }));
    if (shipped.length) events.push(shippedFact(o.orderId, shippedAt, shipped));
  }
  return events;
}

/**
 * The official requests and marketplace facts an SP-API order shows now, each with a deterministic
 * `eventId` (order, item and change), so applying the result of the same pull twice changes nothing.
 * Takes the same arguments as `orderInputFromSpApi`.
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
  return [...requests, ...factsOfV0Status(o.AmazonOrderId, o.OrderStatus, at, shipped)];
}

/**
 * The order id and the events of an ORDER_CHANGE notification: an official request for every item with
 * `IsBuyerRequestedCancel`, and the facts its `Summary.OrderStatus` reports. Event ids match those of
 * `eventsFromSpApi`, so a notification and a later pull of the same change apply once.
 * @example
 * const { orderId, events } = eventsFromNotification(JSON.parse(message.Body));
 * for (const event of events) await service.apply(orderId, event, { idempotencyKey: event.eventId });
 */
export function eventsFromNotification(notification: unknown): { orderId: string; events: AmazonOrderEvent[] } {
  const parsed = parseAmazon(OrderChangeNotification, notification, 'ORDER_CHANGE notification');
  const change = parsed.Payload.OrderChangeNotification;
  const orderId = change.AmazonOrderId;
  const at = ms(change.OrderChangeTrigger.TimeOfOrderChange ?? parsed.EventTime);
  const items = change.Summary.OrderItems;
  const requests = items
    .filter((item) => isFlagged(item.IsBuyerRequestedCancel))
    .map((item) => requestEvent(orderId, item.OrderItemId, at, change.OrderChangeTrigger.ChangeReason));
  const shipped = items
    .filter((item) => (item.QuantityShipped ?? 0) > 0)
    .map((item) => ({ orderItemId: item.OrderItemId, quantity: item.QuantityShipped! }));
  return { orderId, events: [...requests, ...factsOfV0Status(orderId, change.Summary.OrderStatus, at, shipped)] };
}

/** What Amazon shows for each local state, in Orders v0 and v2026-01-01 terms. */
const statusTable: Record<OrderStatus, { v0: OrderStatusV0; v2026: FulfillmentStatus2026 }> = {
  'buyer-cancellable': { v0: 'Pending', v2026: 'PENDING' },
  unshipped: { v0: 'Unshipped', v2026: 'UNSHIPPED' },
  // Buying a label does not change Amazon's order status: the order stays unshipped until confirmed.
  'label-generated': { v0: 'Unshipped', v2026: 'UNSHIPPED' },
  shipped: { v0: 'Shipped', v2026: 'SHIPPED' },
  canceled: { v0: 'Canceled', v2026: 'CANCELLED' },
  'auto-canceled': { v0: 'Canceled', v2026: 'CANCELLED' },
};

/**
 * The SP-API status Amazon shows for an order in the local state of `snapshot`, in Orders v0
 * (`OrderStatus`) and Orders v2026-01-01 (`fulfillmentStatus`) terms.
 * @example
 * spApiStatus(createOrder(input).snapshot); // { v0: 'Pending', v2026: 'PENDING' }
 */
export function spApiStatus(snapshot: Pick<OrderSnapshot, 'value'>): { v0: OrderStatusV0; v2026: FulfillmentStatus2026 } {
  return { ...statusTable[orderStatus(snapshot)] };
}
