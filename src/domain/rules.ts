import {
  CancelReason,
  type Cancellation,
  type ItemQuantity,
  type OrderContext,
  type OrderStatus,
  type ParsedOrderEvent,
} from './schemas.js';
import type { Message, MessageParams, OutcomeKey, RefusalCode } from './messages.js';
import { isOfficialRequest } from './subject.js';
import { hasBuyerWindowClosedAt } from './deadlines.js';

/**
 * The answer to an event: accepted, or refused with a code; both with a message in en and zh-CN. `late` is set
 * when the event's own instant was before the order's clock (it was judged and recorded at the clock),
 * `duplicate` when its `eventId` had been applied before (nothing changed).
 */
export interface Verdict {
  accepted: boolean;
  code?: RefusalCode;
  message: Message;
  late?: true;
  duplicate?: true;
  /** A marketplace fact contradicted the local history: it was applied over `overrode` (or, on an ended order, could not be). */
  conflict?: true;
  overrode?: OrderStatus;
}

/**
 * A rule's answer as data: accepted with the `outcome` it names, or refused with a `code` (`variant` picks the
 * code's wording for a situation); `params` are the values its words mention. The words themselves are rendered
 * where a `Verdict` is made, from the locales' tables.
 * @example
 * judge(order, 'label-generated', { type: 'seller.cancel', at, reason: 'NoInventory' }); // { accepted: false, code: 'LABEL_GENERATED', params: { … } }
 */
export type Ruling =
  | { accepted: true; outcome: OutcomeKey; params: MessageParams; conflict?: true; overrode?: OrderStatus }
  | { accepted: false; code: RefusalCode; variant?: string; params: MessageParams };

type EventOf<T extends ParsedOrderEvent['type']> = Extract<ParsedOrderEvent, { type: T }>;

const accept = (outcome: OutcomeKey, params: MessageParams = {}): Ruling => ({ accepted: true, outcome, params });
const refuse = (order: OrderContext, code: RefusalCode, params: MessageParams = {}, variant?: string): Ruling => ({
  accepted: false,
  code,
  ...(variant === undefined ? {} : { variant }),
  params: { ...orderParams(order), ...params },
});

/** What every message about an order may mention: its own window length and time zone. */
function orderParams(order: OrderContext): MessageParams {
  const params: MessageParams = { windowMs: order.buyerCancelUntil - order.placedAt, offset: order.utcOffsetMinutes };
  if (order.autoCancelAt !== null && order.latestShipDate !== null)
    params['autoCancelMs'] = order.autoCancelAt - order.latestShipDate;
  return params;
}

/**
 * The instant at which an order judges and records an event: the event's own `at`, or the order's clock when
 * the event arrives late. Time never runs backwards for an order.
 * @example
 * judgedAt(order, { type: 'seller.cancel', at: order.clock - 60_000, reason: 'NoInventory' }) === order.clock; // true
 */
export function judgedAt(order: Pick<OrderContext, 'clock'>, event: { at: number }): number {
  return event.at < order.clock ? order.clock : event.at;
}

/** Whether the event's own instant is earlier than the order's clock. */
export function isLate(order: Pick<OrderContext, 'clock'>, event: { at: number }): boolean {
  return event.at < order.clock;
}

/** Whether the event happened before the order was placed. */
export function isBeforePlacement(order: OrderContext, event: { at: number }): boolean {
  return event.at < order.placedAt;
}

/** Whether the order has already applied an event with this event's `eventId`. */
export function hasApplied(order: Pick<OrderContext, 'eventIds'>, event: { eventId?: string | undefined }): boolean {
  return event.eventId !== undefined && order.eventIds.includes(event.eventId);
}

/** Refusals that hold for every event type: before placement, or on an order that is already final. */
function refuseForTimeOrFinalState(
  order: OrderContext,
  status: OrderStatus,
  event: ParsedOrderEvent,
): Ruling | undefined {
  if (isBeforePlacement(order, event))
    return refuse(order, 'EVENT_BEFORE_PLACEMENT', { at: event.at, placedAt: order.placedAt });
  if (event.type === 'clock.tick') return undefined;
  if (status === 'shipped') return refuse(order, 'ALREADY_SHIPPED');
  if (status === 'auto-canceled') return refuse(order, 'ALREADY_CANCELED', {}, 'auto');
  if (status === 'canceled') return refuse(order, 'ALREADY_CANCELED');
  return undefined;
}

/** The units of an item neither cancelled nor shipped: ordered = cancelled + shipped + open. */
const openQuantity = (item: OrderContext['items'][number]): number =>
  item.quantity - item.quantityCanceled - item.quantityShipped;

/** The open (neither cancelled nor shipped) quantity of each item, in order; items with none left out. */
export function remainingItems(order: OrderContext): ItemQuantity[] {
  const left: ItemQuantity[] = [];
  for (const item of order.items) {
    const quantity = openQuantity(item);
    if (quantity > 0) left.push({ orderItemId: item.orderItemId, quantity });
  }
  return left;
}

/**
 * Each listed item's quantity by its id, filled by a loop (a Map built from `[id, quantity]` pairs makes an array
 * per item, and its constructor's iteration slows down once a process has seen lists of many shapes).
 * @example
 * quantitiesById([{ orderItemId: 'A', quantity: 2 }]).get('A'); // 2
 */
export function quantitiesById(items: readonly ItemQuantity[]): Map<string, number> {
  const byId = new Map<string, number>();
  for (const entry of items) byId.set(entry.orderItemId, entry.quantity);
  return byId;
}

/** Whether no unit of the order is open: each is cancelled or shipped. */
export function hasNothingLeft(order: OrderContext): boolean {
  return order.items.every((item) => openQuantity(item) <= 0);
}

/** Whether some unit of the order has been ship-confirmed. */
export function hasShippedAny(order: OrderContext): boolean {
  return order.items.some((item) => item.quantityShipped > 0);
}

/** Whether the marketplace says the order is Pending: the seller can neither ship nor cancel it. */
export function isMarketplacePending(order: Pick<OrderContext, 'marketplaceStatus'>): boolean {
  return order.marketplaceStatus === 'pending';
}

/** The items a shipment confirmation names, or every open unit when it names none. */
export function itemsToShip(order: OrderContext, event: EventOf<'seller.confirmShipment'>): ItemQuantity[] {
  return event.items ?? remainingItems(order);
}

/**
 * The units a marketplace shipment fact adds: it reports how many of each item shipped in all, so each item ships
 * up to that total, never more than is open. Without items, every open unit shipped.
 * @example
 * shippedByFact(order, { type: 'marketplace.orderShipped', at, items: [{ orderItemId: 'A', quantity: 1 }] });
 */
export function shippedByFact(order: OrderContext, event: EventOf<'marketplace.orderShipped'>): ItemQuantity[] {
  if (!event.items) return remainingItems(order);
  const known = itemIndex(order);
  const shipped: ItemQuantity[] = [];
  for (const reported of event.items) {
    const item = known.get(reported.orderItemId);
    if (!item) continue;
    const quantity = Math.min(reported.quantity - item.quantityShipped, openQuantity(item));
    if (quantity > 0) shipped.push({ orderItemId: item.orderItemId, quantity });
  }
  return shipped;
}

/** The items a seller cancel names, or every remaining quantity when it names none. */
export function itemsToCancel(order: OrderContext, event: EventOf<'seller.cancel'>): ItemQuantity[] {
  return event.items ?? remainingItems(order);
}

const itemIndexes = new WeakMap<OrderContext['items'], Map<string, OrderContext['items'][number]>>();

/**
 * The order's items by id, for lookups linear in what an event touches; built once per items list (a snapshot's
 * lists are never changed in place: a step that changes an item makes a new list).
 */
function itemIndex(order: OrderContext): Map<string, OrderContext['items'][number]> {
  let index = itemIndexes.get(order.items);
  if (!index) {
    index = new Map();
    for (const item of order.items) index.set(item.orderItemId, item);
    itemIndexes.set(order.items, index);
  }
  return index;
}

/**
 * A rule that remembers its last answer: the machine's guard and the verdict's wording judge the same event on
 * the same order and status one after the other, and an event may list a thousand items. Rulings are plain data
 * that nobody changes.
 */
function lastRuling<E>(rule: (order: OrderContext, status: OrderStatus, event: E) => Ruling) {
  let last: { order: OrderContext; status: OrderStatus; event: E; ruling: Ruling } | undefined;
  return (order: OrderContext, status: OrderStatus, event: E): Ruling => {
    if (last !== undefined && last.order === order && last.status === status && last.event === event)
      return last.ruling;
    const ruling = rule(order, status, event);
    last = { order, status, event, ruling };
    return ruling;
  };
}

function checkItemIds(order: OrderContext, ids: readonly string[]): Ruling | undefined {
  const known = itemIndex(order);
  const unknown = ids.find((id) => !known.has(id));
  return unknown === undefined
    ? undefined
    : refuse(order, 'UNKNOWN_ITEM', { orderItemId: unknown, orderId: order.orderId });
}

/** Items a cancel or a shipment names: each must be on the order and no more than is open (`variant` words it). */
function checkQuantities(order: OrderContext, items: readonly ItemQuantity[], variant?: 'ship'): Ruling | undefined {
  const known = itemIndex(order);
  const unknown = items.find((requested) => !known.has(requested.orderItemId));
  if (unknown) return refuse(order, 'UNKNOWN_ITEM', { orderItemId: unknown.orderItemId, orderId: order.orderId });
  for (const requested of items) {
    const item = known.get(requested.orderItemId)!;
    const remaining = openQuantity(item);
    if (requested.quantity > remaining) {
      return refuse(
        order,
        'QUANTITY_EXCEEDS_REMAINING',
        { orderItemId: item.orderItemId, requested: requested.quantity, remaining },
        variant,
      );
    }
  }
  return undefined;
}

/** Seller actions wait while the order is Pending: the buyer's window, or the marketplace's own word. */
function refuseWhilePending(order: OrderContext, status: OrderStatus): Ruling | undefined {
  if (status === 'buyer-cancellable' || isMarketplacePending(order))
    return refuse(order, 'ORDER_PENDING', {}, isMarketplacePending(order) ? 'marketplace' : undefined);
  return undefined;
}

/** The cancelled items that no official buyer request covers. */
function itemsWithoutOfficialRequest(order: OrderContext, items: readonly ItemQuantity[]): string[] {
  const requested = new Set(order.items.filter((item) => item.buyerRequestedCancel).map((item) => item.orderItemId));
  return items.filter((item) => !requested.has(item.orderItemId)).map((item) => item.orderItemId);
}

/**
 * Whether a cancellation counts against the seller's Cancellation Rate (DESIGN.md "Cancellation and
 * seller metrics"): never for Fulfilled-by-Amazon orders or the buyer's own cancel; for a seller cancel
 * with reason BuyerCanceled only when some cancelled item lacks an official request; always otherwise.
 * @example
 * countsAgainstRate(order, 'seller', 'NoInventory', [{ orderItemId: 'A', quantity: 1 }]); // true
 */
export function countsAgainstRate(
  order: OrderContext,
  by: Cancellation['by'],
  reason: Cancellation['reason'],
  items: readonly ItemQuantity[],
): boolean {
  if (order.fulfillmentChannel === 'AFN') return false;
  if (by === 'buyer') return false;
  if (by === 'system') return true;
  if (by === 'unknown') return false;
  if (reason !== 'BuyerCanceled') return true;
  return itemsWithoutOfficialRequest(order, items).length > 0;
}

/**
 * The buyer cancels in Your Orders: only inside the window, and before a label exists. The window is time alone:
 * an order the marketplace already reports Unshipped is still the buyer's to cancel until the window ends.
 */
export function judgeBuyerCancel(order: OrderContext, status: OrderStatus, event: EventOf<'buyer.cancel'>): Ruling {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status === 'label-generated') return refuse(order, 'LABEL_GENERATED', {}, 'buyer');
  if (hasBuyerWindowClosedAt(order, judgedAt(order, event))) return refuse(order, 'BUYER_WINDOW_CLOSED');
  return accept('buyerCanceled', orderParams(order));
}

/** Whether the same request (source, items and officialness) is already on record. */
export function isRepeatedRequest(order: OrderContext, event: EventOf<'buyer.requestCancellation'>): boolean {
  const official = isOfficialRequest(event);
  const ids = requestedItemIds(order, event);
  return order.requests.some(
    (request) =>
      request.source === event.source &&
      request.official === official &&
      request.orderItemIds.length === ids.length &&
      request.orderItemIds.every((id, index) => id === ids[index]),
  );
}

/** The items a request covers, sorted: the ones it names, or all of them. */
export function requestedItemIds(order: OrderContext, event: EventOf<'buyer.requestCancellation'>): string[] {
  return event.orderItemIds
    ? [...new Set(event.orderItemIds)].sort()
    : order.items.map((item) => item.orderItemId).sort();
}

/** A buyer's request is recorded while the order can still be cancelled; with a label it is answered "return it". */
export function judgeRequestCancellation(
  order: OrderContext,
  status: OrderStatus,
  event: EventOf<'buyer.requestCancellation'>,
): Ruling {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status === 'label-generated') return refuse(order, 'LABEL_GENERATED');
  const unknown = checkItemIds(order, event.orderItemIds ?? []);
  if (unknown) return unknown;
  const items = requestedItemIds(order, event);
  const all = items.length === order.items.length;
  const params = { items: items.join(', '), scope: all ? 'all' : 'some' };
  if (isRepeatedRequest(order, event)) return accept('requestAlreadyRecorded', params);
  return accept(isOfficialRequest(event) ? 'officialRequest' : 'nonStandardRequest', params);
}

/** The seller may cancel only an unshipped, seller-fulfilled order, and no more than remains of each item. */
export const judgeSellerCancel = lastRuling(function judgeSellerCancel(
  order: OrderContext,
  status: OrderStatus,
  event: EventOf<'seller.cancel'>,
): Ruling {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (order.fulfillmentChannel === 'AFN') return refuse(order, 'FULFILLED_BY_AMAZON');
  const pending = refuseWhilePending(order, status);
  if (pending) return pending;
  if (status === 'label-generated') return refuse(order, 'LABEL_GENERATED');
  const items = itemsToCancel(order, event);
  const invalid = checkQuantities(order, items);
  if (invalid) return invalid;
  const quantity = items.reduce((sum, item) => sum + item.quantity, 0);
  const params = { quantity, reason: event.reason };
  if (!countsAgainstRate(order, 'seller', event.reason, items)) return accept('sellerCanceledNotCounted', params);
  if (event.reason !== 'BuyerCanceled') return accept('sellerCanceledCounted', params);
  const uncovered = itemsWithoutOfficialRequest(order, items);
  const key = uncovered.length === items.length ? 'buyerCanceledWithoutRequest' : 'buyerCanceledPartlyRequested';
  return accept(key, { ...params, items: uncovered.join(', ') });
});

/** A label can be bought once the order leaves Pending and until it ships or is cancelled; Amazon ships AFN orders. */
export function judgeGenerateLabel(
  order: OrderContext,
  status: OrderStatus,
  event: EventOf<'seller.generateLabel'>,
): Ruling {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (order.fulfillmentChannel === 'AFN') return refuse(order, 'FULFILLED_BY_AMAZON', {}, 'ship');
  const pending = refuseWhilePending(order, status);
  if (pending) return pending;
  return accept('labelGenerated');
}

/** Voiding a label is allowed but does not reopen cancellation. */
export function judgeVoidLabel(order: OrderContext, status: OrderStatus, event: EventOf<'seller.voidLabel'>): Ruling {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (status !== 'label-generated') return refuse(order, 'NO_LABEL');
  return accept('labelVoided');
}

/**
 * Shipment can be confirmed once the order leaves Pending, for all open units or the ones a package holds; after
 * the latest ship date it is late; Amazon ships AFN orders.
 */
export const judgeConfirmShipment = lastRuling(function judgeConfirmShipment(
  order: OrderContext,
  status: OrderStatus,
  event: EventOf<'seller.confirmShipment'>,
): Ruling {
  const refused = refuseForTimeOrFinalState(order, status, event);
  if (refused) return refused;
  if (order.fulfillmentChannel === 'AFN') return refuse(order, 'FULFILLED_BY_AMAZON', {}, 'ship');
  const pending = refuseWhilePending(order, status);
  if (pending) return pending;
  const invalid = event.items && checkQuantities(order, event.items, 'ship');
  if (invalid) return invalid;
  return accept(isLateShipment(order, judgedAt(order, event)) ? 'shippedLate' : 'shipped');
});

/**
 * Whether a shipment confirmed at `at` is late (after the latest ship date); never for orders Amazon ships, nor
 * while the latest ship date is unknown. An order with several confirmations is late when any of them is.
 */
export function isLateShipment(
  order: Pick<OrderContext, 'fulfillmentChannel' | 'latestShipDate'>,
  at: number,
): boolean {
  return order.fulfillmentChannel !== 'AFN' && order.latestShipDate !== null && at > order.latestShipDate;
}

/** Time passing is always accepted, except before the order existed. */
function judgeClockTick(order: OrderContext, status: OrderStatus, event: EventOf<'clock.tick'>): Ruling {
  return (
    refuseForTimeOrFinalState(order, status, event) ??
    accept('timePassed', { ...orderParams(order), at: judgedAt(order, event), status })
  );
}

/**
 * The verdict of the package's rules on an event for an order in `status`, where `status` already reflects
 * every deadline up to the instant the event is judged at (`judgedAt`). The machine's guards call the same
 * functions; `applyEvent` reports the machine's own decision.
 * @example
 * judge(order, 'label-generated', { type: 'seller.cancel', at, reason: 'NoInventory' }).code; // 'LABEL_GENERATED'
 */
export function judge(order: OrderContext, status: OrderStatus, event: ParsedOrderEvent): Ruling {
  switch (event.type) {
    case 'buyer.cancel':
      return judgeBuyerCancel(order, status, event);
    case 'buyer.requestCancellation':
      return judgeRequestCancellation(order, status, event);
    case 'seller.cancel':
      return judgeSellerCancel(order, status, event);
    case 'seller.generateLabel':
      return judgeGenerateLabel(order, status, event);
    case 'seller.voidLabel':
      return judgeVoidLabel(order, status, event);
    case 'seller.confirmShipment':
      return judgeConfirmShipment(order, status, event);
    case 'clock.tick':
      return judgeClockTick(order, status, event);
    case 'marketplace.orderCanceled':
    case 'marketplace.orderShipped':
    case 'marketplace.statusReported':
      return judgeFact(order, status, event);
  }
}

type Fact =
  EventOf<'marketplace.orderCanceled'> | EventOf<'marketplace.orderShipped'> | EventOf<'marketplace.statusReported'>;

/** Whether the event is a fact the marketplace reports (applied, never judged). */
export function isFact(event: { type: string }): event is Fact {
  return event.type.startsWith('marketplace.');
}

/**
 * The cancellation record a marketplace's cancel fact makes: at the fact's own instant, of what it names (or
 * all that remains), who did it, and whether it counts against the Cancellation Rate: a buyer's cancel never,
 * an Amazon cancel only when it is the auto-cancel, a seller's as the rules say.
 * @example
 * marketplaceCancellation(order, { type: 'marketplace.orderCanceled', at, cancelledBy: 'buyer' }).countsAgainstRate; // false
 */
export function marketplaceCancellation(
  order: OrderContext,
  event: EventOf<'marketplace.orderCanceled'>,
): Cancellation {
  const remaining = remainingItems(order);
  const left = quantitiesById(remaining);
  const items = (event.items ?? remaining)
    .map((item) => ({
      orderItemId: item.orderItemId,
      quantity: Math.min(item.quantity, left.get(item.orderItemId) ?? 0),
    }))
    .filter((item) => item.quantity > 0);
  const known = CancelReason.safeParse(event.reason);
  // Nothing is the seller's doing while Amazon holds the order as Pending: no auto-cancel, no counted seller cancel.
  const pending = isMarketplacePending(order);
  const autoCancel =
    event.reason === 'NotShippedInTime' || (!pending && order.autoCancelAt !== null && event.at >= order.autoCancelAt);
  const by = event.cancelledBy === 'amazon' ? 'system' : event.cancelledBy;
  const reason =
    by === 'buyer'
      ? 'BuyerSelfCanceled'
      : by === 'seller'
        ? known.success
          ? known.data
          : 'MarketplaceCanceled'
        : autoCancel
          ? 'NotShippedInTime'
          : 'MarketplaceCanceled';
  // Whoever cancelled when nobody says is left out of the rate here; sellerMetrics reports it as unattributed.
  const counts =
    order.fulfillmentChannel !== 'AFN' &&
    (by === 'seller' ? !pending && countsAgainstRate(order, 'seller', reason, items) : by === 'system' && autoCancel);
  const note = event.note ?? (event.reason !== undefined && event.reason !== reason ? event.reason : undefined);
  return {
    by,
    reason,
    at: event.at,
    source: 'marketplace',
    ...(note === undefined ? {} : { note }),
    items,
    countsAgainstRate: counts,
  };
}

/** What the local rules would have said of the fact as a command: a refusal means the fact overrides them. */
function contradiction(order: OrderContext, status: OrderStatus, event: Fact): boolean {
  // A readiness report never contradicts: an ended order has outlived it, an open one follows it.
  if (event.type === 'marketplace.statusReported') return false;
  if (event.type === 'marketplace.orderShipped')
    return status === 'buyer-cancellable' || status === 'canceled' || status === 'auto-canceled';
  // A shipped order some of which was (or is just now being) cancelled agrees with a cancel.
  if (status === 'shipped') return !(order.cancellations.length > 0 || !hasNothingLeft(order));
  if (status === 'canceled' || status === 'auto-canceled') return false;
  if (event.cancelledBy === 'seller') return status !== 'unshipped';
  if (event.cancelledBy === 'buyer') return status === 'label-generated';
  return (event.items ?? []).some((item) => !order.items.some((known) => known.orderItemId === item.orderItemId));
}

/** A fact is applied whatever the rules say; the verdict reports when it contradicted the local history. */
export function judgeFact(order: OrderContext, status: OrderStatus, event: Fact): Ruling {
  if (isBeforePlacement(order, event))
    return refuse(order, 'EVENT_BEFORE_PLACEMENT', { at: event.at, placedAt: order.placedAt });
  const key =
    event.type === 'marketplace.orderShipped'
      ? 'marketplaceShipped'
      : event.type === 'marketplace.statusReported'
        ? 'marketplaceStatus'
        : 'marketplaceCanceled';
  const params = {
    ...orderParams(order),
    at: event.at,
    status,
    by: event.type === 'marketplace.orderCanceled' ? event.cancelledBy : 'amazon',
    ...(event.type === 'marketplace.statusReported' ? { reported: event.status } : {}),
  };
  if (!contradiction(order, status, event)) return accept(key, params);
  return {
    accepted: true,
    conflict: true,
    overrode: status,
    outcome: 'marketplaceConflict',
    params: { ...params, fact: event.type },
  };
}
