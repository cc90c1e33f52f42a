import { and, assertEvent, assign, enqueueActions, raise, setup, stateIn } from 'xstate';
import {
  countsAgainstRate,
  createOrderContext,
  deadlineFor,
  isLateShipment,
  isOfficialRequest,
  itemsToCancel,
  judgeBuyerCancel,
  judgeConfirmShipment,
  judgeGenerateLabel,
  judgeRequestCancellation,
  judgeSellerCancel,
  judgeVoidLabel,
  outcomeMessage,
  remainingItems,
  type Cancellation,
  type Effect,
  type OrderContext,
  type OrderEvent,
  type OrderStatus,
  type Verdict,
} from '../../src/domain/index.js';

/** Bumped whenever a change to states or context would make older persisted snapshots mean something else. */
export const MACHINE_VERSION = 1;

/** A guard's view of "allowed": the event comes before the state's next deadline and the rule accepts it. */
function allowedIn(status: OrderStatus, context: OrderContext, event: OrderEvent, verdict: Verdict): boolean {
  const deadline = deadlineFor(status, context);
  return (deadline === null || event.at < deadline) && verdict.accepted;
}

type StatusParams = { status: OrderStatus };

/** Applies a cancellation of `items` to the context: item quantities and the cancellation record. */
function withCancellation(context: OrderContext, record: Cancellation): Partial<OrderContext> {
  return {
    items: context.items.map((item) => {
      const cancelled = record.items.find((entry) => entry.orderItemId === item.orderItemId);
      return cancelled ? { ...item, quantityCanceled: item.quantityCanceled + cancelled.quantity } : item;
    }),
    cancellations: [...context.cancellations, record],
  };
}

/**
 * The order statechart. Every event carries `at`; a deadline that fell at or before `at` takes effect
 * first (the `placed` state's `*` transitions), then the event is judged again in the state time left.
 * @example
 * const actor = createActor(orderMachine, { input }).start();
 * actor.send({ type: 'seller.generateLabel', at: Date.parse('2026-11-26T11:00:00Z') });
 */
export const orderMachine = setup({
  types: {
    context: {} as OrderContext,
    events: {} as OrderEvent,
    input: {} as unknown,
    emitted: {} as Effect,
  },
  guards: {
    isAutoCancelDue: ({ context, event }) => event.at >= context.autoCancelAt,
    hasBuyerWindowClosed: ({ context, event }) => event.at >= context.buyerCancelUntil,
    mayBuyerCancel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'buyer.cancel');
      return allowedIn(status, context, event, judgeBuyerCancel(context, status, event));
    },
    mayRequestCancellation: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'buyer.requestCancellation');
      return allowedIn(status, context, event, judgeRequestCancellation(context, status, event));
    },
    maySellerCancel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.cancel');
      return allowedIn(status, context, event, judgeSellerCancel(context, status, event));
    },
    cancelsAllThatRemains: ({ context, event }) => {
      assertEvent(event, 'seller.cancel');
      const cancelling = itemsToCancel(context, event);
      return remainingItems(context).every(
        (left) => cancelling.find((item) => item.orderItemId === left.orderItemId)?.quantity === left.quantity,
      );
    },
    mayGenerateLabel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.generateLabel');
      return allowedIn(status, context, event, judgeGenerateLabel(context, status, event));
    },
    mayVoidLabel: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.voidLabel');
      return allowedIn(status, context, event, judgeVoidLabel(context, status, event));
    },
    mayConfirmShipment: ({ context, event }, { status }: StatusParams) => {
      assertEvent(event, 'seller.confirmShipment');
      return allowedIn(status, context, event, judgeConfirmShipment(context, status, event));
    },
  },
  actions: {
    /** After a deadline moved the order on, the event is judged again in its new state. */
    replayEvent: raise(({ event }) => event),
    recordBuyerCancellation: assign(({ context, event }) =>
      withCancellation(context, {
        by: 'buyer',
        reason: 'BuyerSelfCanceled',
        at: event.at,
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
        at: event.at,
        items,
        countsAgainstRate: countsAgainstRate(context, 'seller', event.reason, items),
      });
    }),
    recordAutoCancellation: assign(({ context }) =>
      withCancellation(context, {
        by: 'system',
        reason: 'NotShippedInTime',
        // Amazon cancels at the deadline itself, whenever the event that reveals it arrives.
        at: context.autoCancelAt,
        items: remainingItems(context),
        countsAgainstRate: countsAgainstRate(context, 'system', 'NotShippedInTime', remainingItems(context)),
      }),
    ),
    notifyCancellation: enqueueActions(({ context, enqueue }) => {
      const record = context.cancellations[context.cancellations.length - 1]!;
      const { orderId } = context;
      const whole = remainingItems(context).length === 0;
      const topic = whole ? 'orderCanceled' : 'itemsCanceled';
      enqueue.emit({ type: 'buyer.notified', orderId, at: record.at, topic });
      enqueue.emit({ type: 'seller.notified', orderId, at: record.at, topic: record.by === 'system' ? 'autoCanceled' : topic });
      enqueue.emit({ type: 'items.refunded', orderId, at: record.at, items: record.items });
    }),
    recordCancellationRequest: assign(({ context, event }) => {
      assertEvent(event, 'buyer.requestCancellation');
      const official = isOfficialRequest(event);
      const orderItemIds = event.orderItemIds ?? context.items.map((item) => item.orderItemId);
      return {
        requests: [
          ...context.requests,
          {
            at: event.at,
            source: event.source,
            official,
            orderItemIds,
            ...(event.subject === undefined ? {} : { subject: event.subject }),
            ...(event.reason === undefined ? {} : { reason: event.reason }),
          },
        ],
        items: official
          ? context.items.map((item) => (orderItemIds.includes(item.orderItemId) ? { ...item, buyerRequestedCancel: true } : item))
          : context.items,
      };
    }),
    answerCancellationRequest: enqueueActions(({ context, event, enqueue }) => {
      assertEvent(event, 'buyer.requestCancellation');
      const { orderId } = context;
      if (isOfficialRequest(event)) {
        enqueue.emit({ type: 'seller.notified', orderId, at: event.at, topic: 'cancellationRequested' });
      } else {
        enqueue.emit({ type: 'buyer.guidance', orderId, at: event.at, message: outcomeMessage('nonStandardRequest') });
      }
    }),
    recordLabel: assign(({ context, event }) => ({ labelGeneratedAt: context.labelGeneratedAt ?? event.at })),
    recordShipment: assign(({ context, event }) => ({ shippedAt: event.at, shippedLate: isLateShipment(context, event.at) })),
    notifyShipment: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({ type: 'buyer.notified', orderId: context.orderId, at: event.at, topic: 'orderShipped' });
    }),
  },
}).createMachine({
  id: 'order',
  version: String(MACHINE_VERSION),
  context: ({ input }) => createOrderContext(input),
  initial: 'placed',
  states: {
    placed: {
      initial: 'buyerCancellable',
      on: {
        // Time first: a deadline at or before the event's `at` takes effect before the event is judged.
        '*': [
          { guard: 'isAutoCancelDue', target: 'autoCanceled', actions: ['recordAutoCancellation', 'notifyCancellation'] },
          {
            guard: and([stateIn('#order.placed.buyerCancellable'), 'hasBuyerWindowClosed']),
            target: '.unshipped',
            actions: 'replayEvent',
          },
        ],
      },
      states: {
        buyerCancellable: {
          on: {
            'buyer.cancel': {
              guard: { type: 'mayBuyerCancel', params: { status: 'buyer-cancellable' } },
              target: '#order.canceled',
              actions: ['recordBuyerCancellation', 'notifyCancellation'],
            },
            'buyer.requestCancellation': {
              guard: { type: 'mayRequestCancellation', params: { status: 'buyer-cancellable' } },
              actions: ['recordCancellationRequest', 'answerCancellationRequest'],
            },
          },
        },
        unshipped: {
          on: {
            'buyer.requestCancellation': {
              guard: { type: 'mayRequestCancellation', params: { status: 'unshipped' } },
              actions: ['recordCancellationRequest', 'answerCancellationRequest'],
            },
            'seller.cancel': [
              {
                guard: and([{ type: 'maySellerCancel', params: { status: 'unshipped' as const } }, 'cancelsAllThatRemains']),
                target: '#order.canceled',
                actions: ['recordSellerCancellation', 'notifyCancellation'],
              },
              {
                guard: { type: 'maySellerCancel', params: { status: 'unshipped' } },
                actions: ['recordSellerCancellation', 'notifyCancellation'],
              },
            ],
            'seller.generateLabel': {
              guard: { type: 'mayGenerateLabel', params: { status: 'unshipped' } },
              target: 'labelGenerated',
              actions: 'recordLabel',
            },
            'seller.confirmShipment': {
              guard: { type: 'mayConfirmShipment', params: { status: 'unshipped' } },
              target: '#order.shipped',
              actions: ['recordShipment', 'notifyShipment'],
            },
          },
        },
        labelGenerated: {
          on: {
            // Voiding or re-buying a label is accepted but does not reopen cancellation.
            'seller.voidLabel': { guard: { type: 'mayVoidLabel', params: { status: 'label-generated' } } },
            'seller.generateLabel': { guard: { type: 'mayGenerateLabel', params: { status: 'label-generated' } } },
            'seller.confirmShipment': {
              guard: { type: 'mayConfirmShipment', params: { status: 'label-generated' } },
              target: '#order.shipped',
              actions: ['recordShipment', 'notifyShipment'],
            },
          },
        },
      },
    },
    shipped: { type: 'final' },
    canceled: { type: 'final' },
    autoCanceled: { type: 'final' },
  },
});

export type OrderMachine = typeof orderMachine;
