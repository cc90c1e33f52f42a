import fc from 'fast-check';
import type { CancelReason, OrderEventInput, OrderInput } from '../domain/index.js';
import {
  SELLER_REASONS,
  createModelOrder,
  stepModel,
  type ModelEvent,
  type ModelPolicy,
  type ModelInput,
  type ModelOrder,
} from './model.js';

/** The item ids generated orders draw from; events also name `UNKNOWN_ITEM_ID`, which no order has. */
const ITEM_IDS = ['A', 'B', 'C', 'D'] as const;
/** An item id no generated order has, for events that name an unknown item. */
const UNKNOWN_ITEM_ID = 'Z';

/** Every seller cancel reason Amazon accepts: the reference model's own list, not the package's schema. */
export const cancelReasons = SELLER_REASONS satisfies readonly CancelReason[];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const START = Date.UTC(2024, 0, 1);
const END = Date.UTC(2030, 0, 1);

/** ISO-8601 text for `ms` with a fixed UTC offset in minutes, e.g. `+08:00`. */
function isoWithOffset(ms: number, offsetMinutes: number): string {
  if (offsetMinutes === 0) return new Date(ms).toISOString();
  const local = new Date(ms + offsetMinutes * MINUTE).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

const instantText = (ms: number): fc.Arbitrary<number | string> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(ms) },
    { weight: 1, arbitrary: fc.constantFrom(0, 480, -300, 330).map((offset) => isoWithOffset(ms, offset)) },
  );

/** Options of `orderInputArbitrary`. */
export interface OrderInputOptions {
  /** Only this fulfilment channel; by default mostly MFN, sometimes AFN. */
  channel?: 'MFN' | 'AFN';
  /** Whether to generate a per-order policy override (default: sometimes). Pass false for a machine with its own policy. */
  withPolicy?: boolean;
}

/** A policy override: a window of 1 ms to 2 h, an auto-cancel delay up to 40 days (longer than one Node timer). */
const policyOverrideArbitrary = (): fc.Arbitrary<NonNullable<OrderInput['policy']>> =>
  fc.integer({ min: 1, max: 120 * MINUTE }).chain((window) =>
    fc.oneof(
      fc.record({
        buyerCancelWindowMs: fc.constant(window),
        autoCancelAfterMs: fc.oneof(
          fc.constant(window + 1),
          fc.integer({ min: window + 1, max: 40 * DAY }),
          fc.constantFrom(5 * DAY, 7 * DAY),
        ),
      }),
      fc.record({ buyerCancelWindowMs: fc.constant(window) }),
      fc.record({ autoCancelAfterMs: fc.integer({ min: 30 * MINUTE + 1, max: 40 * DAY }) }),
    ),
  );

/**
 * Order inputs: 1 to 4 items with quantities 1 to 5, MFN or AFN, times as epoch ms or ISO-8601 with an
 * offset, a latest ship date from the purchase instant to 5 days later (sometimes none yet, as Amazon's model
 * allows), and sometimes a policy override.
 * @example
 * fc.assert(fc.property(orderInputArbitrary(), (input) => createOrder(input).verdict.accepted));
 */
export function orderInputArbitrary(options: OrderInputOptions = {}): fc.Arbitrary<OrderInput> {
  const items = fc
    .uniqueArray(fc.constantFrom(...ITEM_IDS), { minLength: 1, maxLength: ITEM_IDS.length })
    .chain((ids) =>
      fc.tuple(
        ...ids.map((id) =>
          fc.record({
            orderItemId: fc.constant(id),
            quantity: fc.integer({ min: 1, max: 5 }),
            sku: fc.option(fc.constantFrom('SKU-1', 'SKU-2'), { nil: undefined }),
          }),
        ),
      ),
    )
    .map((list) => list.map(({ sku, ...item }) => (sku === undefined ? item : { ...item, sku })));
  const channel = options.channel
    ? fc.constant(options.channel)
    : fc.constantFrom<'MFN' | 'AFN'>('MFN', 'MFN', 'MFN', 'AFN');
  const policy =
    options.withPolicy === false
      ? fc.constant(undefined)
      : fc.option(policyOverrideArbitrary(), { nil: undefined, freq: 3 });
  return fc
    .record({
      orderId: fc.stringMatching(/^\d{3}-\d{7}-\d{7}$/),
      placedAt: fc.integer({ min: START, max: END }),
      shipAfter: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 * DAY }), fc.constantFrom(30 * MINUTE, 2 * DAY)),
      items,
      channel,
      marketplaceId: fc.option(fc.constantFrom('ATVPDKIKX0DER', 'A1PA6795UKMFR9', 'A1VC38T7YXB528', 'XXUNKNOWN'), {
        nil: undefined,
      }),
      policy,
    })
    .chain(({ placedAt, shipAfter, channel, marketplaceId, policy, ...rest }) =>
      fc
        .record({
          placedAt: instantText(placedAt),
          latestShipDate: fc.option(instantText(placedAt + shipAfter), { nil: undefined, freq: 10 }),
        })
        .map(({ latestShipDate, ...times }) => {
          const input: OrderInput = { orderId: rest.orderId, ...times, items: rest.items, fulfillmentChannel: channel };
          if (latestShipDate !== undefined) input.latestShipDate = latestShipDate;
          if (marketplaceId !== undefined) input.marketplaceId = marketplaceId;
          if (policy !== undefined) input.policy = policy;
          return input;
        }),
    );
}

/** Where an event's instant is anchored: the model's current time, or one of the order's deadlines. */
type TimeAnchor = 'now' | 'placedAt' | 'windowEnd' | 'latestShipDate' | 'autoCancelAt';
/** An event's instant relative to an anchor: `offset` ms after it. */
interface TimeSpec {
  anchor: TimeAnchor;
  offset: number;
  /** Send `at` as ISO-8601 text with this UTC offset in minutes instead of epoch ms. */
  iso?: number;
}

/** Instants that cluster at the window end and `autoCancelAt` (± 1 ms), else a little or a lot after now. */
const timeSpecArbitrary = (): fc.Arbitrary<TimeSpec> =>
  fc
    .tuple(timeAnchorArbitrary(), fc.option(fc.constantFrom(0, 480, -300), { nil: undefined, freq: 8 }))
    .map(([spec, iso]) => (iso === undefined ? spec : { ...spec, iso }));

const timeAnchorArbitrary = (): fc.Arbitrary<TimeSpec> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('now'), offset: fc.constant(0) }) },
    // Late: the event happened before what the order has already seen.
    {
      weight: 1,
      arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('now'), offset: fc.integer({ min: -2 * DAY, max: -1 }) }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        anchor: fc.constant<TimeAnchor>('now'),
        offset: fc.integer({ min: 0, max: 20 * MINUTE }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('now'), offset: fc.integer({ min: 0, max: 2 * DAY }) }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('windowEnd'), offset: fc.constantFrom(-1, 0, 1) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('autoCancelAt'), offset: fc.constantFrom(-1, -1, 0, 1) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        anchor: fc.constantFrom<TimeAnchor>('placedAt', 'latestShipDate'),
        offset: fc.constantFrom(-1, 0, 1),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        anchor: fc.constant<TimeAnchor>('placedAt'),
        offset: fc.oneof(fc.integer({ min: -DAY, max: -1 }), fc.integer({ min: 0, max: 3 * DAY })),
      }),
    },
  );

/** An event's `at` in epoch ms (it may be ISO-8601 text). */
export const instantMs = (at: number | string | Date): number =>
  typeof at === 'number' ? at : at instanceof Date ? at.getTime() : Date.parse(at);

/** The auto-cancel instant, or for an order Amazon fulfils (which has none) where it would be. */
const autoCancelOrNominal = (order: ModelOrder): number =>
  order.autoCancelAt ?? (order.latestShipDate ?? order.placedAt) + 7 * DAY;

/** Resolves a time spec against an order and the current time. */
function resolveTime(spec: TimeSpec, order: ModelOrder, now: number): number {
  const base = {
    now,
    placedAt: order.placedAt,
    windowEnd: order.windowEnd,
    latestShipDate: order.latestShipDate ?? order.placedAt,
    autoCancelAt: autoCancelOrNominal(order),
  }[spec.anchor];
  return Math.max(0, base + spec.offset);
}

/**
 * A quantity: a number, exactly what remains, or one more than remains; for a shipment fact (a total), `shipped` is
 * what has shipped already (a report that ships nothing new).
 */
type QuantitySpec = number | 'remaining' | 'remaining+1' | 'shipped';

/** An event whose instant and quantities are resolved against the order when it is sent. */
export type EventTemplate = (
  | {
      type: 'buyer.cancel' | 'seller.generateLabel' | 'seller.voidLabel' | 'seller.confirmShipment' | 'clock.tick';
      time: TimeSpec;
    }
  | {
      type: 'buyer.requestCancellation';
      time: TimeSpec;
      source: 'order-flag' | 'message';
      subject?: string;
      orderItemIds?: ItemRef[];
      reason?: string;
    }
  | {
      type: 'seller.cancel';
      time: TimeSpec;
      reason: string;
      items?: { orderItemId: ItemRef; quantity: QuantitySpec }[];
    }
  | { type: 'seller.confirmShipment'; time: TimeSpec; items: { orderItemId: ItemRef; quantity: QuantitySpec }[] }
  | {
      type: 'marketplace.orderCanceled';
      time: TimeSpec;
      cancelledBy: 'buyer' | 'seller' | 'amazon' | 'unknown';
      reason?: string;
      items?: { orderItemId: ItemRef; quantity: QuantitySpec }[];
    }
  | { type: 'marketplace.orderShipped'; time: TimeSpec; items?: { orderItemId: ItemRef; quantity: QuantitySpec }[] }
  | { type: 'marketplace.statusReported'; time: TimeSpec; status: 'pending' | 'unshipped'; latestShipDate?: number }
) & { eventId?: string };

/** Event ids from a small pool, so that the same id often comes back (a redelivered event). */
const eventIdArbitrary = fc.constantFrom('evt-1', 'evt-2', 'evt-3', 'sqs:4f1c', 'ORDER_CHANGE#113-1');

const names = fc.constantFrom('Li Wei', 'Jane Doe', '王芳', 'O’Brien');

/** Official subject lines (English or Chinese standard subject, perhaps behind reply prefixes). */
export const officialSubjectArbitrary = (): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('', '', ' ', 'RE: ', 'Re:', 'RE : ', 'RE: RE: ', 'Fwd: ', 'FW：', '回复：', '答复: ', '转发:'),
      fc.oneof(
        names.map((name) => `Order cancellation request from Amazon customer ${name}`),
        names.map((name) => `order cancellation request from amazon customer ${name} (Order: 111-2222222-3333333)`),
        names.map((name) => `亚马逊买家${name}的订单取消申请`),
      ),
    )
    .map(([prefix, subject]) => prefix + subject);

/** Subjects of non-standard requests: they mention cancelling but are not the standard subject line. */
const nonStandardSubjectArbitrary = (): fc.Arbitrary<string> =>
  fc.constantFrom(
    'Please cancel my order',
    'RE: cancel order 111-2222222-3333333',
    '取消订单',
    '请取消我的订单',
    'Question about Order cancellation request from Amazon customer',
    'Order cancellation',
    'Fwd: 订单取消申请',
    '关于亚马逊买家王芳的订单取消申请',
    'Note: Order cancellation request from Amazon customer Li Wei',
    'Order cancellation request',
    '',
  );

/** An item of the order by position (resolved modulo its item count), or an id the order does not have. */
type ItemRef = number | typeof UNKNOWN_ITEM_ID;
const itemRefArbitrary: fc.Arbitrary<ItemRef> = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 0, max: ITEM_IDS.length - 1 }) },
  { weight: 1, arbitrary: fc.constant(UNKNOWN_ITEM_ID) },
);
const resolveRef = (ref: ItemRef, order: ModelOrder): string =>
  ref === UNKNOWN_ITEM_ID ? ref : order.items[ref % order.items.length]!.orderItemId;

/** Event templates of every type, with every cancel reason, official and non-standard requests, partial cancels. */
export function eventTemplateArbitrary(): fc.Arbitrary<EventTemplate> {
  const time = timeSpecArbitrary();
  const simple = fc.record({
    type: fc.constantFrom(
      'buyer.cancel',
      'buyer.cancel',
      'seller.generateLabel',
      'seller.voidLabel',
      'seller.confirmShipment',
      'clock.tick',
    ) as fc.Arbitrary<
      'buyer.cancel' | 'seller.generateLabel' | 'seller.voidLabel' | 'seller.confirmShipment' | 'clock.tick'
    >,
    time,
  });
  const request = fc.record(
    {
      type: fc.constant('buyer.requestCancellation' as const),
      time,
      source: fc.constantFrom<'order-flag' | 'message'>('order-flag', 'message', 'message'),
      subject: fc.oneof(officialSubjectArbitrary(), nonStandardSubjectArbitrary()),
      orderItemIds: fc.array(itemRefArbitrary, { minLength: 1, maxLength: 3 }),
      reason: fc.constantFrom('Ordered by mistake', '下错单了'),
    },
    { requiredKeys: ['type', 'time', 'source'] },
  );
  const quantity: fc.Arbitrary<QuantitySpec> = fc.oneof(
    fc.integer({ min: 1, max: 6 }),
    fc.constantFrom<QuantitySpec>('remaining', 'remaining', 'remaining+1'),
  );
  // Facts the marketplace reports: a cancel by anyone (some with Amazon's own reason words), a shipment.
  const marketplaceFact: fc.Arbitrary<EventTemplate> = fc.oneof(
    {
      weight: 1,
      arbitrary: fc.record(
        {
          type: fc.constant('marketplace.orderCanceled' as const),
          time,
          cancelledBy: fc.constantFrom<'buyer' | 'seller' | 'amazon' | 'unknown'>(
            'buyer',
            'seller',
            'amazon',
            'unknown',
          ),
          reason: fc.constantFrom(
            'BuyerCanceled',
            'NoInventory',
            'NotShippedInTime',
            'Unfulfillable',
            'BUYER_REQUESTED',
          ),
          items: fc.array(
            fc.record({
              orderItemId: itemRefArbitrary,
              quantity: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant<QuantitySpec>('remaining')),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        },
        { requiredKeys: ['type', 'time', 'cancelledBy'] },
      ),
    },
    // Amazon's pulls report the units shipped so far: a number in all, or every unit (`remaining`).
    {
      weight: 1,
      arbitrary: fc.record(
        {
          type: fc.constant('marketplace.orderShipped' as const),
          time,
          items: fc.array(
            fc.record({
              orderItemId: itemRefArbitrary,
              quantity: fc.oneof(fc.integer({ min: 1, max: 6 }), fc.constant<QuantitySpec>('remaining')),
            }),
            { minLength: 1, maxLength: 3 },
          ),
        },
        { requiredKeys: ['type', 'time'] },
      ),
    },
    // Amazon's word on readiness: Pending holds the order, Unshipped frees it, sometimes with a latest ship date.
    {
      weight: 3,
      arbitrary: fc.record(
        {
          type: fc.constant('marketplace.statusReported' as const),
          time,
          status: fc.constantFrom<'pending' | 'unshipped'>('pending', 'unshipped', 'unshipped'),
          latestShipDate: fc.constantFrom(0, 10 * MINUTE, 2 * DAY),
        },
        { requiredKeys: ['type', 'time', 'status'] },
      ),
    },
  );
  // Some of the open units in one package.
  const partialShipment = fc.record({
    type: fc.constant('seller.confirmShipment' as const),
    time,
    items: fc.array(fc.record({ orderItemId: itemRefArbitrary, quantity }), { minLength: 1, maxLength: 3 }),
  });
  const sellerCancel = fc.record(
    {
      type: fc.constant('seller.cancel' as const),
      time,
      reason: fc.oneof(
        { weight: 3, arbitrary: fc.constant('BuyerCanceled') },
        { weight: 4, arbitrary: fc.constantFrom(...cancelReasons) },
      ),
      items: fc.array(fc.record({ orderItemId: itemRefArbitrary, quantity }), { minLength: 1, maxLength: 4 }),
    },
    { requiredKeys: ['type', 'time', 'reason'] },
  );
  return fc
    .tuple(
      fc.oneof(
        { weight: 5, arbitrary: simple },
        { weight: 3, arbitrary: request },
        { weight: 4, arbitrary: sellerCancel },
        { weight: 2, arbitrary: partialShipment },
        { weight: 3, arbitrary: marketplaceFact },
      ),
      fc.option(eventIdArbitrary, { freq: 3, nil: undefined }),
    )
    .map(([template, eventId]) =>
      eventId === undefined ? template : { ...template, eventId },
    ) as fc.Arbitrary<EventTemplate>;
}

/**
 * The seller's label path: buying a label, voiding it (most often) and confirming shipment, soon after what the
 * order has seen or just as the buyer's window closes, sometimes late or with an id. Uniform event types
 * reach a voided label rarely (the window must close and a label exist first); this makes it common.
 * @example
 * fc.sample(labelPathTemplateArbitrary(), 3); // e.g. [{ type: 'seller.voidLabel', time: { anchor: 'now', offset: 0 } }, …]
 */
export function labelPathTemplateArbitrary(): fc.Arbitrary<EventTemplate> {
  // (The path also ships some units: confirmed, or reported by Amazon, with or without the label.)
  const time = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        anchor: fc.constant<TimeAnchor>('now'),
        offset: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 20 * MINUTE })),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('windowEnd'), offset: fc.constantFrom(0, 1, MINUTE) }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ anchor: fc.constant<TimeAnchor>('now'), offset: fc.integer({ min: -DAY, max: -1 }) }),
    },
  );
  const type = fc.constantFrom(
    'seller.generateLabel',
    'seller.voidLabel',
    'seller.voidLabel',
    'seller.confirmShipment',
  ) as fc.Arbitrary<'seller.generateLabel' | 'seller.voidLabel' | 'seller.confirmShipment'>;
  // A package of some units, confirmed by the seller or reported by Amazon in all (a label serves one package).
  const some = fc.array(
    fc.record({
      orderItemId: itemRefArbitrary,
      quantity: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant<QuantitySpec>('remaining')),
    }),
    { minLength: 1, maxLength: 2 },
  );
  // Amazon's totals: sometimes of an item the order does not have, or what already shipped (nothing new ships).
  const reported = fc.oneof(
    { weight: 3, arbitrary: itemRefArbitrary },
    { weight: 1, arbitrary: fc.constant<ItemRef>(UNKNOWN_ITEM_ID) },
  );
  const totals = fc.array(
    fc.record({ orderItemId: reported, quantity: fc.constantFrom<QuantitySpec>(1, 'remaining', 'shipped') }),
    { maxLength: 2, minLength: 1 },
  );
  const shipment: fc.Arbitrary<EventTemplate> = fc.oneof(
    fc.record({ type: fc.constant('seller.confirmShipment' as const), time, items: some }),
    fc.record({ type: fc.constant('marketplace.orderShipped' as const), time, items: totals }),
  );
  return fc
    .tuple(
      fc.oneof(
        { weight: 3, arbitrary: fc.record({ type, time }) as fc.Arbitrary<EventTemplate> },
        { weight: 2, arbitrary: shipment },
      ),
      fc.option(eventIdArbitrary, { freq: 4, nil: undefined }),
    )
    .map(([template, eventId]) => (eventId === undefined ? template : { ...template, eventId }));
}

/** Turns a template into a concrete event for the order as the model sees it at `now`. */
export function resolveEvent(template: EventTemplate, order: ModelOrder, now: number): OrderEventInput {
  const event = resolveEventWithoutId(template, order, now);
  return template.eventId === undefined ? event : { ...event, eventId: template.eventId };
}

function resolveEventWithoutId(template: EventTemplate, order: ModelOrder, now: number): OrderEventInput {
  const ms = resolveTime(template.time, order, now);
  const at = template.time.iso === undefined ? ms : isoWithOffset(ms, template.time.iso);
  switch (template.type) {
    case 'buyer.requestCancellation': {
      const { time: _time, orderItemIds, eventId: _id, ...rest } = template;
      return {
        ...rest,
        at,
        ...(orderItemIds ? { orderItemIds: [...new Set(orderItemIds.map((ref) => resolveRef(ref, order)))] } : {}),
      };
    }
    case 'marketplace.statusReported': {
      const { time: _time, eventId: _id, latestShipDate, ...rest } = template;
      return {
        ...rest,
        at,
        ...(latestShipDate === undefined ? {} : { latestShipDate: order.placedAt + latestShipDate }),
      };
    }
    case 'marketplace.orderShipped':
    case 'marketplace.orderCanceled':
    case 'seller.confirmShipment':
    case 'seller.cancel': {
      const event: Extract<OrderEventInput, { items?: unknown }> =
        template.type === 'seller.cancel'
          ? { type: 'seller.cancel', at, reason: template.reason as CancelReason }
          : template.type === 'marketplace.orderCanceled'
            ? {
                type: 'marketplace.orderCanceled',
                at,
                cancelledBy: template.cancelledBy,
                ...(template.reason === undefined ? {} : { reason: template.reason }),
              }
            : { type: template.type, at };
      // A shipment fact counts the units shipped in all; the others name units still open.
      if ('items' in template && template.items)
        event.items = resolveItems(template.items, order, template.type === 'marketplace.orderShipped');
      return event;
    }
    default:
      return { type: template.type, at };
  }
}

/** Item refs resolved to ids (each once) and quantities resolved against what is open (plus what shipped, for totals). */
function resolveItems(
  items: { orderItemId: ItemRef; quantity: QuantitySpec }[],
  order: ModelOrder,
  totals: boolean,
): { orderItemId: string; quantity: number }[] {
  const seen = new Set<string>();
  return items
    .map((item) => ({ ...item, orderItemId: resolveRef(item.orderItemId, order) }))
    .filter((item) => !seen.has(item.orderItemId) && seen.add(item.orderItemId))
    .map(({ orderItemId, quantity }) => {
      const item = order.items.find((candidate) => candidate.orderItemId === orderItemId);
      const left = item ? item.ordered - item.canceled - item.shipped + (totals ? item.shipped : 0) : 0;
      const resolved =
        quantity === 'remaining'
          ? left
          : quantity === 'remaining+1'
            ? left + 1
            : quantity === 'shipped'
              ? (item?.shipped ?? 0)
              : quantity;
      return { orderItemId, quantity: Math.max(1, resolved) };
    });
}

/** How far an AdvanceTime step moves the clock: some milliseconds, or up to a deadline ± 1 ms. */
export type AdvanceSpec = { by: number } | { to: 'windowEnd' | 'autoCancelAt'; offset: number };

/** How far time moves: by some ms, or to a deadline give or take a little. */
export const advanceSpecArbitrary = (): fc.Arbitrary<AdvanceSpec> =>
  fc.oneof(
    { weight: 3, arbitrary: fc.record({ by: fc.integer({ min: 0, max: 45 * MINUTE }) }) },
    { weight: 2, arbitrary: fc.record({ by: fc.integer({ min: 0, max: 3 * DAY }) }) },
    { weight: 1, arbitrary: fc.record({ by: fc.integer({ min: 0, max: 50 * DAY }) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        to: fc.constantFrom<'windowEnd' | 'autoCancelAt'>('windowEnd', 'windowEnd', 'autoCancelAt'),
        offset: fc.constantFrom(-1, 0, 1),
      }),
    },
  );

/** The instant an AdvanceTime step moves the clock to (never backwards). */
export function resolveAdvance(spec: AdvanceSpec, order: ModelOrder, now: number): number {
  if ('by' in spec) return now + spec.by;
  return Math.max(now, (spec.to === 'windowEnd' ? order.windowEnd : autoCancelOrNominal(order)) + spec.offset);
}

/** One step of a scenario: an event, or time passing. */
type ScenarioStep = { event: EventTemplate } | { advance: AdvanceSpec };

/** One step of a scenario: an event, or time moving on. */
const scenarioStepArbitrary = (): fc.Arbitrary<ScenarioStep> =>
  fc.oneof(
    { weight: 4, arbitrary: eventTemplateArbitrary().map((event) => ({ event })) },
    { weight: 1, arbitrary: labelPathTemplateArbitrary().map((event) => ({ event })) },
    { weight: 1, arbitrary: advanceSpecArbitrary().map((advance) => ({ advance })) },
  );

/** An order and the events it receives, with concrete instants (time passing becomes a `clock.tick`). */
export interface OrderScenario {
  input: OrderInput;
  events: OrderEventInput[];
}

/**
 * Orders with event sequences whose instants cluster around the deadlines; quantities are resolved against
 * what remains at each step (by the reference model), so that exact and too-large partial cancels are common.
 * @example
 * fc.assert(fc.property(orderScenarioArbitrary(), ({ input, events }) => { ... }));
 */
export function orderScenarioArbitrary(
  options: OrderInputOptions & { maxEvents?: number; inputs?: fc.Arbitrary<OrderInput>; policy?: ModelPolicy } = {},
): fc.Arbitrary<OrderScenario> {
  return fc
    .tuple(
      options.inputs ?? orderInputArbitrary(options),
      fc.array(scenarioStepArbitrary(), { maxLength: options.maxEvents ?? 16, size: '+1' }),
    )
    .map(([input, steps]) => {
      let order = createModelOrder(input as ModelInput, options.policy);
      let now = order.placedAt;
      const events: OrderEventInput[] = [];
      for (const step of steps) {
        const event: OrderEventInput =
          'event' in step
            ? resolveEvent(step.event, order, now)
            : { type: 'clock.tick', at: resolveAdvance(step.advance, order, now) };
        events.push(event);
        order = stepModel(order, event as ModelEvent).order;
        now = Math.max(now, instantMs(event.at));
      }
      return { input, events };
    });
}
