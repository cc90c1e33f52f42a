import { and, assertEvent, assign, enqueueActions, raise, setup, stateIn } from 'xstate';
import {
  autoCancelAtOf,
  countsAgainstRate,
  createOrderContext,
  hasApplied,
  hasBuyerWindowClosedAt,
  hasNothingLeft,
  hasShippedAny,
  isAutoCancelDueAt,
  isBeforePlacement,
  isLateShipment,
  isOfficialRequest,
  isWindowEndDueAt,
  isRepeatedRequest,
  itemsToCancel,
  itemsToShip,
  judgeBuyerCancel,
  judgeConfirmShipment,
  judgedAt,
  judgeGenerateLabel,
  judgeRequestCancellation,
  judgeSellerCancel,
  judgeVoidLabel,
  marketplaceCancellation,
  orderItem,
  outcomeMessage,
  quantitiesById,
  remainingItems,
  requestedItemIds,
  shippedByFact,
  stateKeys as S,
  type Cancellation,
  type Effect,
  type ItemQuantity,
  type OrderContext,
  type OrderStatus,
  type ParsedOrderEvent,
} from '../../src/domain/index.js';

/** Bumped whenever a change to states or context would make older persisted snapshots mean something else. */
export const MACHINE_VERSION = 3;

/**
 * Emitted by every transition that accepts an event (and by the transitions a `clock.tick` takes), so that
 * pure steps and live actors read the machine's own decision; it is not an effect.
 */
export interface OrderAccepted {
  type: 'order.accepted';
  eventType: ParsedOrderEvent['type'];
}

type StatusParams = { status: OrderStatus };

/** `occurredAt` for a record: the event's own instant when it arrived late, else nothing. */
function occurred(context: OrderContext, event: ParsedOrderEvent): { occurredAt?: number } {
  return event.at < context.clock ? { occurredAt: event.at } : {};
}

/** Applies a cancellation record to the context: item quantities and the record itself, linear in its items. */
function withCancellation(context: OrderContext, record: Cancellation): Partial<OrderContext> {
  const cancelled = quantitiesById(record.items);
  return {
    items: context.items.map((item) => {
      const quantity = cancelled.get(item.orderItemId);
      return quantity === undefined
        ? item
        : orderItem(item, item.quantityCanceled + quantity, item.quantityShipped, item.buyerRequestedCancel);
    }),
    cancellations: [...context.cancellations, record],
  };
}

/**
 * Applies a shipment to the context: each item's shipped quantity, the first confirmation's instant, whether any was
 * late. A label serves the package it shipped: when units stay open, they return to unshipped without a label.
 */
function withShipment(
  context: OrderContext,
  items: readonly ItemQuantity[],
  at: number,
  extra: Partial<OrderContext>,
): Partial<OrderContext> {
  const shipped = quantitiesById(items);
  const next = context.items.map((item) => {
    const quantity = shipped.get(item.orderItemId);
    return quantity === undefined
      ? item
      : orderItem(item, item.quantityCanceled, item.quantityShipped + quantity, item.buyerRequestedCancel);
  });
  const open = next.some((item) => item.quantity - item.quantityCanceled - item.quantityShipped > 0);
  const first = context.shippedAt === null;
  if (items.length === 0) return {};
  return {
    items: next,
    ...(first ? { shippedAt: at, ...extra } : {}),
    shippedLate: (context.shippedLate ?? false) || isLateShipment(context, at),
    ...(open && context.labelGeneratedAt !== null ? { labelGeneratedAt: null, labelOccurredAt: undefined } : {}),
  };
}

/** The instant of the order's last own (not marketplace-reported) cancellation record, or its placement. */
function lastRuledCancellationAt(context: OrderContext): number {
  let last = context.placedAt;
  for (const record of context.cancellations) if (record.source !== 'marketplace' && record.at > last) last = record.at;
  return last;
}

const id = {
  unshipped: `#order.${S.placed}.${S.unshipped}`,
  buyerCancellable: `#order.${S.placed}.${S.buyerCancellable}`,
  labelGenerated: `#order.${S.placed}.${S.labelGenerated}`,
  shipped: `#order.${S.shipped}`,
  canceled: `#order.${S.canceled}`,
  autoCanceled: `#order.${S.autoCanceled}`,
} as const;

/**
 * Time first, by structure: every transition list inside `placed` starts with these, so a deadline that fell
 * by the instant an event is judged takes effect before any guard of the state sees the event, whatever that
 * guard checks. An event from before the order existed is stopped here too.
 */
const beforePlacement = { guard: 'isBeforePlacement' } as const;
const alreadyApplied = { guard: 'isDuplicateEvent' } as const;
const autoCancelActions = ['reachDeadline', 'recordAutoCancellation', 'notifyCancellation', 'acknowledgeTick'] as const;
const shippedAndDue = ['isAutoCancelDue', 'hasShippedAny'] as const;
/** The auto-cancel of an order some of whose units shipped: its open units are cancelled and it ends shipped. */
const autoCancelAfterShipment = {
  guard: and([...shippedAndDue]),
  target: id.shipped,
  actions: autoCancelActions,
} as const;
const autoCancel = { guard: 'isAutoCancelDue', target: id.autoCanceled, actions: autoCancelActions } as const;
const windowCloses = {
  guard: 'hasBuyerWindowClosed',
  target: id.unshipped,
  actions: ['reachDeadline', 'replayEvent'],
} as const;
const timeFirst = [alreadyApplied, beforePlacement, autoCancelAfterShipment, autoCancel] as const;
/** Nothing open ends the order: shipped when some of it shipped, else cancelled. */
const shippedAndNothingLeft = ['hasNothingLeft', 'hasShippedAny'] as const;
const endsWithNothingLeft = [
  { guard: and([...shippedAndNothingLeft]), target: id.shipped },
  { guard: shippedAndNothingLeft[0], target: id.canceled },
] as const;
/** The window's end, for events `placed` itself handles: only while the order is in `buyerCancellable`. */
const windowClosesFromPlaced = {
  guard: and([stateIn(id.buyerCancellable), 'hasBuyerWindowClosed']),
  target: id.unshipped,
  actions: ['reachDeadline', 'replayEvent'],
} as const;

/**
 * The order statechart. Every event carries `at`; the order keeps its own clock (`context.clock`) and judges an
 * event at `max(clock, at)`. A deadline that fell by then takes effect first (the `timeFirst` transitions at the
 * head of every list), then the event is judged in the state time left. An accepting transition emits
 * `order.accepted`; a refused event takes no transition of its own.
 * @example
 * const actor = createActor(orderMachine, { input }).start();
 * actor.send({ type: 'seller.generateLabel', at: Date.parse('2026-11-26T11:00:00Z') });
 */
export const orderMachine = setup({
  types: {
    context: {} as OrderContext,
    events: {} as ParsedOrderEvent,
    input: {} as unknown,
    emitted: {} as Effect | OrderAccepted,
  },
  guards: {
    isDuplicateEvent: ({ context, event }) => hasApplied(context, event),
    isBeforePlacement: ({ context, event }) => isBeforePlacement(context, event),
    isAutoCancelDue: ({ context, event }) => isAutoCancelDueAt(context, judgedAt(context, event)),
    /** The window has closed and the marketplace does not hold the order as Pending: the seller may act. */
    hasBuyerWindowClosed: ({ context, event }) => isWindowEndDueAt(context, judgedAt(context, event)),
    hasNothingLeft: ({ context }) => hasNothingLeft(context),
    hasShippedAny: ({ context }) => hasShippedAny(context),
    isInsideBuyerWindow: ({ context, event }) => !hasBuyerWindowClosedAt(context, judgedAt(context, event)),
    isReportedUnshipped: ({ event }) => event.type === 'marketplace.statusReported' && event.status === 'unshipped',
    isReportedPending: ({ event }) => event.type === 'marketplace.statusReported' && event.status === 'pending',
    /** A readiness report older than the one the order follows: it changes nothing. */
    isStaleReport: ({ context, event }) =>
      context.marketplaceStatusAt !== null && event.at < context.marketplaceStatusAt,
    shipsUnits: ({ context, event }) =>
      event.type === 'marketplace.orderShipped' && shippedByFact(context, event).length > 0,
    isRepeatedRequest: ({ context, event }) => {
      assertEvent(event, 'buyer.requestCancellation');
      return isRepeatedRequest(context, event);
    },
    mayBuyerCancel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'buyer.cancel');
      return judgeBuyerCancel(context, status, event).accepted;
    },
    mayRequestCancellation: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'buyer.requestCancellation');
      return judgeRequestCancellation(context, status, event).accepted;
    },
    maySellerCancel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.cancel');
      return judgeSellerCancel(context, status, event).accepted;
    },
    mayGenerateLabel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.generateLabel');
      return judgeGenerateLabel(context, status, event).accepted;
    },
    mayVoidLabel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.voidLabel');
      return judgeVoidLabel(context, status, event).accepted;
    },
    mayConfirmShipment: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.confirmShipment');
      return judgeConfirmShipment(context, status, event).accepted;
    },
  },
  actions: {
    /** The event is accepted: the clock moves to the instant it is judged at, and its id is remembered. */
    acceptEvent: enqueueActions(({ context, event, enqueue }) => {
      const at = judgedAt(context, event);
      const eventIds = event.eventId === undefined ? context.eventIds : [...context.eventIds, event.eventId];
      if (at !== context.clock || eventIds !== context.eventIds) enqueue.assign({ clock: at, eventIds });
      enqueue.emit({ type: 'order.accepted', eventType: event.type });
    }),
    /** A deadline fell by the time the event is judged: the clock moves to that instant. */
    reachDeadline: assign(({ context, event }) => ({ clock: judgedAt(context, event) })),
    /**
     * Time passing is accepted whatever the deadlines did; so is the marketplace's word that agrees with how time
     * alone has just ended the order (its auto-cancel, or a shipment when some units had shipped before it), and a
     * readiness report, which an ended order has outlived.
     */
    acknowledgeTick: enqueueActions(({ context, event, enqueue }) => {
      const agrees =
        event.type === 'marketplace.orderCanceled' ||
        event.type === 'marketplace.statusReported' ||
        (event.type === 'marketplace.orderShipped' && hasShippedAny(context));
      if (event.type === 'clock.tick' || agrees) enqueue.emit({ type: 'order.accepted', eventType: event.type });
    }),
    /** After a deadline moved the order on, the event is judged again in its new state. */
    replayEvent: raise(({ event }) => event),
    recordBuyerCancellation: assign(({ context, event }) =>
      withCancellation(context, {
        by: 'buyer',
        reason: 'BuyerSelfCanceled',
        at: judgedAt(context, event),
        ...occurred(context, event),
        items: remainingItems(context),
        countsAgainstRate: countsAgainstRate(context, 'buyer', 'BuyerSelfCanceled', remainingItems(context)),
      }),
    ),
    recordSellerCancellation: assign(({ context, event }) => {
      assertEvent(event, 'seller.cancel');
      const items = itemsToCancel(context, event);
      return withCancellation(context, {
        by: 'seller',
        reason: event.reason,
        at: judgedAt(context, event),
        ...occurred(context, event),
        items,
        countsAgainstRate: countsAgainstRate(context, 'seller', event.reason, items),
      });
    }),
    recordAutoCancellation: assign(({ context }) =>
      withCancellation(context, {
        by: 'system',
        reason: 'NotShippedInTime',
        // Amazon cancels at the deadline itself, whenever the event that reveals it arrives; a deadline learned only
        // after the order recorded later acts takes effect after them, so that history stays in time order.
        at: Math.max(context.autoCancelAt ?? context.clock, lastRuledCancellationAt(context)),
        items: remainingItems(context),
        countsAgainstRate: countsAgainstRate(context, 'system', 'NotShippedInTime', remainingItems(context)),
      }),
    ),
    notifyCancellation: enqueueActions(({ context, enqueue }) => {
      const record = context.cancellations[context.cancellations.length - 1]!;
      const { orderId } = context;
      // Cancelling what was left of a partly shipped order cancels items, not the order.
      const topic = hasNothingLeft(context) && !hasShippedAny(context) ? 'orderCanceled' : 'itemsCanceled';
      enqueue.emit({ type: 'buyer.notified', orderId, at: record.at, topic });
      enqueue.emit({
        type: 'seller.notified',
        orderId,
        at: record.at,
        topic: record.by === 'system' ? 'autoCanceled' : topic,
      });
      enqueue.emit({ type: 'items.refunded', orderId, at: record.at, items: record.items });
    }),
    recordCancellationRequest: assign(({ context, event }) => {
      assertEvent(event, 'buyer.requestCancellation');
      const official = isOfficialRequest(event);
      const orderItemIds = requestedItemIds(context, event);
      const covered = new Set(orderItemIds);
      return {
        requests: [
          ...context.requests,
          {
            at: judgedAt(context, event),
            ...occurred(context, event),
            source: event.source,
            official,
            orderItemIds,
            ...(event.subject === undefined ? {} : { subject: event.subject }),
            ...(event.reason === undefined ? {} : { reason: event.reason }),
          },
        ],
        items: official
          ? context.items.map((item) =>
              covered.has(item.orderItemId) ? orderItem(item, item.quantityCanceled, item.quantityShipped, true) : item,
            )
          : context.items,
      };
    }),
    answerCancellationRequest: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'buyer.requestCancellation');
      const { orderId } = context;
      const at = judgedAt(context, event);
      if (isOfficialRequest(event)) {
        enqueue.emit({ type: 'seller.notified', orderId, at, topic: 'cancellationRequested' });
      } else {
        const items = requestedItemIds(context, event).join(', ');
        enqueue.emit({ type: 'buyer.guidance', orderId, at, message: outcomeMessage('nonStandardRequest', { items }) });
      }
    }),
    recordLabel: assign(({ context, event }) =>
      context.labelGeneratedAt !== null
        ? {}
        : {
            labelGeneratedAt: judgedAt(context, event),
            ...(event.at < context.clock ? { labelOccurredAt: event.at } : {}),
          },
    ),
    recordShipment: assign(({ context, event }) => {
      assertEvent(event, 'seller.confirmShipment');
      const at = judgedAt(context, event);
      return withShipment(
        context,
        itemsToShip(context, event),
        at,
        event.at < context.clock ? { shipmentOccurredAt: event.at } : {},
      );
    }),
    /** The marketplace says the order (or some of it) was cancelled: recorded at the fact's own instant. */
    recordMarketplaceCancellation: assign(({ context, event }) => {
      assertEvent(event, 'marketplace.orderCanceled');
      return withCancellation(context, marketplaceCancellation(context, event));
    }),
    /** The marketplace says the order (or some units) shipped: recorded at the fact's own instant; it is no longer Pending. */
    recordMarketplaceShipment: assign(({ context, event }) => {
      assertEvent(event, 'marketplace.orderShipped');
      return {
        ...withShipment(context, shippedByFact(context, event), event.at, { shipmentSource: 'marketplace' }),
        marketplaceStatus: 'unshipped' as const,
        marketplaceStatusAt: Math.max(context.marketplaceStatusAt ?? event.at, event.at),
      };
    }),
    /**
     * The marketplace says whether it holds the order (Pending) or lets the seller ship it (Unshipped), and may name
     * the latest ship date an order did not know yet; an auto-cancel that is due by then follows at once.
     */
    recordMarketplaceStatus: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'marketplace.statusReported');
      // The newest report's date wins (Amazon may move it); one before the purchase is not a date this order can have.
      const reported =
        event.latestShipDate !== undefined && event.latestShipDate >= context.placedAt
          ? event.latestShipDate
          : undefined;
      const latestShipDate = reported ?? context.latestShipDate;
      const autoCancelAt = autoCancelAtOf(context.fulfillmentChannel, latestShipDate, context.policy.autoCancelAfterMs);
      // A shipment confirmed before the date was known is late if it came after it.
      const shippedLate =
        context.shippedAt === null
          ? null
          : context.shippedLate === true || isLateShipment({ ...context, latestShipDate }, context.shippedAt);
      enqueue.assign({
        marketplaceStatus: event.status,
        marketplaceStatusAt: event.at,
        latestShipDate,
        autoCancelAt,
        shippedLate,
      });
    }),
    /** A deadline that was not running (unknown, or held while Pending) may have passed already: it applies now. */
    applyReleasedDeadline: enqueueActions(({ context, event, enqueue }) => {
      if (isAutoCancelDueAt(context, judgedAt(context, event)))
        enqueue.raise({ type: 'clock.tick', at: judgedAt(context, event) });
    }),
    // Amazon mails the buyer for every confirmed shipment, whole or in part.
    notifyShipment: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({
        type: 'buyer.notified',
        orderId: context.orderId,
        at: judgedAt(context, event),
        topic: 'orderShipped',
      });
    }),
  },
}).createMachine({
  id: 'order',
  version: String(MACHINE_VERSION),
  context: ({ input }) => createOrderContext(input),
  initial: S.placed,
  states: {
    [S.placed]: {
      initial: S.buyerCancellable,
      always: endsWithNothingLeft,
      on: {
        'clock.tick': [...timeFirst, windowClosesFromPlaced, { actions: 'acknowledgeTick' }],
        // Facts the marketplace reports already happened: the order follows them whatever its rules say, and
        // the marketplace, not this machine, tells the buyer. Deadlines do not stand in their way.
        // Time still comes first: a fact at or after the auto-cancel finds the order auto-cancelled.
        'marketplace.orderCanceled': [
          ...timeFirst,
          windowClosesFromPlaced,
          { actions: ['acceptEvent', 'recordMarketplaceCancellation'] },
        ],
        // A shipment (of all or some units) also says the marketplace no longer holds the order as Pending.
        // Units shipped leave the rest unshipped (nothing open: shipped, by `always`); a report that ships nothing new
        // only says the order is no longer Pending, and leaves an order the seller could act on as it was.
        'marketplace.orderShipped': [
          ...timeFirst,
          windowClosesFromPlaced,
          {
            guard: 'shipsUnits',
            target: id.unshipped,
            actions: ['acceptEvent', 'recordMarketplaceShipment', 'applyReleasedDeadline'],
          },
          {
            guard: stateIn(id.buyerCancellable),
            target: id.unshipped,
            actions: ['acceptEvent', 'recordMarketplaceShipment', 'applyReleasedDeadline'],
          },
          { actions: ['acceptEvent', 'recordMarketplaceShipment', 'applyReleasedDeadline'] },
        ],
        'marketplace.statusReported': [
          ...timeFirst,
          windowClosesFromPlaced,
          { guard: 'isStaleReport', actions: 'acceptEvent' },
          {
            guard: and([stateIn(id.buyerCancellable), 'isReportedUnshipped']),
            target: id.unshipped,
            actions: ['acceptEvent', 'recordMarketplaceStatus', 'applyReleasedDeadline'],
          },
          {
            guard: and([stateIn(id.unshipped), 'isReportedPending']),
            target: id.buyerCancellable,
            actions: ['acceptEvent', 'recordMarketplaceStatus', 'applyReleasedDeadline'],
          },
          { actions: ['acceptEvent', 'recordMarketplaceStatus', 'applyReleasedDeadline'] },
        ],
        // Events the current state has no transition for: time still passes.
        '*': [...timeFirst, windowClosesFromPlaced],
      },
      states: {
        [S.buyerCancellable]: {
          on: {
            'buyer.cancel': [
              ...timeFirst,
              windowCloses,
              // The window is checked here as structure too: while Amazon says Pending the order stays here after it.
              // Nothing is left then: `always` ends the order cancelled (shipped, when Amazon had shipped some units).
              {
                guard: and([
                  'isInsideBuyerWindow',
                  { type: 'mayBuyerCancel', params: { status: 'buyer-cancellable' } as const },
                ]),
                actions: ['acceptEvent', 'recordBuyerCancellation', 'notifyCancellation'],
              },
            ],
            'buyer.requestCancellation': [
              ...timeFirst,
              windowCloses,
              { guard: 'isRepeatedRequest', actions: 'acceptEvent' },
              {
                guard: { type: 'mayRequestCancellation', params: { status: 'buyer-cancellable' } },
                actions: ['acceptEvent', 'recordCancellationRequest', 'answerCancellationRequest'],
              },
            ],
          },
        },
        [S.unshipped]: {
          on: {
            // Inside the buyer's window an order the marketplace already reports Unshipped is still the buyer's to cancel.
            'buyer.cancel': [
              ...timeFirst,
              {
                guard: and([
                  'isInsideBuyerWindow',
                  { type: 'mayBuyerCancel', params: { status: 'unshipped' } as const },
                ]),
                actions: ['acceptEvent', 'recordBuyerCancellation', 'notifyCancellation'],
              },
            ],
            'buyer.requestCancellation': [
              ...timeFirst,
              { guard: 'isRepeatedRequest', actions: 'acceptEvent' },
              {
                guard: { type: 'mayRequestCancellation', params: { status: 'unshipped' } },
                actions: ['acceptEvent', 'recordCancellationRequest', 'answerCancellationRequest'],
              },
            ],
            'seller.cancel': [
              ...timeFirst,
              {
                guard: { type: 'maySellerCancel', params: { status: 'unshipped' } },
                actions: ['acceptEvent', 'recordSellerCancellation', 'notifyCancellation'],
              },
            ],
            'seller.generateLabel': [
              ...timeFirst,
              {
                guard: { type: 'mayGenerateLabel', params: { status: 'unshipped' } },
                target: S.labelGenerated,
                actions: ['acceptEvent', 'recordLabel'],
              },
            ],
            // Shipping the last open units ends the order (`always` above); some units leave the rest open.
            'seller.confirmShipment': [
              ...timeFirst,
              {
                guard: { type: 'mayConfirmShipment', params: { status: 'unshipped' } },
                actions: ['acceptEvent', 'recordShipment', 'notifyShipment'],
              },
            ],
          },
        },
        [S.labelGenerated]: {
          on: {
            // Voiding or re-buying a label is accepted but does not reopen cancellation.
            'seller.voidLabel': [
              ...timeFirst,
              { guard: { type: 'mayVoidLabel', params: { status: 'label-generated' } }, actions: 'acceptEvent' },
            ],
            'seller.generateLabel': [
              ...timeFirst,
              { guard: { type: 'mayGenerateLabel', params: { status: 'label-generated' } }, actions: 'acceptEvent' },
            ],
            // The label served this package: units still open go back to unshipped, a full shipment ends the order.
            'seller.confirmShipment': [
              ...timeFirst,
              {
                guard: { type: 'mayConfirmShipment', params: { status: 'label-generated' } },
                target: S.unshipped,
                actions: ['acceptEvent', 'recordShipment', 'notifyShipment'],
              },
            ],
          },
        },
      },
    },
    [S.shipped]: { type: 'final' },
    [S.canceled]: { type: 'final' },
    [S.autoCanceled]: { type: 'final' },
  },
});

/** The type of `orderMachine`, and of any machine made from it with `.provide()`. */
export type OrderMachine = typeof orderMachine;

/** Guards that make time structural; the chart and verdicts treat them apart from the rules' guards. */
export const timeGuards: readonly string[] = [
  ...new Set([
    alreadyApplied.guard,
    beforePlacement.guard,
    ...shippedAndDue,
    autoCancel.guard,
    windowCloses.guard,
    ...shippedAndNothingLeft,
  ]),
];
