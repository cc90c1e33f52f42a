/**
 * Baseline (b): the order rules written by hand over a plain object, as an app without this package would.
 * No validation, no messages; the same decisions (deadlines first, who may cancel when, quantities cancelled and
 * shipped per item, the Cancellation Rate flag, official requests, labels, partial and late shipment) and the
 * same effects.
 */

export type PlainStatus = 'buyerCancellable' | 'unshipped' | 'labelGenerated' | 'shipped' | 'canceled' | 'autoCanceled';
export interface PlainItem {
  orderItemId: string;
  sku?: string;
  quantity: number;
  quantityCanceled: number;
  quantityShipped: number;
  buyerRequestedCancel: boolean;
}
export interface PlainQuantity {
  orderItemId: string;
  quantity: number;
}
export interface PlainCancellation {
  by: 'buyer' | 'seller' | 'system';
  reason: string;
  at: number;
  items: PlainQuantity[];
  countsAgainstRate: boolean;
}
export interface PlainRequest {
  at: number;
  source: 'order-flag' | 'message';
  official: boolean;
  orderItemIds: string[];
  subject?: string;
  reason?: string;
}
/** What the reducer stores: facts and absolute deadlines, no policy. */
export interface PlainOrder {
  orderId: string;
  fulfillmentChannel: 'MFN' | 'AFN';
  placedAt: number;
  latestShipDate: number;
  buyerCancelUntil: number;
  autoCancelAt: number;
  /** The latest instant applied: an earlier command is handled at this instant. */
  clock: number;
  items: PlainItem[];
  requests: PlainRequest[];
  cancellations: PlainCancellation[];
  labelGeneratedAt: number | null;
  /** The first shipment confirmation's instant; `shippedLate` is true when any confirmation was late. */
  shippedAt: number | null;
  shippedLate: boolean | null;
  /** Ids of the events that were accepted; a known id is not applied again. */
  eventIds: string[];
}
export interface PlainState {
  state: PlainStatus;
  order: PlainOrder;
}
export type PlainEvent = { eventId?: string } & (
  | { type: 'buyer.cancel'; at: number }
  | {
      type: 'buyer.requestCancellation';
      at: number;
      source: 'order-flag' | 'message';
      subject?: string;
      orderItemIds?: string[];
      reason?: string;
    }
  | { type: 'seller.cancel'; at: number; reason: string; items?: PlainQuantity[] }
  | { type: 'seller.generateLabel'; at: number }
  | { type: 'seller.voidLabel'; at: number }
  | { type: 'seller.confirmShipment'; at: number; items?: PlainQuantity[] }
  | { type: 'clock.tick'; at: number }
);
export type PlainEffect =
  | { type: 'buyer.notified' | 'seller.notified'; orderId: string; at: number; topic: string }
  | { type: 'items.refunded'; orderId: string; at: number; items: PlainQuantity[] }
  | { type: 'buyer.guidance'; orderId: string; at: number };

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A new order with the seed's numbers (30-minute window, auto-cancel 7 days after the latest ship date). */
export function plainOrder(input: {
  orderId: string;
  placedAt: number;
  latestShipDate: number;
  items: { orderItemId: string; sku?: string; quantity: number }[];
  fulfillmentChannel?: 'MFN' | 'AFN';
}): PlainState {
  return {
    state: 'buyerCancellable',
    order: {
      orderId: input.orderId,
      fulfillmentChannel: input.fulfillmentChannel ?? 'MFN',
      placedAt: input.placedAt,
      latestShipDate: input.latestShipDate,
      buyerCancelUntil: input.placedAt + 30 * MINUTE,
      autoCancelAt: input.latestShipDate + 7 * DAY,
      clock: input.placedAt,
      items: input.items.map((item) => ({
        ...item,
        quantityCanceled: 0,
        quantityShipped: 0,
        buyerRequestedCancel: false,
      })),
      requests: [],
      cancellations: [],
      labelGeneratedAt: null,
      shippedAt: null,
      shippedLate: null,
      eventIds: [],
    },
  };
}

const officialSubjects = [/^order cancellation request from amazon customer\b/i, /^亚马逊买家.*的订单取消申请/];
const prefixes = /^(?:(?:re|aw|tr|rv|sv|antw|wg|fw|fwd|vs|回复|答复|转发)\s*[:：]|\[[^\]]*\]|【[^】]*】)\s*/i;

/** Amazon's flag, or a message with the standard subject after reply prefixes and tags. */
export function plainIsOfficial(source: 'order-flag' | 'message', subject: string | undefined): boolean {
  if (source === 'order-flag') return true;
  let text = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (let match = prefixes.exec(text); match; match = prefixes.exec(text)) text = text.slice(match[0].length);
  return officialSubjects.some((pattern) => pattern.test(text));
}

/** The units of an item neither cancelled nor shipped. */
const openOf = (item: PlainItem) => item.quantity - item.quantityCanceled - item.quantityShipped;

/** The open quantity of each item, items with none left out. */
export function plainRemaining(order: PlainOrder): PlainQuantity[] {
  const left: PlainQuantity[] = [];
  for (const item of order.items) {
    const quantity = openOf(item);
    if (quantity > 0) left.push({ orderItemId: item.orderItemId, quantity });
  }
  return left;
}

/** Whether some unit of the order has been ship-confirmed. */
export const plainShippedAny = (order: PlainOrder) => order.items.some((item) => item.quantityShipped > 0);

const isOpen = (state: PlainStatus) =>
  state === 'buyerCancellable' || state === 'unshipped' || state === 'labelGenerated';

/** The state after time alone moved to `at`, with the auto-cancel record and its effects when it fell due. */
export function plainAdvance(current: PlainState, at: number, effects: PlainEffect[]): PlainState {
  let { state, order } = current;
  if (state === 'buyerCancellable' && at >= order.buyerCancelUntil) state = 'unshipped';
  if (isOpen(state) && order.fulfillmentChannel === 'MFN' && at >= order.autoCancelAt) {
    const items = plainRemaining(order);
    order = cancelItems(order, {
      by: 'system',
      reason: 'NotShippedInTime',
      at: order.autoCancelAt,
      items,
      countsAgainstRate: true,
    });
    notifyCancellation(order, effects, true);
    // Units that shipped before the deadline end the order shipped; only the open ones are cancelled.
    state = plainShippedAny(order) ? 'shipped' : 'autoCanceled';
  }
  return state === current.state && order === current.order ? current : { state, order };
}

function cancelItems(order: PlainOrder, record: PlainCancellation): PlainOrder {
  const byId = new Map<string, number>();
  for (const entry of record.items) byId.set(entry.orderItemId, entry.quantity);
  return {
    ...order,
    items: order.items.map((item) => {
      const quantity = byId.get(item.orderItemId);
      return quantity === undefined ? item : { ...item, quantityCanceled: item.quantityCanceled + quantity };
    }),
    cancellations: [...order.cancellations, record],
  };
}

function notifyCancellation(order: PlainOrder, effects: PlainEffect[], whole: boolean): void {
  const record = order.cancellations[order.cancellations.length - 1]!;
  // Cancelling what was left of a partly shipped order cancels items, not the order.
  const topic = whole && !plainShippedAny(order) ? 'orderCanceled' : 'itemsCanceled';
  effects.push({ type: 'buyer.notified', orderId: order.orderId, at: record.at, topic });
  effects.push({
    type: 'seller.notified',
    orderId: order.orderId,
    at: record.at,
    topic: record.by === 'system' ? 'autoCanceled' : topic,
  });
  effects.push({ type: 'items.refunded', orderId: order.orderId, at: record.at, items: record.items });
}

/** Why a seller cancel or a shipment of `items` is refused, or undefined when allowed; linear in the items. */
export function plainItemsRefusal(order: PlainOrder, items: readonly PlainQuantity[]): string | undefined {
  const index = new Map<string, PlainItem>();
  for (const item of order.items) index.set(item.orderItemId, item);
  for (const entry of items) if (!index.has(entry.orderItemId)) return 'UNKNOWN_ITEM';
  for (const entry of items)
    if (entry.quantity > openOf(index.get(entry.orderItemId)!)) return 'QUANTITY_EXCEEDS_REMAINING';
  return undefined;
}

/** Whether a seller cancel counts against the Cancellation Rate: unless BuyerCanceled on officially requested items. */
export function plainCounts(order: PlainOrder, reason: string, items: readonly PlainQuantity[]): boolean {
  if (order.fulfillmentChannel === 'AFN') return false;
  if (reason !== 'BuyerCanceled') return true;
  const requested = new Set(order.items.filter((item) => item.buyerRequestedCancel).map((item) => item.orderItemId));
  return !items.every((entry) => requested.has(entry.orderItemId));
}

/** Whether cancelling or shipping `items` leaves no unit of the order open. */
export function plainTakesAll(order: PlainOrder, items: readonly PlainQuantity[]): boolean {
  const byId = new Map<string, number>();
  for (const entry of items) byId.set(entry.orderItemId, entry.quantity);
  return order.items.every((item) => openOf(item) === (byId.get(item.orderItemId) ?? 0));
}

/**
 * The order after shipping `items` at `at`: shipped quantities, the first shipment's instant, the late flag. A label
 * serves one package: when units stay open, it is cleared (the order goes back to unshipped).
 */
export function plainShip(order: PlainOrder, items: readonly PlainQuantity[], at: number): PlainOrder {
  const byId = new Map<string, number>();
  for (const entry of items) byId.set(entry.orderItemId, entry.quantity);
  return {
    ...order,
    items: order.items.map((item) => {
      const quantity = byId.get(item.orderItemId);
      return quantity === undefined ? item : { ...item, quantityShipped: item.quantityShipped + quantity };
    }),
    shippedAt: order.shippedAt ?? at,
    shippedLate: order.shippedLate === true || at > order.latestShipDate,
    labelGeneratedAt: plainTakesAll(order, items) ? order.labelGeneratedAt : null,
  };
}

/** The result of one event: the next state, whether it was accepted (with a refusal code if not), the effects. */
export interface PlainResult {
  next: PlainState;
  accepted: boolean;
  code?: string;
  effects: PlainEffect[];
}

/** Applies one event once per `eventId`: time first (the order's clock never runs backwards), then the rules. */
export function plainApply(current: PlainState, event: PlainEvent): PlainResult {
  if (event.eventId !== undefined && current.order.eventIds.includes(event.eventId))
    return { next: current, accepted: true, effects: [] };
  const result = judgeAndApply(current, event);
  // Ids are remembered for the commands that changed the order; time passing (a tick) keeps none.
  if (!result.accepted || event.eventId === undefined || event.type === 'clock.tick' || result.next === current)
    return result;
  const { state, order } = result.next;
  return { ...result, next: { state, order: { ...order, eventIds: [...order.eventIds, event.eventId] } } };
}

function judgeAndApply(current: PlainState, event: PlainEvent): PlainResult {
  const effects: PlainEffect[] = [];
  const refuse = (code: string, next: PlainState): PlainResult => ({ next, accepted: false, code, effects });
  if (event.at < current.order.placedAt) return refuse('EVENT_BEFORE_PLACEMENT', current);
  const at = Math.max(event.at, current.order.clock);
  const advanced = plainAdvance(current, at, effects);
  const state = advanced.state;
  // The clock moves when a deadline fell by `at`, or (below) when the event is accepted; a refused event leaves it.
  const timed: PlainOrder = { ...advanced.order, clock: at };
  const unchanged: PlainState = advanced === current ? current : { state, order: timed };
  let order = timed;
  if (event.type === 'clock.tick') return { next: unchanged, accepted: true, effects };
  if (state === 'shipped') return refuse('ALREADY_SHIPPED', unchanged);
  if (state === 'canceled' || state === 'autoCanceled') return refuse('ALREADY_CANCELED', unchanged);
  const afn = order.fulfillmentChannel === 'AFN';
  switch (event.type) {
    case 'buyer.cancel': {
      if (state !== 'buyerCancellable') return refuse('BUYER_WINDOW_CLOSED', unchanged);
      const items = plainRemaining(order);
      order = cancelItems(order, { by: 'buyer', reason: 'BuyerSelfCanceled', at, items, countsAgainstRate: false });
      notifyCancellation(order, effects, true);
      return { next: { state: 'canceled', order }, accepted: true, effects };
    }
    case 'buyer.requestCancellation': {
      if (state === 'labelGenerated') return refuse('LABEL_GENERATED', unchanged);
      const ids = [...new Set(event.orderItemIds ?? order.items.map((item) => item.orderItemId))].sort();
      const known = new Set(order.items.map((item) => item.orderItemId));
      if (ids.some((id) => !known.has(id))) return refuse('UNKNOWN_ITEM', unchanged);
      const official = plainIsOfficial(event.source, event.subject);
      // The same request again (same source, items and officialness) records nothing and notifies no one.
      const repeated = order.requests.some(
        (request) =>
          request.source === event.source &&
          request.official === official &&
          request.orderItemIds.join('\n') === ids.join('\n'),
      );
      if (repeated) return { next: { state, order }, accepted: true, effects };
      const request: PlainRequest = { at, source: event.source, official, orderItemIds: ids };
      if (event.subject !== undefined) request.subject = event.subject;
      if (event.reason !== undefined) request.reason = event.reason;
      const flagged = new Set(ids);
      order = {
        ...order,
        requests: [...order.requests, request],
        items: official
          ? order.items.map((item) => (flagged.has(item.orderItemId) ? { ...item, buyerRequestedCancel: true } : item))
          : order.items,
      };
      if (official)
        effects.push({ type: 'seller.notified', orderId: order.orderId, at, topic: 'cancellationRequested' });
      else effects.push({ type: 'buyer.guidance', orderId: order.orderId, at });
      return { next: { state, order }, accepted: true, effects };
    }
    case 'seller.cancel': {
      if (afn) return refuse('FULFILLED_BY_AMAZON', unchanged);
      if (state === 'buyerCancellable') return refuse('ORDER_PENDING', unchanged);
      if (state === 'labelGenerated') return refuse('LABEL_GENERATED', unchanged);
      const items = event.items ?? plainRemaining(order);
      const refused = plainItemsRefusal(order, items);
      if (refused) return refuse(refused, unchanged);
      const whole = plainTakesAll(order, items);
      order = cancelItems(order, {
        by: 'seller',
        reason: event.reason,
        at,
        items,
        countsAgainstRate: plainCounts(order, event.reason, items),
      });
      notifyCancellation(order, effects, whole);
      const end = plainShippedAny(order) ? 'shipped' : 'canceled';
      return { next: { state: whole ? end : state, order }, accepted: true, effects };
    }
    case 'seller.generateLabel':
      if (afn) return refuse('FULFILLED_BY_AMAZON', unchanged);
      if (state === 'buyerCancellable') return refuse('ORDER_PENDING', unchanged);
      if (state === 'labelGenerated') return { next: { state, order }, accepted: true, effects };
      return {
        next: { state: 'labelGenerated', order: { ...order, labelGeneratedAt: order.labelGeneratedAt ?? at } },
        accepted: true,
        effects,
      };
    case 'seller.voidLabel':
      if (state !== 'labelGenerated') return refuse('NO_LABEL', unchanged);
      return { next: { state, order }, accepted: true, effects };
    case 'seller.confirmShipment': {
      if (afn) return refuse('FULFILLED_BY_AMAZON', unchanged);
      if (state === 'buyerCancellable') return refuse('ORDER_PENDING', unchanged);
      const refused = event.items && plainItemsRefusal(order, event.items);
      if (refused) return refuse(refused, unchanged);
      const items = event.items ?? plainRemaining(order);
      // Some units shipped: the rest stay open, unshipped (the label went with the package); none left: shipped.
      const next = plainTakesAll(order, items) ? 'shipped' : 'unshipped';
      effects.push({ type: 'buyer.notified', orderId: order.orderId, at, topic: 'orderShipped' });
      return { next: { state: next, order: plainShip(order, items, at) }, accepted: true, effects };
    }
  }
}

/** The back-end step by hand: parse the stored JSON, apply the event, stringify the result. */
export function plainStep(text: string, event: PlainEvent): { text: string; result: PlainResult } {
  const result = plainApply(JSON.parse(text) as PlainState, event);
  return { text: JSON.stringify(result.next), result };
}
