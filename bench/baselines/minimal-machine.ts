/**
 * Baseline (a): the order statechart written directly with XState's `setup`: the same states, the same
 * guards and actions (per-item cancels and shipments, a partial shipment back to unshipped without its label),
 * the same emitted effects, but no input validation and no verdicts or messages.
 */
import { and, assign, enqueueActions, raise, setup, stateIn } from 'xstate';
import {
  plainCounts,
  plainIsOfficial,
  plainItemsRefusal,
  plainRemaining,
  plainShip,
  plainShippedAny,
  plainTakesAll,
  type PlainCancellation,
  type PlainEffect,
  type PlainEvent,
  type PlainOrder,
} from './reducer.js';

type EventOf<T extends PlainEvent['type']> = Extract<PlainEvent, { type: T }>;

function withCancellation(order: PlainOrder, record: PlainCancellation): Partial<PlainOrder> {
  const byId = new Map<string, number>();
  for (const entry of record.items) byId.set(entry.orderItemId, entry.quantity);
  return {
    items: order.items.map((item) => {
      const quantity = byId.get(item.orderItemId);
      return quantity === undefined ? item : { ...item, quantityCanceled: item.quantityCanceled + quantity };
    }),
    cancellations: [...order.cancellations, record],
  };
}

const sellerItems = (order: PlainOrder, event: EventOf<'seller.cancel'>) => event.items ?? plainRemaining(order);
const shipmentItems = (order: PlainOrder, event: PlainEvent) =>
  (event as EventOf<'seller.confirmShipment'>).items ?? plainRemaining(order);
/** The instant an event is judged at: the order's clock never runs backwards. */
const judged = (order: PlainOrder, event: PlainEvent) => Math.max(order.clock, event.at);
const isKnown = (order: PlainOrder, event: PlainEvent) =>
  event.eventId !== undefined && order.eventIds.includes(event.eventId);
const sameIds = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((id, i) => id === b[i]);
const requestIds = (order: PlainOrder, event: EventOf<'buyer.requestCancellation'>) =>
  [...new Set(event.orderItemIds ?? order.items.map((item) => item.orderItemId))].sort();
/** The guards' deadline: a child transition is tried before the parent's `*`, so each guard checks its state's own. */
type Until = { until: 'buyerCancelUntil' | 'autoCancelAt' };
const beforeDeadline = (order: PlainOrder, event: PlainEvent, { until }: Until) =>
  !isKnown(order, event) && judged(order, event) < order[until] && event.at >= order.placedAt;
const pending: Until = { until: 'buyerCancelUntil' };
const open: Until = { until: 'autoCancelAt' };

/** The minimal machine; its input is a `PlainOrder` (from `plainOrder(...).order`). */
export const minimalMachine = setup({
  types: { context: {} as PlainOrder, events: {} as PlainEvent, input: {} as PlainOrder, emitted: {} as PlainEffect },
  guards: {
    hasShippedAny: ({ context }) => plainShippedAny(context),
    // A known event id changes nothing, not even time: it was applied before.
    isAutoCancelDue: ({ context, event }) =>
      !isKnown(context, event) &&
      context.fulfillmentChannel === 'MFN' &&
      event.at >= context.placedAt &&
      judged(context, event) >= context.autoCancelAt,
    hasBuyerWindowClosed: ({ context, event }) =>
      !isKnown(context, event) && event.at >= context.placedAt && judged(context, event) >= context.buyerCancelUntil,
    isRepeatedRequest: ({ context, event }) => {
      const request = event as EventOf<'buyer.requestCancellation'>;
      const official = plainIsOfficial(request.source, request.subject);
      const ids = requestIds(context, request);
      return context.requests.some(
        (known) => known.source === request.source && known.official === official && sameIds(known.orderItemIds, ids),
      );
    },
    mayBuyerCancel: ({ context, event }) => beforeDeadline(context, event, pending),
    mayRequestCancellation: ({ context, event }, params: Until) => {
      const { orderItemIds } = event as EventOf<'buyer.requestCancellation'>;
      const known = new Set(context.items.map((item) => item.orderItemId));
      return beforeDeadline(context, event, params) && (orderItemIds ?? []).every((id) => known.has(id));
    },
    maySellerCancel: ({ context, event }) =>
      context.fulfillmentChannel === 'MFN' &&
      beforeDeadline(context, event, open) &&
      plainItemsRefusal(context, sellerItems(context, event as EventOf<'seller.cancel'>)) === undefined,
    cancelsAllThatRemains: ({ context, event }) =>
      plainTakesAll(context, sellerItems(context, event as EventOf<'seller.cancel'>)),
    shipsAllThatRemains: ({ context, event }) => plainTakesAll(context, shipmentItems(context, event)),
    mayGenerateLabel: ({ context, event }) =>
      context.fulfillmentChannel === 'MFN' && beforeDeadline(context, event, open),
    mayVoidLabel: ({ context, event }) => beforeDeadline(context, event, open),
    mayConfirmShipment: ({ context, event }) => {
      const { items } = event as EventOf<'seller.confirmShipment'>;
      return (
        context.fulfillmentChannel === 'MFN' &&
        beforeDeadline(context, event, open) &&
        (items === undefined || plainItemsRefusal(context, items) === undefined)
      );
    },
  },
  actions: {
    replayEvent: raise(({ event }) => event),
    /** The event is accepted: the clock moves to the instant it is judged at, and its id is remembered. */
    acceptEvent: assign(({ context, event }) => ({
      clock: judged(context, event),
      eventIds: event.eventId === undefined ? context.eventIds : [...context.eventIds, event.eventId],
    })),
    reachDeadline: assign(({ context, event }) => ({ clock: judged(context, event) })),
    recordBuyerCancellation: assign(({ context, event }) =>
      withCancellation(context, {
        by: 'buyer',
        reason: 'BuyerSelfCanceled',
        at: judged(context, event),
        items: plainRemaining(context),
        countsAgainstRate: false,
      }),
    ),
    recordSellerCancellation: assign(({ context, event }) => {
      const { reason } = event as EventOf<'seller.cancel'>;
      const items = sellerItems(context, event as EventOf<'seller.cancel'>);
      return withCancellation(context, {
        by: 'seller',
        reason,
        at: judged(context, event),
        items,
        countsAgainstRate: plainCounts(context, reason, items),
      });
    }),
    recordAutoCancellation: assign(({ context }) =>
      withCancellation(context, {
        by: 'system',
        reason: 'NotShippedInTime',
        at: context.autoCancelAt,
        items: plainRemaining(context),
        countsAgainstRate: true,
      }),
    ),
    notifyCancellation: enqueueActions(({ context, enqueue }) => {
      const record = context.cancellations[context.cancellations.length - 1]!;
      const { orderId } = context;
      const topic =
        plainRemaining(context).length === 0 && !plainShippedAny(context) ? 'orderCanceled' : 'itemsCanceled';
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
      const request = event as EventOf<'buyer.requestCancellation'>;
      const official = plainIsOfficial(request.source, request.subject);
      const orderItemIds = requestIds(context, request);
      const flagged = new Set(orderItemIds);
      return {
        requests: [
          ...context.requests,
          {
            at: judged(context, event),
            source: request.source,
            official,
            orderItemIds,
            ...(request.subject === undefined ? {} : { subject: request.subject }),
            ...(request.reason === undefined ? {} : { reason: request.reason }),
          },
        ],
        items: official
          ? context.items.map((item) =>
              flagged.has(item.orderItemId) ? { ...item, buyerRequestedCancel: true } : item,
            )
          : context.items,
      };
    }),
    answerCancellationRequest: enqueueActions(({ context, event, enqueue }) => {
      const request = event as EventOf<'buyer.requestCancellation'>;
      if (plainIsOfficial(request.source, request.subject)) {
        enqueue.emit({
          type: 'seller.notified',
          orderId: context.orderId,
          at: judged(context, event),
          topic: 'cancellationRequested',
        });
      } else {
        enqueue.emit({ type: 'buyer.guidance', orderId: context.orderId, at: judged(context, event) });
      }
    }),
    recordLabel: assign(({ context, event }) => ({
      labelGeneratedAt: context.labelGeneratedAt ?? judged(context, event),
    })),
    recordShipment: assign(({ context, event }) =>
      plainShip(context, shipmentItems(context, event), judged(context, event)),
    ),
    notifyShipment: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({
        type: 'buyer.notified',
        orderId: context.orderId,
        at: judged(context, event),
        topic: 'orderShipped',
      });
    }),
  },
}).createMachine({
  id: 'order',
  context: ({ input }) => input,
  initial: 'placed',
  states: {
    placed: {
      initial: 'buyerCancellable',
      on: {
        '*': [
          // Units that shipped before the deadline end the order shipped; only the open ones are cancelled.
          {
            guard: and(['isAutoCancelDue', 'hasShippedAny']),
            target: 'shipped',
            actions: ['recordAutoCancellation', 'reachDeadline', 'notifyCancellation'],
          },
          {
            guard: 'isAutoCancelDue',
            target: 'autoCanceled',
            actions: ['recordAutoCancellation', 'reachDeadline', 'notifyCancellation'],
          },
          {
            guard: and([stateIn('#order.placed.buyerCancellable'), 'hasBuyerWindowClosed']),
            target: '.unshipped',
            actions: ['reachDeadline', 'replayEvent'],
          },
        ],
      },
      states: {
        buyerCancellable: {
          on: {
            'buyer.cancel': {
              guard: 'mayBuyerCancel',
              target: '#order.canceled',
              actions: ['recordBuyerCancellation', 'acceptEvent', 'notifyCancellation'],
            },
            'buyer.requestCancellation': [
              {
                guard: and([{ type: 'mayRequestCancellation', params: pending }, 'isRepeatedRequest']),
                actions: 'acceptEvent',
              },
              {
                guard: { type: 'mayRequestCancellation', params: pending },
                actions: ['recordCancellationRequest', 'answerCancellationRequest', 'acceptEvent'],
              },
            ],
          },
        },
        unshipped: {
          on: {
            'buyer.requestCancellation': [
              {
                guard: and([{ type: 'mayRequestCancellation', params: open }, 'isRepeatedRequest']),
                actions: 'acceptEvent',
              },
              {
                guard: { type: 'mayRequestCancellation', params: open },
                actions: ['recordCancellationRequest', 'answerCancellationRequest', 'acceptEvent'],
              },
            ],
            'seller.cancel': [
              {
                guard: and(['maySellerCancel', 'cancelsAllThatRemains', 'hasShippedAny']),
                target: '#order.shipped',
                actions: ['recordSellerCancellation', 'acceptEvent', 'notifyCancellation'],
              },
              {
                guard: and(['maySellerCancel', 'cancelsAllThatRemains']),
                target: '#order.canceled',
                actions: ['recordSellerCancellation', 'acceptEvent', 'notifyCancellation'],
              },
              { guard: 'maySellerCancel', actions: ['recordSellerCancellation', 'acceptEvent', 'notifyCancellation'] },
            ],
            'seller.generateLabel': {
              guard: 'mayGenerateLabel',
              target: 'labelGenerated',
              actions: ['recordLabel', 'acceptEvent'],
            },
            // Some units shipped: the rest stay open here; none left: shipped.
            'seller.confirmShipment': [
              {
                guard: and(['mayConfirmShipment', 'shipsAllThatRemains']),
                target: '#order.shipped',
                actions: ['notifyShipment', 'recordShipment', 'acceptEvent'],
              },
              { guard: 'mayConfirmShipment', actions: ['notifyShipment', 'recordShipment', 'acceptEvent'] },
            ],
          },
        },
        labelGenerated: {
          on: {
            'seller.voidLabel': { guard: 'mayVoidLabel', actions: 'acceptEvent' },
            'seller.generateLabel': { guard: 'mayGenerateLabel', actions: 'acceptEvent' },
            // The label served this package: units still open go back to unshipped (recordShipment clears it).
            'seller.confirmShipment': [
              {
                guard: and(['mayConfirmShipment', 'shipsAllThatRemains']),
                target: '#order.shipped',
                actions: ['notifyShipment', 'recordShipment', 'acceptEvent'],
              },
              {
                guard: 'mayConfirmShipment',
                target: 'unshipped',
                actions: ['notifyShipment', 'recordShipment', 'acceptEvent'],
              },
            ],
          },
        },
      },
    },
    shipped: { type: 'final' },
    canceled: { type: 'final' },
    autoCanceled: { type: 'final' },
  },
});
