/**
 * The reference model: the order's rules in plain TypeScript, written from docs/rules.md, DESIGN.md and the
 * seller help page, without XState and without the package's rule functions, so that the property tests
 * compare the machine with an independent, much simpler reading of the same rules.
 */

/** The product brief's names of the states. */
export type ModelStatus = 'buyer-cancellable' | 'unshipped' | 'label-generated' | 'shipped' | 'canceled' | 'auto-canceled';

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
  by: 'buyer' | 'seller' | 'system';
  reason: string;
  at: number;
  occurredAt?: number;
  items: ModelItemQuantity[];
  countsAgainstRate: boolean;
}

/** An order item with its ordered and cancelled quantities, in the reference model. */
export interface ModelItem {
  orderItemId: string;
  sku?: string;
  ordered: number;
  canceled: number;
  /** An official request names this item (Amazon's IsBuyerRequestedCancel). */
  requested: boolean;
}

/** Everything the model knows about one order. Immutable: `stepModel` returns a new one. */
export interface ModelOrder {
  orderId: string;
  marketplaceId?: string;
  channel: 'MFN' | 'AFN';
  placedAt: number;
  latestShipDate: number;
  windowEnd: number;
  /** Null for orders Amazon fulfils: there is no auto-cancel. */
  autoCancelAt: number | null;
  /** The order's own clock: the latest instant it applied; later events that are earlier are judged at it. */
  clock: number;
  /** Ids of the events the order accepted. */
  eventIds: string[];
  status: ModelStatus;
  items: ModelItem[];
  cancellations: ModelCancellation[];
  requests: { at: number; occurredAt?: number; source: 'order-flag' | 'message'; official: boolean; orderItemIds: string[]; subject?: string; reason?: string }[];
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
  | { type: 'seller.confirmShipment'; at: number | string }
  | { type: 'clock.tick'; at: number | string }
  | { type: 'marketplace.orderCanceled'; at: number | string; cancelledBy: 'buyer' | 'seller' | 'amazon'; reason?: string; items?: ModelItemQuantity[] }
  | { type: 'marketplace.orderShipped'; at: number | string; items?: ModelItemQuantity[] }
) & ModelAt;

const SELLER_REASONS = [
  'NoInventory', 'ShippingAddressUndeliverable', 'CustomerExchange', 'BuyerCanceled', 'GeneralAdjustment', 'CarrierCreditDecision',
  'RiskAssessmentInformationNotValid', 'CarrierCoverageFailure', 'CustomerReturn', 'MerchandiseNotReceived', 'CannotVerifyInformation',
  'PricingError', 'RejectOrder', 'WeatherDelay',
];

type ModelFact = Extract<ModelEvent, { type: 'marketplace.orderCanceled' | 'marketplace.orderShipped' }>;

/** Whether a fact agrees with how an order ended: a cancel with a cancelled order, a shipment with a shipped one. */
function agreesWithEnd(status: ModelStatus, fact: ModelFact): boolean {
  return fact.type === 'marketplace.orderShipped' ? status === 'shipped' : status !== 'shipped';
}

/**
 * A fact the marketplace reports, on an open order whose time has already moved to the fact: recorded at the
 * fact's own instant. A buyer's cancel never counts, Amazon's only when it is the auto-cancel, a seller's as
 * the Cancellation Rate table says; the marketplace notifies the buyer, so no effects.
 */
function applyFact(order: ModelOrder, fact: ModelFact, own: number): ModelOrder {
  if (fact.type === 'marketplace.orderShipped') {
    return { ...order, status: 'shipped', shippedAt: own, shippedLate: order.channel === 'MFN' && own > order.latestShipDate };
  }
  const left = new Map(modelRemaining(order).map((item) => [item.orderItemId, item.quantity]));
  const items = (fact.items ?? modelRemaining(order)).map((item) => ({ orderItemId: item.orderItemId, quantity: Math.min(item.quantity, left.get(item.orderItemId) ?? 0) })).filter((item) => item.quantity > 0);
  const autoCancel = fact.reason === 'NotShippedInTime' || (order.autoCancelAt !== null && own >= order.autoCancelAt);
  const by = fact.cancelledBy === 'amazon' ? 'system' : fact.cancelledBy;
  const reason = by === 'buyer' ? 'BuyerSelfCanceled' : by === 'seller' ? (SELLER_REASONS.includes(fact.reason ?? '') ? fact.reason! : 'MarketplaceCanceled') : autoCancel ? 'NotShippedInTime' : 'MarketplaceCanceled';
  const counts = order.channel === 'MFN' && (by === 'seller' ? modelCountsAgainstRate(order, 'seller', reason, items) : by === 'system' && autoCancel);
  const next = withRecord(order, { by, reason, at: own, items, countsAgainstRate: counts });
  return modelRemaining(next).length === 0 ? { ...next, status: 'canceled' } : next;
}

/** An order input as the model reads it. */
export interface ModelInput {
  orderId: string;
  placedAt: number | string;
  latestShipDate: number | string;
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
export const modelDefaults = { buyerCancelWindowMs: 30 * MINUTE, autoCancelAfterMs: 7 * DAY } as const;

const FINAL: readonly ModelStatus[] = ['shipped', 'canceled', 'auto-canceled'];

/** Whether the status is final (shipped, canceled, auto-canceled). */
export const isFinalStatus = (status: ModelStatus): boolean => FINAL.includes(status);

const toMs = (at: number | string): number => (typeof at === 'number' ? at : Date.parse(at));

/**
 * Whether a request is official: the IsBuyerRequestedCancel flag, or a message whose subject, once reply
 * and forward prefixes are taken off, starts with the standard English or Chinese subject line.
 */
export function isOfficialRequestModel(source: 'order-flag' | 'message', subject: string | undefined): boolean {
  if (source === 'order-flag') return true;
  let text = (subject ?? '').split(/\s+/).filter(Boolean).join(' ');
  const prefixes = ['re', 'aw', 'tr', 'rv', 'sv', 'antw', 'wg', 'fw', 'fwd', 'vs', '回复', '答复', '转发'];
  for (let changed = true; changed; ) {
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
  const latestShipDate = toMs(input.latestShipDate);
  return {
    orderId: input.orderId,
    ...(input.marketplaceId === undefined ? {} : { marketplaceId: input.marketplaceId }),
    channel: input.fulfillmentChannel ?? 'MFN',
    placedAt,
    latestShipDate,
    windowEnd: placedAt + window,
    autoCancelAt: (input.fulfillmentChannel ?? 'MFN') === 'AFN' ? null : latestShipDate + autoAfter,
    clock: placedAt,
    eventIds: [],
    status: 'buyer-cancellable',
    items: input.items.map((item) => ({
      orderItemId: item.orderItemId,
      ...(item.sku === undefined ? {} : { sku: item.sku }),
      ordered: item.quantity,
      canceled: 0,
      requested: false,
    })),
    cancellations: [],
    requests: [],
    labelGeneratedAt: null,
    shippedAt: null,
    shippedLate: null,
  };
}

/** What is left of each item, items with nothing left omitted. */
export function modelRemaining(order: ModelOrder): ModelItemQuantity[] {
  return order.items.filter((item) => item.ordered > item.canceled).map((item) => ({ orderItemId: item.orderItemId, quantity: item.ordered - item.canceled }));
}

/** The Cancellation Rate rule of DESIGN.md, written out case by case. */
export function modelCountsAgainstRate(order: ModelOrder, by: ModelCancellation['by'], reason: string, items: ModelItemQuantity[]): boolean {
  if (order.channel === 'AFN') return false;
  switch (by) {
    case 'buyer':
      return false;
    case 'system':
      return true;
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

function cancel(order: ModelOrder, by: ModelCancellation['by'], reason: string, at: number, items: ModelItemQuantity[], occurredAt?: number): ModelStep {
  const record: ModelCancellation = { by, reason, at, ...(occurredAt === undefined ? {} : { occurredAt }), items, countsAgainstRate: modelCountsAgainstRate(order, by, reason, items) };
  const next = withRecord(order, record);
  const whole = modelRemaining(next).length === 0;
  if (whole) next.status = by === 'system' ? 'auto-canceled' : 'canceled';
  const topic = whole ? 'orderCanceled' : 'itemsCanceled';
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

/** Moves the model's clock to `at`: the window closes, then the auto-cancel falls due; the clock moves only if one did. */
export function advanceModel(order: ModelOrder, at: number): { order: ModelOrder; effects: ModelEffect[] } {
  let current = order;
  if (current.status === 'buyer-cancellable' && at >= current.windowEnd) current = { ...current, status: 'unshipped', clock: Math.max(current.clock, at) };
  if ((current.status === 'unshipped' || current.status === 'label-generated') && current.autoCancelAt !== null && at >= current.autoCancelAt) {
    const step = cancel(current, 'system', 'NotShippedInTime', current.autoCancelAt, modelRemaining(current));
    return { order: { ...step.order, status: 'auto-canceled', clock: Math.max(current.clock, at) }, effects: step.effects };
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
  if (event.eventId !== undefined && start.eventIds.includes(event.eventId)) return { order: start, effects: [], verdict: { accepted: true, duplicate: true } };
  const late = own < start.clock;
  const at = late ? start.clock : own;
  const occurredAt = late ? own : undefined;
  const lateOf = late ? { late: true as const } : {};
  if (event.type === 'marketplace.orderCanceled' || event.type === 'marketplace.orderShipped') {
    // Facts are not judged, and never late; time still comes first.
    if (own < start.placedAt) return refused(start, [], 'EVENT_BEFORE_PLACEMENT', false);
    const ended = (order: ModelOrder, effects: ModelEffect[]): ModelStep =>
      agreesWithEnd(order.status, event)
        ? { order, effects, verdict: { accepted: true } }
        : refused(order, effects, order.status === 'shipped' ? 'ALREADY_SHIPPED' : 'ALREADY_CANCELED', false);
    if (isFinalStatus(start.status)) return ended(start, []);
    const { order: timed, effects: timeEffects } = advanceModel(start, at);
    if (isFinalStatus(timed.status)) return ended(timed, timeEffects);
    const applied = applyFact({ ...timed, clock: at, eventIds: event.eventId === undefined ? timed.eventIds : [...timed.eventIds, event.eventId] }, event, own);
    return { order: applied, effects: timeEffects, verdict: { accepted: true } };
  }
  if (isFinalStatus(start.status)) {
    if (own < start.placedAt) return refused(start, [], 'EVENT_BEFORE_PLACEMENT', late);
    if (event.type === 'clock.tick') return { order: start, effects: [], verdict: { accepted: true, ...lateOf } };
    return refused(start, [], start.status === 'shipped' ? 'ALREADY_SHIPPED' : 'ALREADY_CANCELED', late);
  }
  if (own < start.placedAt) return refused(start, [], 'EVENT_BEFORE_PLACEMENT', late);
  const { order: timed, effects: timeEffects } = advanceModel(start, at);
  if (event.type === 'clock.tick') return { order: timed, effects: timeEffects, verdict: { accepted: true, ...lateOf } };
  if (timed.status === 'shipped') return refused(timed, timeEffects, 'ALREADY_SHIPPED', late);
  if (timed.status === 'canceled' || timed.status === 'auto-canceled') return refused(timed, timeEffects, 'ALREADY_CANCELED', late);
  // An accepted event moves the clock and is remembered by its id.
  const order: ModelOrder = { ...timed, clock: at, eventIds: event.eventId === undefined ? timed.eventIds : [...timed.eventIds, event.eventId] };
  const accept = (next: ModelOrder, effects: ModelEffect[] = []): ModelStep => ({ order: next, effects, verdict: { accepted: true, ...lateOf } });
  const deny = (code: ModelCode) => refused(timed, timeEffects, code, late);
  const known = (id: string) => order.items.some((item) => item.orderItemId === id);
  const withLate = (step: ModelStep): ModelStep => ({ ...step, verdict: { ...step.verdict, ...lateOf } });

  switch (event.type) {
    case 'buyer.cancel':
      if (order.status === 'label-generated') return deny('LABEL_GENERATED');
      if (order.status !== 'buyer-cancellable') return deny('BUYER_WINDOW_CLOSED');
      return withLate(cancel(order, 'buyer', 'BuyerSelfCanceled', at, modelRemaining(order), occurredAt));

    case 'buyer.requestCancellation': {
      if (order.status === 'label-generated') return deny('LABEL_GENERATED');
      const named = event.orderItemIds ?? order.items.map((item) => item.orderItemId);
      if (!named.every(known)) return deny('UNKNOWN_ITEM');
      const ids = [...new Set(named)].sort();
      const official = isOfficialRequestModel(event.source, event.subject);
      const same = (a: string[], b: string[]) => a.length === b.length && a.every((id, index) => id === b[index]);
      // The same request again records nothing and notifies no one.
      if (order.requests.some((request) => request.source === event.source && request.official === official && same(request.orderItemIds, ids))) return accept(order);
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
        items: order.items.map((item) => (official && ids.includes(item.orderItemId) ? { ...item, requested: true } : item)),
      };
      return accept(next, [
        official
          ? { type: 'seller.notified', orderId: order.orderId, at, topic: 'cancellationRequested' }
          : { type: 'buyer.guidance', orderId: order.orderId, at },
      ]);
    }

    case 'seller.cancel': {
      if (order.channel === 'AFN') return deny('FULFILLED_BY_AMAZON');
      if (order.status === 'buyer-cancellable') return deny('ORDER_PENDING');
      if (order.status === 'label-generated') return deny('LABEL_GENERATED');
      const items = event.items ?? modelRemaining(order);
      if (!items.every((item) => known(item.orderItemId))) return deny('UNKNOWN_ITEM');
      for (const wanted of items) {
        const item = order.items.find((candidate) => candidate.orderItemId === wanted.orderItemId)!;
        if (wanted.quantity > item.ordered - item.canceled) return deny('QUANTITY_EXCEEDS_REMAINING');
      }
      return withLate(cancel(order, 'seller', event.reason, at, items, occurredAt));
    }

    case 'seller.generateLabel':
      if (order.channel === 'AFN') return deny('FULFILLED_BY_AMAZON');
      if (order.status === 'buyer-cancellable') return deny('ORDER_PENDING');
      // A second label is accepted and changes nothing but the clock.
      return accept(order.status === 'unshipped' ? { ...order, status: 'label-generated', labelGeneratedAt: at } : order);

    case 'seller.voidLabel':
      if (order.status !== 'label-generated') return deny('NO_LABEL');
      return accept(order);

    case 'seller.confirmShipment':
      if (order.channel === 'AFN') return deny('FULFILLED_BY_AMAZON');
      if (order.status === 'buyer-cancellable') return deny('ORDER_PENDING');
      return accept({ ...order, status: 'shipped', shippedAt: at, shippedLate: at > order.latestShipDate }, [
        { type: 'buyer.notified', orderId: order.orderId, at, topic: 'orderShipped' },
      ]);
  }
}

/** The next instant at which time alone changes the order in the model, or null. */
export function modelNextDeadline(order: ModelOrder): number | null {
  if (order.status === 'buyer-cancellable') return order.windowEnd;
  if (order.status === 'unshipped' || order.status === 'label-generated') return order.autoCancelAt;
  return null;
}
