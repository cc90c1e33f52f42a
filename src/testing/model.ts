/**
 * The reference model: the order's rules in plain TypeScript, written from docs/rules.md, DESIGN.md and the
 * seller help page, without XState and without the package's rule functions, so that the property tests
 * compare the machine with an independent, much simpler reading of the same rules.
 */

/** The product brief's names of the states. */
export type ModelStatus =
  'buyer-cancellable' | 'unshipped' | 'label-generated' | 'shipped' | 'canceled' | 'auto-canceled';

/** The refusal codes the model can answer with. */
export type ModelCode =
  | 'EVENT_BEFORE_PLACEMENT'
  | 'BUYER_WINDOW_CLOSED'
  | 'ORDER_PENDING'
  | 'LABEL_GENERATED'
  | 'NO_LABEL'
  | 'ALREADY_SHIPPED'
  | 'ALREADY_CANCELED'
  | 'FULFILLED_BY_AMAZON'
  | 'QUANTITY_EXCEEDS_REMAINING'
  | 'UNKNOWN_ITEM'
  | 'REFUSED_BY_MACHINE';

/** A quantity of one item, in the reference model. */
export interface ModelItemQuantity {
  orderItemId: string;
  quantity: number;
}

/** A cancellation record, in the reference model. */
export interface ModelCancellation {
  by: 'buyer' | 'seller' | 'system' | 'unknown';
  reason: string;
  at: number;
  /** Set on records of the marketplace's facts, which are recorded at their own instants. */
  source?: 'marketplace';
  occurredAt?: number;
  items: ModelItemQuantity[];
  countsAgainstRate: boolean;
}

/** An order item with its ordered, cancelled and shipped quantities, in the reference model. */
export interface ModelItem {
  orderItemId: string;
  sku?: string;
  ordered: number;
  canceled: number;
  shipped: number;
  /** An official request names this item (Amazon's IsBuyerRequestedCancel). */
  requested: boolean;
}

/** Everything the model knows about one order. Immutable: `stepModel` returns a new one. */
export interface ModelOrder {
  orderId: string;
  marketplaceId?: string;
  channel: 'MFN' | 'AFN';
  placedAt: number;
  /** Null until the marketplace gives one. */
  latestShipDate: number | null;
  windowEnd: number;
  /** How long after the latest ship date Amazon cancels an order nobody shipped. */
  autoCancelAfterMs: number;
  /** Null for orders Amazon fulfils and while the latest ship date is unknown: there is no auto-cancel. */
  autoCancelAt: number | null;
  /** What the marketplace last said: Pending holds the order, Unshipped lets the seller act; null when it said nothing. */
  marketplaceStatus: 'pending' | 'unshipped' | null;
  /** When it said it: an older report changes nothing. */
  marketplaceStatusAt: number | null;
  /** The order's own clock: the latest instant it applied; later events that are earlier are judged at it. */
  clock: number;
  /** Ids of the events the order accepted. */
  eventIds: string[];
  status: ModelStatus;
  items: ModelItem[];
  cancellations: ModelCancellation[];
  requests: {
    at: number;
    occurredAt?: number;
    source: 'order-flag' | 'message';
    official: boolean;
    orderItemIds: string[];
    subject?: string;
    reason?: string;
  }[];
  labelGeneratedAt: number | null;
  shippedAt: number | null;
  shippedLate: boolean | null;
}

/** An effect with the guidance text left out: the model compares what happens, not the wording. */
export type ModelEffect =
  | { type: 'buyer.notified'; orderId: string; at: number; topic: string }
  | { type: 'seller.notified'; orderId: string; at: number; topic: string }
  | { type: 'items.refunded'; orderId: string; at: number; items: ModelItemQuantity[] }
  | { type: 'buyer.guidance'; orderId: string; at: number };

/** The reference model's verdict: accepted or not, with a refusal code. */
export interface ModelVerdict {
  accepted: boolean;
  code?: ModelCode;
  late?: true;
  duplicate?: true;
}

/** What `stepModel` returns: the new order, the verdict and the effects. */
export interface ModelStep {
  order: ModelOrder;
  verdict: ModelVerdict;
  effects: ModelEffect[];
}

/** An event as the model reads it; `at` in epoch ms or ISO-8601. */
type ModelAt = { at: number | string; eventId?: string };
/** An order event as the reference model reads it. */
export type ModelEvent = (
  | { type: 'buyer.cancel'; at: number | string }
  | {
      type: 'buyer.requestCancellation';
      at: number | string;
      source: 'order-flag' | 'message';
      subject?: string;
      orderItemIds?: string[];
      reason?: string;
    }
  | { type: 'seller.cancel'; at: number | string; reason: string; items?: ModelItemQuantity[] }
  | { type: 'seller.generateLabel'; at: number | string }
  | { type: 'seller.voidLabel'; at: number | string }
  | { type: 'seller.confirmShipment'; at: number | string; items?: ModelItemQuantity[] }
  | { type: 'clock.tick'; at: number | string }
  | {
      type: 'marketplace.orderCanceled';
      at: number | string;
      cancelledBy: 'buyer' | 'seller' | 'amazon' | 'unknown';
      reason?: string;
      note?: string;
      items?: ModelItemQuantity[];
    }
  | { type: 'marketplace.orderShipped'; at: number | string; items?: ModelItemQuantity[] }
  | {
      type: 'marketplace.statusReported';
      at: number | string;
      status: 'pending' | 'unshipped';
      latestShipDate?: number | string;
    }
) &
  ModelAt;

/**
 * Every seller cancel reason Amazon accepts (the order acknowledgement feed's `CancelReason`, DESIGN.md), written
 * out here rather than read from the package's schema, so that a reason the schema lost is noticed.
 */
export const SELLER_REASONS = [
  'NoInventory',
  'ShippingAddressUndeliverable',
  'CustomerExchange',
  'BuyerCanceled',
  'GeneralAdjustment',
  'CarrierCreditDecision',
  'RiskAssessmentInformationNotValid',
  'CarrierCoverageFailure',
  'CustomerReturn',
  'MerchandiseNotReceived',
  'CannotVerifyInformation',
  'PricingError',
  'RejectOrder',
  'WeatherDelay',
] as const;

type ModelFact = Extract<
  ModelEvent,
  { type: 'marketplace.orderCanceled' | 'marketplace.orderShipped' | 'marketplace.statusReported' }
>;

/**
 * Whether a fact agrees with how an order ended: a cancel with an order some of which was cancelled, a shipment with a
 * shipped one; a readiness report is outlived by any end.
 */
function agreesWithEnd(order: ModelOrder, fact: ModelFact): boolean {
  if (fact.type === 'marketplace.statusReported') return true;
  if (fact.type === 'marketplace.orderShipped') return order.status === 'shipped';
  return order.status !== 'shipped' || order.cancellations.length > 0;
}

const anyShipped = (order: ModelOrder): boolean => order.items.some((item) => item.shipped > 0);

/** An open order with nothing open left ends: shipped if any unit shipped, else cancelled. */
function settle(order: ModelOrder): ModelOrder {
  if (isFinalStatus(order.status) || modelRemaining(order).length > 0) return order;
  return { ...order, status: anyShipped(order) ? 'shipped' : 'canceled' };
}

/**
 * Units shipped: each item's shipped count goes up, the first shipment's instant is kept, the order is late once
 * any shipment is. Units left open are unshipped again, without a label (it served the package that shipped).
 */
function ship(order: ModelOrder, items: ModelItemQuantity[], at: number): ModelOrder {
  if (items.length === 0) return order;
  const next: ModelOrder = {
    ...order,
    items: order.items.map((item) => {
      const taken = items.find((entry) => entry.orderItemId === item.orderItemId);
      return taken ? { ...item, shipped: item.shipped + taken.quantity } : item;
    }),
    shippedAt: order.shippedAt ?? at,
    shippedLate:
      (order.shippedLate ?? false) ||
      (order.channel === 'MFN' && order.latestShipDate !== null && at > order.latestShipDate),
  };
  if (modelRemaining(next).length === 0) return { ...next, status: 'shipped' };
  return { ...next, status: 'unshipped', labelGeneratedAt: null };
}

/**
 * A fact the marketplace reports, on an open order whose time has already moved to the fact: recorded at the
 * fact's own instant. A buyer's cancel never counts, Amazon's only when it is the auto-cancel, a seller's as
 * the Cancellation Rate table says; the marketplace notifies the buyer, so no effects.
 */
function applyFact(order: ModelOrder, fact: ModelFact, own: number): ModelOrder {
  if (fact.type === 'marketplace.orderShipped') {
    // The marketplace reports how many of each item shipped in all: ship up to that, never more than is open.
    const open = new Map(modelRemaining(order).map((item) => [item.orderItemId, item.quantity]));
    const units = fact.items
      ? fact.items.flatMap((reported) => {
          const item = order.items.find((candidate) => candidate.orderItemId === reported.orderItemId);
          const quantity = item ? Math.min(reported.quantity - item.shipped, open.get(item.orderItemId) ?? 0) : 0;
          return quantity > 0 ? [{ orderItemId: reported.orderItemId, quantity }] : [];
        })
      : modelRemaining(order);
    // Nothing new shipped: the order only learns that the marketplace no longer holds it as Pending.
    const ready: ModelOrder = {
      ...order,
      status: order.status === 'buyer-cancellable' ? 'unshipped' : order.status,
      marketplaceStatus: 'unshipped',
      marketplaceStatusAt: Math.max(order.marketplaceStatusAt ?? own, own),
    };
    return units.length ? ship({ ...ready, status: 'unshipped' }, units, own) : ready;
  }
  if (fact.type === 'marketplace.statusReported') {
    // An older report than the one the order follows changes nothing.
    if (order.marketplaceStatusAt !== null && own < order.marketplaceStatusAt) return order;
    const reported = fact.latestShipDate === undefined ? null : toMs(fact.latestShipDate);
    const latestShipDate = reported !== null && reported >= order.placedAt ? reported : order.latestShipDate;
    const autoCancelAt =
      order.channel === 'AFN' || latestShipDate === null ? null : latestShipDate + order.autoCancelAfterMs;
    let status = order.status;
    if (status === 'buyer-cancellable' && fact.status === 'unshipped') status = 'unshipped';
    if (status === 'unshipped' && fact.status === 'pending') status = 'buyer-cancellable';
    const shippedLate =
      order.shippedAt === null
        ? null
        : order.shippedLate === true ||
          (order.channel === 'MFN' && latestShipDate !== null && order.shippedAt > latestShipDate);
    return {
      ...order,
      status,
      marketplaceStatus: fact.status,
      marketplaceStatusAt: own,
      latestShipDate,
      autoCancelAt,
      shippedLate,
    };
  }
  const left = new Map(modelRemaining(order).map((item) => [item.orderItemId, item.quantity]));
  const items = (fact.items ?? modelRemaining(order))
    .map((item) => ({
      orderItemId: item.orderItemId,
      quantity: Math.min(item.quantity, left.get(item.orderItemId) ?? 0),
    }))
    .filter((item) => item.quantity > 0);
  const pending = order.marketplaceStatus === 'pending';
  const autoCancel =
    fact.reason === 'NotShippedInTime' || (!pending && order.autoCancelAt !== null && own >= order.autoCancelAt);
  const by = fact.cancelledBy === 'amazon' ? 'system' : fact.cancelledBy;
  const reason =
    by === 'buyer'
      ? 'BuyerSelfCanceled'
      : by === 'seller'
        ? (SELLER_REASONS as readonly string[]).includes(fact.reason ?? '')
          ? fact.reason!
          : 'MarketplaceCanceled'
        : autoCancel
          ? 'NotShippedInTime'
          : 'MarketplaceCanceled';
  const counts =
    order.channel === 'MFN' &&
    (by === 'seller'
      ? !pending && modelCountsAgainstRate(order, 'seller', reason, items)
      : by === 'system' && autoCancel);
  return settle(withRecord(order, { by, reason, at: own, source: 'marketplace', items, countsAgainstRate: counts }));
}

/** An order input as the model reads it. */
export interface ModelInput {
  orderId: string;
  placedAt: number | string;
  latestShipDate?: number | string;
  items: { orderItemId: string; quantity: number; sku?: string }[];
  fulfillmentChannel?: 'MFN' | 'AFN';
  marketplaceId?: string;
  policy?: { buyerCancelWindowMs?: number; autoCancelAfterMs?: number };
}

/** A policy the machine applies on top of the input's (for machines an app configured). */
export interface ModelPolicy {
  buyerCancelWindowMs?: number;
  autoCancelAfterMs?: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The seed's numbers: the buyer may cancel for 30 minutes; Amazon cancels 7 days after the latest ship date. */
const modelDefaults = { buyerCancelWindowMs: 30 * MINUTE, autoCancelAfterMs: 7 * DAY } as const;

const FINAL: readonly ModelStatus[] = ['shipped', 'canceled', 'auto-canceled'];

/** Whether the status is final (shipped, canceled, auto-canceled). */
const isFinalStatus = (status: ModelStatus): boolean => FINAL.includes(status);

const toMs = (at: number | string): number => (typeof at === 'number' ? at : Date.parse(at));

/**
 * Whether a request is official: the IsBuyerRequestedCancel flag, or a message whose subject, once reply
 * and forward prefixes are taken off, starts with the standard English or Chinese subject line.
 */
export function isOfficialRequestModel(source: 'order-flag' | 'message', subject: string | undefined): boolean {
  if (source === 'order-flag') return true;
  let text = (subject ?? '').split(/\s+/).filter(Boolean).join(' ');
  const prefixes = ['re', 'aw', 'tr', 'rv', 'sv', 'antw', 'wg', 'fw', 'fwd', 'vs', '回复', '答复', '转发'];
  for (let changed = true; changed;) {
    changed = false;
    for (const prefix of prefixes) {
      for (const colon of [':', '：']) {
        for (const gap of ['', ' ']) {
          if (text.toLowerCase().startsWith(prefix + gap + colon)) {
            text = text.slice((prefix + gap + colon).length).trim();
            changed = true;
          }
        }
      }
    }
    const closing = text.startsWith('[') ? text.indexOf(']') : text.startsWith('【') ? text.indexOf('】') : -1;
    if (closing > 0) {
      text = text.slice(closing + 1).trim();
      changed = true;
    }
  }
  const english = 'order cancellation request from amazon customer';
  if (text.toLowerCase().startsWith(english) && !/\w/.test(text.charAt(english.length))) return true;
  return text.startsWith('亚马逊买家') && text.includes('的订单取消申请');
}

/**
 * A new order in the model, with the policy's defaults (marketplace presets all equal the defaults).
 * @example
 * const order = createModelOrder({ orderId: '1', placedAt: 0, latestShipDate: 0, items: [{ orderItemId: 'A', quantity: 1 }] });
 */
export function createModelOrder(input: ModelInput, policy: ModelPolicy = {}): ModelOrder {
  const window = policy.buyerCancelWindowMs ?? input.policy?.buyerCancelWindowMs ?? modelDefaults.buyerCancelWindowMs;
  const autoAfter = policy.autoCancelAfterMs ?? input.policy?.autoCancelAfterMs ?? modelDefaults.autoCancelAfterMs;
  const placedAt = toMs(input.placedAt);
  const latestShipDate = input.latestShipDate === undefined ? null : toMs(input.latestShipDate);
  return {
    orderId: input.orderId,
    ...(input.marketplaceId === undefined ? {} : { marketplaceId: input.marketplaceId }),
    channel: input.fulfillmentChannel ?? 'MFN',
    placedAt,
    latestShipDate,
    windowEnd: placedAt + window,
    autoCancelAfterMs: autoAfter,
    autoCancelAt:
      (input.fulfillmentChannel ?? 'MFN') === 'AFN' || latestShipDate === null ? null : latestShipDate + autoAfter,
    marketplaceStatus: null,
    marketplaceStatusAt: null,
    clock: placedAt,
    eventIds: [],
    status: 'buyer-cancellable',
    items: input.items.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.sku === undefined ? {} : { sku: item.sku }),
      ordered: item.quantity,
      canceled: 0,
      shipped: 0,
      requested: false,
    })),
    cancellations: [],
    requests: [],
    labelGeneratedAt: null,
    shippedAt: null,
    shippedLate: null,
  };
}

/** What is open of each item (neither cancelled nor shipped), items with nothing open omitted. */
function modelRemaining(order: ModelOrder): ModelItemQuantity[] {
  return order.items
    .filter((item) => item.ordered > item.canceled + item.shipped)
    .map((item) => ({ orderItemId: item.orderItemId, quantity: item.ordered - item.canceled - item.shipped }));
}

/** The Cancellation Rate rule of DESIGN.md, written out case by case. */
function modelCountsAgainstRate(
  order: ModelOrder,
  by: ModelCancellation['by'],
  reason: string,
  items: ModelItemQuantity[],
): boolean {
  if (order.channel === 'AFN') return false;
  switch (by) {
    case 'buyer':
      return false;
    case 'system':
      return true;
    case 'unknown':
      // Nobody said who cancelled: left out of the rate, reported by sellerMetrics as unattributed.
      return false;
    case 'seller':
      if (reason !== 'BuyerCanceled') return true;
      // Not counted only when every cancelled item carries an official request.
      for (const cancelled of items) {
        const item = order.items.find((candidate) => candidate.orderItemId === cancelled.orderItemId);
        if (!item || !item.requested) return true;
      }
      return false;
  }
}

/** The order with a cancellation record added and its items' cancelled quantities raised to match. */
function withRecord(order: ModelOrder, record: ModelCancellation): ModelOrder {
  return {
    ...order,
    items: order.items.map((item) => {
      const taken = record.items.find((entry) => entry.orderItemId === item.orderItemId);
      return taken ? { ...item, canceled: item.canceled + taken.quantity } : item;
    }),
    cancellations: [...order.cancellations, record],
  };
}

function cancel(
  order: ModelOrder,
  by: ModelCancellation['by'],
  reason: string,
  at: number,
  items: ModelItemQuantity[],
  occurredAt?: number,
): ModelStep {
  const record: ModelCancellation = {
    by,
    reason,
    at,
    ...(occurredAt === undefined ? {} : { occurredAt }),
    items,
    countsAgainstRate: modelCountsAgainstRate(order, by, reason, items),
  };
  const next = withRecord(order, record);
  const whole = modelRemaining(next).length === 0;
  if (whole) next.status = anyShipped(next) ? 'shipped' : by === 'system' ? 'auto-canceled' : 'canceled';
  const topic = whole && !anyShipped(next) ? 'orderCanceled' : 'itemsCanceled';
  return {
    order: next,
    verdict: { accepted: true },
    effects: [
      { type: 'buyer.notified', orderId: order.orderId, at, topic },
      { type: 'seller.notified', orderId: order.orderId, at, topic: by === 'system' ? 'autoCanceled' : topic },
      { type: 'items.refunded', orderId: order.orderId, at, items },
    ],
  };
}

/**
 * Moves the model's clock to `at`: the window closes, then the auto-cancel falls due; the clock moves only if one
 * did. While the marketplace says Pending, neither happens.
 */
function advanceModel(order: ModelOrder, at: number): { order: ModelOrder; effects: ModelEffect[] } {
  let current = order;
  if (current.marketplaceStatus === 'pending') return { order: current, effects: [] };
  if (current.status === 'buyer-cancellable' && at >= current.windowEnd)
    current = { ...current, status: 'unshipped', clock: Math.max(current.clock, at) };
  if (
    (current.status === 'unshipped' || current.status === 'label-generated') &&
    current.autoCancelAt !== null &&
    at >= current.autoCancelAt
  ) {
    // A deadline learned after later acts were recorded takes effect after them: history stays in time order.
    const after = Math.max(
      current.placedAt,
      ...current.cancellations.filter((record) => record.source !== 'marketplace').map((record) => record.at),
    );
    const step = cancel(
      current,
      'system',
      'NotShippedInTime',
      Math.max(current.autoCancelAt, after),
      modelRemaining(current),
    );
    return { order: { ...step.order, clock: Math.max(current.clock, at) }, effects: step.effects };
  }
  return { order: current, effects: [] };
}

const refused = (order: ModelOrder, effects: ModelEffect[], code: ModelCode, late: boolean): ModelStep => ({
  order,
  effects,
  verdict: late ? { accepted: false, code, late: true } : { accepted: false, code },
});

/**
 * One event through the model: a known event id changes nothing; otherwise the event is judged at the later
 * of its own instant and the order's clock, time first, then the rule for the event.
 * @example
 * const { order, verdict } = stepModel(createModelOrder(input), { type: 'buyer.cancel', at: 0 });
 */
export function stepModel(start: ModelOrder, event: ModelEvent): ModelStep {
  const own = toMs(event.at);
  if (event.eventId !== undefined && start.eventIds.includes(event.eventId))
    return { order: start, effects: [], verdict: { accepted: true, duplicate: true } };
  const late = own < start.clock;
  const at = late ? start.clock : own;
  const occurredAt = late ? own : undefined;
  const lateOf = late ? { late: true as const } : {};
  if (
    event.type === 'marketplace.orderCanceled' ||
    event.type === 'marketplace.orderShipped' ||
    event.type === 'marketplace.statusReported'
  ) {
    // Facts are not judged, and never late; time still comes first.
    if (own < start.placedAt) return refused(start, [], 'EVENT_BEFORE_PLACEMENT', false);
    const ended = (order: ModelOrder, effects: ModelEffect[]): ModelStep =>
      agreesWithEnd(order, event)
        ? { order, effects, verdict: { accepted: true } }
        : refused(order, effects, order.status === 'shipped' ? 'ALREADY_SHIPPED' : 'ALREADY_CANCELED', false);
    if (isFinalStatus(start.status)) return ended(start, []);
    const { order: timed, effects: timeEffects } = advanceModel(start, at);
    if (isFinalStatus(timed.status)) return ended(timed, timeEffects);
    const applied = applyFact(
      {
        ...timed,
        clock: at,
        eventIds: event.eventId === undefined ? timed.eventIds : [...timed.eventIds, event.eventId],
      },
      event,
      own,
    );
    // A deadline that was not running (unknown, or held while Pending) may already have passed: it applies now.
    const learned = isFinalStatus(applied.status) ? { order: applied, effects: [] } : advanceModel(applied, at);
    return { order: learned.order, effects: [...timeEffects, ...learned.effects], verdict: { accepted: true } };
  }
  if (isFinalStatus(start.status)) {
    if (own < start.placedAt) return refused(start, [], 'EVENT_BEFORE_PLACEMENT', late);
    if (event.type === 'clock.tick') return { order: start, effects: [], verdict: { accepted: true, ...lateOf } };
    return refused(start, [], start.status === 'shipped' ? 'ALREADY_SHIPPED' : 'ALREADY_CANCELED', late);
  }
  if (own < start.placedAt) return refused(start, [], 'EVENT_BEFORE_PLACEMENT', late);
  const { order: timed, effects: timeEffects } = advanceModel(start, at);
  if (event.type === 'clock.tick')
    return { order: timed, effects: timeEffects, verdict: { accepted: true, ...lateOf } };
  if (timed.status === 'shipped') return refused(timed, timeEffects, 'ALREADY_SHIPPED', late);
  if (timed.status === 'canceled' || timed.status === 'auto-canceled')
    return refused(timed, timeEffects, 'ALREADY_CANCELED', late);
  // An accepted event moves the clock and is remembered by its id.
  const order: ModelOrder = {
    ...timed,
    clock: at,
    eventIds: event.eventId === undefined ? timed.eventIds : [...timed.eventIds, event.eventId],
  };
  const accept = (next: ModelOrder, effects: ModelEffect[] = []): ModelStep => ({
    order: next,
    effects,
    verdict: { accepted: true, ...lateOf },
  });
  const deny = (code: ModelCode) => refused(timed, timeEffects, code, late);
  const known = (id: string) => order.items.some((item) => item.orderItemId === id);
  const withLate = (step: ModelStep): ModelStep => ({ ...step, verdict: { ...step.verdict, ...lateOf } });
  // The seller waits while the order is Pending: inside the buyer's window, or while the marketplace says so.
  const pending = order.status === 'buyer-cancellable' || order.marketplaceStatus === 'pending';
  const exceedsOpen = (items: ModelItemQuantity[]): ModelCode | undefined => {
    if (!items.every((item) => known(item.orderItemId))) return 'UNKNOWN_ITEM';
    for (const wanted of items) {
      const item = order.items.find((candidate) => candidate.orderItemId === wanted.orderItemId)!;
      if (wanted.quantity > item.ordered - item.canceled - item.shipped) return 'QUANTITY_EXCEEDS_REMAINING';
    }
    return undefined;
  };

  switch (event.type) {
    case 'buyer.cancel':
      // The buyer's window is time alone: it does not close early because the marketplace said Unshipped.
      if (order.status === 'label-generated') return deny('LABEL_GENERATED');
      if (at >= order.windowEnd) return deny('BUYER_WINDOW_CLOSED');
      return withLate(cancel(order, 'buyer', 'BuyerSelfCanceled', at, modelRemaining(order), occurredAt));

    case 'buyer.requestCancellation': {
      if (order.status === 'label-generated') return deny('LABEL_GENERATED');
      const named = event.orderItemIds ?? order.items.map((item) => item.orderItemId);
      if (!named.every(known)) return deny('UNKNOWN_ITEM');
      const ids = [...new Set(named)].sort();
      const official = isOfficialRequestModel(event.source, event.subject);
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((id, index) => id === b[index]);
      // The same request again records nothing and notifies no one.
      if (
        order.requests.some(
          (request) =>
            request.source === event.source && request.official === official && same(request.orderItemIds, ids),
        )
      )
        return accept(order);
      const next: ModelOrder = {
        ...order,
        requests: [
          ...order.requests,
          {
            at,
            ...(occurredAt === undefined ? {} : { occurredAt }),
            source: event.source,
            official,
            orderItemIds: ids,
            ...(event.subject === undefined ? {} : { subject: event.subject }),
            ...(event.reason === undefined ? {} : { reason: event.reason }),
          },
        ],
        items: order.items.map((item) =>
          official && ids.includes(item.orderItemId) ? { ...item, requested: true } : item,
        ),
      };
      return accept(next, [
        official
          ? { type: 'seller.notified', orderId: order.orderId, at, topic: 'cancellationRequested' }
          : { type: 'buyer.guidance', orderId: order.orderId, at },
      ]);
    }

    case 'seller.cancel': {
      if (order.channel === 'AFN') return deny('FULFILLED_BY_AMAZON');
      if (pending) return deny('ORDER_PENDING');
      if (order.status === 'label-generated') return deny('LABEL_GENERATED');
      const items = event.items ?? modelRemaining(order);
      const overdrawn = exceedsOpen(items);
      if (overdrawn) return deny(overdrawn);
      return withLate(cancel(order, 'seller', event.reason, at, items, occurredAt));
    }

    case 'seller.generateLabel':
      if (order.channel === 'AFN') return deny('FULFILLED_BY_AMAZON');
      if (pending) return deny('ORDER_PENDING');
      // A second label is accepted and changes nothing but the clock.
      return accept(
        order.status === 'unshipped' ? { ...order, status: 'label-generated', labelGeneratedAt: at } : order,
      );

    case 'seller.voidLabel':
      if (order.status !== 'label-generated') return deny('NO_LABEL');
      return accept(order);

    case 'seller.confirmShipment': {
      if (order.channel === 'AFN') return deny('FULFILLED_BY_AMAZON');
      if (pending) return deny('ORDER_PENDING');
      const items = event.items ?? modelRemaining(order);
      const overdrawn = exceedsOpen(items);
      if (overdrawn) return deny(overdrawn);
      const shipped = ship(order, items, at);
      return accept(shipped, [{ type: 'buyer.notified', orderId: order.orderId, at, topic: 'orderShipped' }]);
    }
  }
}

/** The next instant at which time alone changes the order in the model, or null. */
export function modelNextDeadline(order: ModelOrder): number | null {
  if (order.marketplaceStatus === 'pending') return null;
  if (order.status === 'buyer-cancellable') return order.windowEnd;
  if (order.status === 'unshipped' || order.status === 'label-generated') return order.autoCancelAt;
  return null;
}
