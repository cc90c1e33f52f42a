import * as z from 'zod/mini';
import { Instant } from './time.js';
import { PolicyOverride, Policy } from './policy.js';
import { textProblem } from './text.js';
import { describe, parseOrThrow } from './parse.js';

/**
 * The longest id the package takes, in characters (UTF-16 code units): order ids, order item ids, SKUs,
 * marketplace ids and event ids. Amazon's own are far shorter (an order id has 19 characters,
 * `113-1234567-1234567`; an order item id 14 digits; a SKU at most 40; a marketplace id 13 or 14); 128 leaves room
 * for other marketplaces' ids and for event ids made of several parts.
 */
export const MAX_ID_LENGTH = 128;
/** The longest free text the package takes, in characters: a request's subject and reason, a cancellation's reason and note. */
export const MAX_TEXT_LENGTH = 1000;
/** The longest idempotency key the service takes, in characters. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/**
 * A string of at most `max` characters that every store keeps as given: well-formed Unicode (no lone surrogate,
 * which PostgreSQL would store as U+FFFD, so two ids would share a row) and no control character (PostgreSQL
 * refuses U+0000); free text may have tabs and line breaks.
 */
function boundedString(max: number, lineBreaks: boolean) {
  return z.string().check(
    z.superRefine((value, ctx) => {
      const problem = textProblem(value, { max, lineBreaks });
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
    }),
  );
}

/**
 * An id (order, order item, SKU, marketplace, event): 1 to 128 characters, well-formed Unicode, no control characters.
 * @example
 * Identifier.parse('113-1234567-1234567');
 */
export const Identifier = boundedString(MAX_ID_LENGTH, false).check(z.minLength(1));
/**
 * Free text (a subject, a reason, a note): at most 1,000 characters, well-formed Unicode, no control characters
 * but tabs and line breaks.
 * @example
 * Text.parse('Order cancellation request from Amazon customer');
 */
export const Text = boundedString(MAX_TEXT_LENGTH, true);
/**
 * An idempotency key of the order service: 1 to 255 characters, well-formed Unicode, no control characters.
 * @example
 * IdempotencyKey.parse('req-1');
 */
export const IdempotencyKey = boundedString(MAX_IDEMPOTENCY_KEY_LENGTH, false).check(z.minLength(1));

/**
 * Amazon's cancel reason codes (order acknowledgement feed `CancelReason`), older and newer.
 * @example
 * CancelReason.parse('NoInventory');
 */
export const CancelReason = z.enum([
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
]);
export type CancelReason = z.infer<typeof CancelReason>;

/** Why a cancellation record exists: a seller reason, the buyer's own cancel, or Amazon's auto-cancel. */
const CancellationReason = z.union([
  CancelReason,
  z.enum(['BuyerSelfCanceled', 'NotShippedInTime', 'MarketplaceCanceled']),
]);
type CancellationReason = z.infer<typeof CancellationReason>;

/**
 * Checks an order id given beside a payload (`service.apply(orderId, …)`, `get`, `history`) with the bounds of
 * `Identifier`, before any store sees it; throws InvalidInputError naming `orderId` and the value.
 * @example
 * checkOrderId('113-1234567-1234567');
 */
export function checkOrderId(orderId: unknown): void {
  parseOrThrow(Identifier, orderId, 'order id', 'orderId');
}

/**
 * Checks an idempotency key, when one is given, with the bounds of `IdempotencyKey`, before any store sees it;
 * throws InvalidInputError naming `idempotencyKey` and the value.
 * @example
 * checkIdempotencyKey(request.idempotencyKey);
 */
export function checkIdempotencyKey(key: unknown): void {
  if (key !== undefined) parseOrThrow(IdempotencyKey, key, 'request options', 'idempotencyKey');
}

const OrderItemId = Identifier;
// Stored snapshots are read with the shapes they were written with: the bounds above apply to what comes in, so a
// row written before them stays readable.
const StoredId = z.string().check(z.minLength(1));
const Quantity = z.number().check(z.int(), z.positive());

/**
 * What the marketplace last said about an order's readiness: `pending` (Amazon's Pending: nothing can ship or be
 * cancelled by the seller) or `unshipped` (the seller may ship and cancel).
 */
const MarketplaceStatus = z.enum(['pending', 'unshipped']);
type MarketplaceStatus = z.infer<typeof MarketplaceStatus>;

/** One line of an order as Amazon reports it. */
const OrderItemInput = z.strictObject({
  orderItemId: OrderItemId,
  sku: z.optional(Identifier),
  quantity: Quantity,
});

/**
 * What an order starts from. `placedAt` is the purchase instant, `latestShipDate` Amazon's latest ship
 * date; both are ISO-8601 with an offset, or epoch ms. An order whose latest ship date is not known yet (Amazon's
 * model marks it optional) has no auto-cancel deadline until a `marketplace.statusReported` fact brings one.
 * @example
 * const input: OrderInput = { orderId: '113-1234567-1234567', placedAt: '2026-11-26T10:00:00+08:00',
 *   latestShipDate: '2026-11-28T23:59:59+08:00', items: [{ orderItemId: 'A', quantity: 2 }] };
 */
export const OrderInput = z
  .strictObject({
    orderId: Identifier,
    placedAt: Instant,
    latestShipDate: z.optional(Instant),
    items: z.array(OrderItemInput).check(z.minLength(1)),
    fulfillmentChannel: z._default(z.enum(['MFN', 'AFN']), 'MFN'),
    marketplaceId: z.optional(Identifier),
    policy: z.optional(PolicyOverride),
  })
  .check(
    z.superRefine((input, ctx) => {
      if (input.latestShipDate !== undefined && input.latestShipDate < input.placedAt) {
        ctx.addIssue({
          code: 'custom',
          path: ['latestShipDate'],
          message: 'latestShipDate must not be before placedAt',
        });
      }
      const seen = new Set<string>();
      input.items.forEach((item, index) => {
        if (seen.has(item.orderItemId)) {
          ctx.addIssue({
            code: 'custom',
            path: ['items', index, 'orderItemId'],
            message: `orderItemId ${describe(item.orderItemId)} is listed twice`,
          });
        }
        seen.add(item.orderItemId);
      });
    }),
  );
export type OrderInput = z.input<typeof OrderInput>;

const ItemQuantities = z.array(z.strictObject({ orderItemId: OrderItemId, quantity: Quantity })).check(
  z.minLength(1),
  z.superRefine((items, ctx) => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      if (seen.has(item.orderItemId)) {
        ctx.addIssue({
          code: 'custom',
          path: [index, 'orderItemId'],
          message: `orderItemId ${describe(item.orderItemId)} is listed twice`,
        });
      }
      seen.add(item.orderItemId);
    });
  }),
);

/**
 * An optional id an event carries so that an order applies it once: a redelivered event with a known id
 * changes nothing (1 to 128 characters, well-formed Unicode, no control characters).
 */
const EventId = Identifier;

const eventBase = { at: Instant, eventId: z.optional(EventId) };

/**
 * Every event the order understands; each carries `at`, the instant it happened, and may carry `eventId`.
 * @example
 * const event = OrderEvent.parse({ type: 'seller.cancel', at: '2026-11-26T11:00:00Z', reason: 'NoInventory' });
 */
export const OrderEvent = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('buyer.cancel'), ...eventBase }),
  z.strictObject({
    type: z.literal('buyer.requestCancellation'),
    ...eventBase,
    source: z.enum(['order-flag', 'message']),
    subject: z.optional(Text),
    orderItemIds: z.optional(z.array(OrderItemId).check(z.minLength(1))),
    reason: z.optional(Text),
  }),
  z.strictObject({
    type: z.literal('seller.cancel'),
    ...eventBase,
    reason: CancelReason,
    items: z.optional(ItemQuantities),
  }),
  z.strictObject({ type: z.literal('seller.generateLabel'), ...eventBase }),
  z.strictObject({ type: z.literal('seller.voidLabel'), ...eventBase }),
  // A shipment of the items and quantities named (the package's contents), or of every open unit.
  z.strictObject({ type: z.literal('seller.confirmShipment'), ...eventBase, items: z.optional(ItemQuantities) }),
  z.strictObject({ type: z.literal('clock.tick'), ...eventBase }),
  // Facts the marketplace reports: they already happened, so they are applied, never judged.
  z.strictObject({
    type: z.literal('marketplace.orderCanceled'),
    ...eventBase,
    /** Who cancelled, as the marketplace says; `unknown` when it does not say (Orders v0 `Canceled`). */
    cancelledBy: z.enum(['buyer', 'seller', 'amazon', 'unknown']),
    reason: z.optional(Text.check(z.minLength(1))),
    /** The marketplace's own words, kept on the record when `reason` is a code (e.g. v2026 free text). */
    note: z.optional(Text.check(z.minLength(1))),
    items: z.optional(ItemQuantities),
  }),
  // `items`: how many of each item the marketplace says have shipped in all (a pull reports totals).
  z.strictObject({ type: z.literal('marketplace.orderShipped'), ...eventBase, items: z.optional(ItemQuantities) }),
  // Whether the marketplace holds the order (`pending`: Amazon's Pending, not ready to ship) or lets the seller
  // ship and cancel it (`unshipped`), with the latest ship date when it gives one.
  z.strictObject({
    type: z.literal('marketplace.statusReported'),
    ...eventBase,
    status: MarketplaceStatus,
    latestShipDate: z.optional(Instant),
  }),
]);
/**
 * An event as people write it: `at` as ISO-8601 text, epoch ms or a Date. `applyEvent`, `explain` and a
 * live actor's `send` take this type.
 * @example
 * const event: OrderEvent = { type: 'seller.generateLabel', at: new Date('2026-11-26T11:00:00Z') };
 */
export type OrderEvent = z.input<typeof OrderEvent>;
/** The same as `OrderEvent`, kept for code written against earlier versions. */
export type OrderEventInput = OrderEvent;
/** An event as the machine sees it after parsing: `at` in epoch ms. */
export type ParsedOrderEvent = z.output<typeof OrderEvent>;
/** The `type` of an order event, e.g. `seller.cancel` or `clock.tick`. */
type OrderEventType = OrderEvent['type'];

/** The event types, in the order the docs list them. */
export const orderEventTypes = OrderEvent.def.options.map(
  (option) => option.shape.type.def.values[0],
) as OrderEventType[];

/**
 * The event types whose last field is an `ItemQuantities` list (`items`): a long list is checked by hand first
 * (see `parseOrderEvent`). Read from the schema, so a new event with such a list is covered as it is added.
 */
const itemListTypes: ReadonlySet<unknown> = new Set(
  OrderEvent.def.options
    .filter((option) => {
      const shape = option.shape as Record<string, z.ZodMiniType>;
      const items = shape['items'] as z.ZodMiniOptional | undefined;
      return items?.def.innerType === ItemQuantities && Object.keys(shape).at(-1) === 'items';
    })
    .map((option) => option.shape.type.def.values[0]),
);

/** Item lists at least this long are checked by hand before the schema sees them. */
const QUICK_ITEM_LIST = 16;

/**
 * `items` as `ItemQuantities` parses it, when it takes it as it is: a long list of plain `{ orderItemId,
 * quantity }` objects, each id an `Identifier` (the same `textProblem` check) listed once, each quantity a positive
 * safe integer. Undefined for anything else, which the schema then parses and words. Zod walks an object a field
 * at a time; a full cancel of 1,000 items spent more time here than in the step.
 */
function quickItemQuantities(items: unknown): ItemQuantity[] | undefined {
  if (!Array.isArray(items) || items.length < QUICK_ITEM_LIST) return undefined;
  const seen = new Set<string>();
  const parsed: ItemQuantity[] = [];
  for (const item of items as unknown[]) {
    if (typeof item !== 'object' || item === null || Object.getPrototypeOf(item) !== Object.prototype) return undefined;
    let keys = 0;
    for (const key in item) if (Object.hasOwn(item, key)) keys++;
    const { orderItemId, quantity } = item as Record<string, unknown>;
    if (keys !== 2 || typeof orderItemId !== 'string' || typeof quantity !== 'number') return undefined;
    if (!isPrintableId(orderItemId) && (orderItemId.length === 0 || textProblem(orderItemId, { max: MAX_ID_LENGTH })))
      return undefined;
    if (!Number.isSafeInteger(quantity) || quantity <= 0 || seen.has(orderItemId)) return undefined;
    seen.add(orderItemId);
    parsed.push({ orderItemId, quantity });
  }
  return parsed;
}

/**
 * Whether `text` is an id of printable ASCII within `MAX_ID_LENGTH`, which `textProblem` always takes: checked in
 * one loop here, so a long list does not depend on V8 inlining `textProblem`'s own loops into this one (it stops
 * doing so once the process has parsed events of many shapes). Anything else goes to `textProblem`.
 */
function isPrintableId(text: string): boolean {
  if (text.length === 0 || text.length > MAX_ID_LENGTH) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/**
 * Parses an untrusted event with `OrderEvent`; throws InvalidInputError naming the field and value. The same
 * result as `OrderEvent` gives, field for field and in its order: a long `items` list the hand check takes as it
 * is (`quickItemQuantities`) is joined to the schema's parse of the rest of the event.
 * @example
 * parseOrderEvent({ type: 'clock.tick', at: '2026-11-26T10:30:00Z' }).at; // 1795653000000
 */
export function parseOrderEvent(event: unknown): ParsedOrderEvent {
  if (typeof event === 'object' && event !== null && Object.getPrototypeOf(event) === Object.prototype) {
    const fields = event as Record<string, unknown>;
    const quick = itemListTypes.has(fields['type']) ? quickItemQuantities(fields['items']) : undefined;
    if (quick) {
      const { items: _listed, ...rest } = fields;
      return { ...parseOrThrow(OrderEvent, rest, 'event'), items: quick } as ParsedOrderEvent;
    }
  }
  return parseOrThrow(OrderEvent, event, 'event');
}

/** One item of an order with what has been cancelled of it so far. */
export const OrderItem = z.strictObject({
  orderItemId: StoredId,
  sku: z.optional(z.string()),
  quantity: Quantity,
  quantityCanceled: z.number().check(z.int(), z.nonnegative()),
  /** Units ship-confirmed so far; ordered = cancelled + shipped + open, always. */
  quantityShipped: z.number().check(z.int(), z.nonnegative()),
  buyerRequestedCancel: z.boolean(),
});
export type OrderItem = z.infer<typeof OrderItem>;

/** A quantity of one order item, as in a partial cancellation: `{ orderItemId, quantity }`. */
export const ItemQuantity = z.strictObject({ orderItemId: StoredId, quantity: Quantity });
/** A quantity of one order item: `{ orderItemId, quantity }`. */
export type ItemQuantity = z.infer<typeof ItemQuantity>;

/**
 * One cancellation, whole or partial, and whether it counts against the seller's Cancellation Rate.
 * @example
 * const counted = snapshot.context.cancellations.filter((c: Cancellation) => c.countsAgainstRate);
 */
export const Cancellation = z.strictObject({
  /** Who cancelled: `system` is Amazon itself (the auto-cancel), `unknown` a marketplace report that does not say. */
  by: z.enum(['buyer', 'seller', 'system', 'unknown']),
  reason: CancellationReason,
  /** When the order recorded it: the event's own instant, or the order's clock for a late event. */
  at: z.number().check(z.int()),
  /** The event's own instant, kept when it arrived late and was recorded at the order's clock. */
  occurredAt: z.optional(z.number().check(z.int())),
  /** Set when the marketplace reported the cancellation (a fact, recorded at its own instant). */
  source: z.optional(z.literal('marketplace')),
  /** The marketplace's own words for the reason, when they are not a known code. */
  note: z.optional(z.string()),
  items: z.array(ItemQuantity),
  countsAgainstRate: z.boolean(),
});
export type Cancellation = z.infer<typeof Cancellation>;

/** A buyer's cancellation request as received; `official` when Amazon generated it. */
const CancellationRequest = z.strictObject({
  at: z.number().check(z.int()),
  occurredAt: z.optional(z.number().check(z.int())),
  source: z.enum(['order-flag', 'message']),
  official: z.boolean(),
  orderItemIds: z.array(StoredId),
  subject: z.optional(z.string()),
  reason: z.optional(z.string()),
});
type CancellationRequest = z.infer<typeof CancellationRequest>;

/**
 * The machine's context: the facts of the order, its absolute deadlines and its history.
 * @example
 * const { autoCancelAt, items } = snapshot.context as OrderContext;
 */
export const OrderContext = z.strictObject({
  orderId: z.string().check(z.minLength(1)),
  marketplaceId: z.optional(z.string()),
  fulfillmentChannel: z.enum(['MFN', 'AFN']),
  policy: Policy,
  placedAt: z.number().check(z.int()),
  /** Null while the marketplace has not given one: there is no auto-cancel deadline until it does. */
  latestShipDate: z.nullable(z.number().check(z.int())),
  /** What the marketplace last reported about readiness (null: nothing reported; the buyer's window decides). */
  marketplaceStatus: z.nullable(MarketplaceStatus),
  /** The instant of the report `marketplaceStatus` comes from: an older report arriving later changes nothing. */
  marketplaceStatusAt: z.nullable(z.number().check(z.int())),
  /** UTC offset of `placedAt` as the marketplace gave it, in minutes; messages show times in it. */
  utcOffsetMinutes: z.number().check(z.int(), z.minimum(-18 * 60), z.maximum(18 * 60)),
  buyerCancelUntil: z.number().check(z.int()),
  /** Null for orders Fulfilled by Amazon (Amazon ships them) and while the latest ship date is unknown. */
  autoCancelAt: z.nullable(z.number().check(z.int())),
  /** The order's own clock: the latest instant it has applied. Time never runs backwards for an order. */
  clock: z.number().check(z.int()),
  items: z.array(OrderItem).check(z.minLength(1)),
  requests: z.array(CancellationRequest),
  cancellations: z.array(Cancellation),
  labelGeneratedAt: z.nullable(z.number().check(z.int())),
  /** The label event's own instant when it arrived late. */
  labelOccurredAt: z.optional(z.number().check(z.int())),
  /** The first shipment confirmation's instant (of some or all units), null until one. */
  shippedAt: z.nullable(z.number().check(z.int())),
  /** The shipment event's own instant when it arrived late. */
  shipmentOccurredAt: z.optional(z.number().check(z.int())),
  /** Set when the marketplace reported the shipment (a fact, recorded at its own instant). */
  shipmentSource: z.optional(z.literal('marketplace')),
  /** Whether any shipment confirmation came after the latest ship date (Late Shipment Rate); null until one. */
  shippedLate: z.nullable(z.boolean()),
  /** Ids of the events the order has applied, oldest first; a known id is not applied again. */
  eventIds: z.array(z.string().check(z.minLength(1), z.maxLength(MAX_ID_LENGTH))),
});
export type OrderContext = z.infer<typeof OrderContext>;

/**
 * The product brief's names of the states, as docs and the CLI show them.
 * @example
 * OrderStatus.options; // ['buyer-cancellable', 'unshipped', ...]
 */
export const OrderStatus = z.enum([
  'buyer-cancellable',
  'unshipped',
  'label-generated',
  'shipped',
  'canceled',
  'auto-canceled',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;
