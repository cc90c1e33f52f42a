/**
 * Baseline (a): the order statechart written directly with XState's `setup`: the same states, the same
 * guards and actions, the same emitted effects, but no input validation and no verdicts or messages.
 */
import { and, assign, enqueueActions, raise, setup, stateIn } from 'xstate';
import {
  plainCancelsAll,
  plainCounts,
  plainIsOfficial,
  plainRemaining,
  plainSellerCancelRefusal,
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
/** The guards' deadline: a child transition is tried before the parent's `*`, so each guard checks its state's own. */
type Until = { until: 'buyerCancelUntil' | 'autoCancelAt' };
const beforeDeadline = (order: PlainOrder, at: number, { until }: Until) => at < order[until] && at >= order.placedAt;
const pending: Until = { until: 'buyerCancelUntil' };
const open: Until = { until: 'autoCancelAt' };

/** The minimal machine; its input is a `PlainOrder` (from `plainOrder(...).order`). */
export const minimalMachine = setup({
  types: { context: {} as PlainOrder, events: {} as PlainEvent, input: {} as PlainOrder, emitted: {} as PlainEffect },
  guards: {
    isAutoCancelDue: ({ context, event }) => context.fulfillmentChannel === 'MFN' && event.at >= context.autoCancelAt,
    hasBuyerWindowClosed: ({ context, event }) => event.at >= context.buyerCancelUntil,
    mayBuyerCancel: ({ context, event }) => beforeDeadline(context, event.at, pending),
    mayRequestCancellation: ({ context, event }, params: Until) => {
      const { orderItemIds } = event as EventOf<'buyer.requestCancellation'>;
      const known = new Set(context.items.map((item) => item.orderItemId));
      return beforeDeadline(context, event.at, params) && (orderItemIds ?? []).every((id) => known.has(id));
    },
    maySellerCancel: ({ context, event }) =>
      context.fulfillmentChannel === 'MFN' &&
      beforeDeadline(context, event.at, open) &&
      plainSellerCancelRefusal(context, sellerItems(context, event as EventOf<'seller.cancel'>)) === undefined,
    cancelsAllThatRemains: ({ context, event }) => plainCancelsAll(context, sellerItems(context, event as EventOf<'seller.cancel'>)),
    mayGenerateLabel: ({ context, event }) => context.fulfillmentChannel === 'MFN' && beforeDeadline(context, event.at, open),
    mayVoidLabel: ({ context, event }) => beforeDeadline(context, event.at, open),
    mayConfirmShipment: ({ context, event }) => context.fulfillmentChannel === 'MFN' && beforeDeadline(context, event.at, open),
  },
  actions: {
    replayEvent: raise(({ event }) => event),
    recordBuyerCancellation: assign(({ context, event }) =>
      withCancellation(context, { by: 'buyer', reason: 'BuyerSelfCanceled', at: event.at, items: plainRemaining(context), countsAgainstRate: false }),
    ),
    recordSellerCancellation: assign(({ context, event }) => {
      const { reason } = event as EventOf<'seller.cancel'>;
      const items = sellerItems(context, event as EventOf<'seller.cancel'>);
      return withCancellation(context, { by: 'seller', reason, at: event.at, items, countsAgainstRate: plainCounts(context, reason, items) });
    }),
    recordAutoCancellation: assign(({ context }) =>
      withCancellation(context, { by: 'system', reason: 'NotShippedInTime', at: context.autoCancelAt, items: plainRemaining(context), countsAgainstRate: true }),
    ),
    notifyCancellation: enqueueActions(({ context, enqueue }) => {
      const record = context.cancellations[context.cancellations.length - 1]!;
      const { orderId } = context;
      const topic = plainRemaining(context).length === 0 ? 'orderCanceled' : 'itemsCanceled';
      enqueue.emit({ type: 'buyer.notified', orderId, at: record.at, topic });
      enqueue.emit({ type: 'seller.notified', orderId, at: record.at, topic: record.by === 'system' ? 'autoCanceled' : topic });
      enqueue.emit({ type: 'items.refunded', orderId, at: record.at, items: record.items });
    }),
    recordCancellationRequest: assign(({ context, event }) => {
      const request = event as EventOf<'buyer.requestCancellation'>;
      const official = plainIsOfficial(request.source, request.subject);
      const orderItemIds = request.orderItemIds ?? context.items.map((item) => item.orderItemId);
      const flagged = new Set(orderItemIds);
      return {
        requests: [
          ...context.requests,
          {
            at: event.at,
            source: request.source,
            official,
            orderItemIds,
            ...(request.subject === undefined ? {} : { subject: request.subject }),
            ...(request.reason === undefined ? {} : { reason: request.reason }),
          },
        ],
        items: official ? context.items.map((item) => (flagged.has(item.orderItemId) ? { ...item, buyerRequestedCancel: true } : item)) : context.items,
      };
    }),
    answerCancellationRequest: enqueueActions(({ context, event, enqueue }) => {
      const request = event as EventOf<'buyer.requestCancellation'>;
      if (plainIsOfficial(request.source, request.subject)) {
        enqueue.emit({ type: 'seller.notified', orderId: context.orderId, at: event.at, topic: 'cancellationRequested' });
      } else {
        enqueue.emit({ type: 'buyer.guidance', orderId: context.orderId, at: event.at });
      }
    }),
    recordLabel: assign(({ context, event }) => ({ labelGeneratedAt: context.labelGeneratedAt ?? event.at })),
    recordShipment: assign(({ context, event }) => ({ shippedAt: event.at, shippedLate: event.at > context.latestShipDate })),
    notifyShipment: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({ type: 'buyer.notified', orderId: context.orderId, at: event.at, topic: 'orderShipped' });
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
          { guard: 'isAutoCancelDue', target: 'autoCanceled', actions: ['recordAutoCancellation', 'notifyCancellation'] },
          { guard: and([stateIn('#order.placed.buyerCancellable'), 'hasBuyerWindowClosed']), target: '.unshipped', actions: 'replayEvent' },
        ],
      },
      states: {
        buyerCancellable: {
          on: {
            'buyer.cancel': { guard: 'mayBuyerCancel', target: '#order.canceled', actions: ['recordBuyerCancellation', 'notifyCancellation'] },
            'buyer.requestCancellation': {
              guard: { type: 'mayRequestCancellation', params: pending },
              actions: ['recordCancellationRequest', 'answerCancellationRequest'],
            },
          },
        },
        unshipped: {
          on: {
            'buyer.requestCancellation': { guard: { type: 'mayRequestCancellation', params: open }, actions: ['recordCancellationRequest', 'answerCancellationRequest'] },
            'seller.cancel': [
              {
                guard: and(['maySellerCancel', 'cancelsAllThatRemains']),
                target: '#order.canceled',
                actions: ['recordSellerCancellation', 'notifyCancellation'],
              },
              { guard: 'maySellerCancel', actions: ['recordSellerCancellation', 'notifyCancellation'] },
            ],
            'seller.generateLabel': { guard: 'mayGenerateLabel', target: 'labelGenerated', actions: 'recordLabel' },
            'seller.confirmShipment': { guard: 'mayConfirmShipment', target: '#order.shipped', actions: ['recordShipment', 'notifyShipment'] },
          },
        },
        labelGenerated: {
          on: {
            'seller.voidLabel': { guard: 'mayVoidLabel' },
            'seller.generateLabel': { guard: 'mayGenerateLabel' },
            'seller.confirmShipment': { guard: 'mayConfirmShipment', target: '#order.shipped', actions: ['recordShipment', 'notifyShipment'] },
          },
        },
      },
    },
    shipped: { type: 'final' },
    canceled: { type: 'final' },
    autoCanceled: { type: 'final' },
  },
});
