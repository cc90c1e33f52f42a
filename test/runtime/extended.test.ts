import { describe, expect, it } from 'vitest';
import { enqueueActions, SimulatedClock } from 'xstate';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  orderMachine,
  orderStatus,
  restoreOrder,
  serializeOrder,
  type Effect,
} from '../../src/index.js';
import { autoCancelAt, buyerCancelUntil, DAY, minute, orderInput, placedAt } from '../support/orders.js';

/** An app's extension: shipments also notify the seller (a made-up effect topic for the test). */
const appMachine = orderMachine.provide({
  actions: {
    notifyShipment: enqueueActions(({ context, event, enqueue }) => {
      enqueue.emit({ type: 'buyer.notified', orderId: context.orderId, at: event.at, topic: 'orderShipped' });
      enqueue.emit({ type: 'seller.notified', orderId: context.orderId, at: event.at, topic: 'orderCanceled' });
    }),
  },
});

/** An app's extension whose auto-cancel comes a day earlier than the package's: a time guard of its own. */
const earlyMachine = orderMachine.provide({
  guards: {
    isAutoCancelDue: ({ context, event }) =>
      context.autoCancelAt !== null && Math.max(context.clock, event.at) >= context.autoCancelAt - DAY,
  },
});

describe('an order on an extended machine', () => {
  it('should judge an event in the status the extended machine’s own time guards give, not the package’s deadlines', () => {
    const unshipped = applyEvent(createOrder(orderInput(), { machine: earlyMachine }).snapshot, {
      type: 'clock.tick',
      at: buyerCancelUntil,
    }).snapshot;
    const late = applyEvent(unshipped, { type: 'seller.cancel', at: autoCancelAt - DAY / 2, reason: 'NoInventory' });
    expect(late.verdict).toMatchObject({ accepted: false, code: 'ALREADY_CANCELED' });
    expect(orderStatus(late.snapshot)).toBe('auto-canceled');
  });

  it('should keep running on the machine it was created with through applyEvent', () => {
    const created = createOrder(orderInput(), { machine: appMachine }).snapshot;
    const { effects } = applyEvent(applyEvent(created, { type: 'clock.tick', at: buyerCancelUntil }).snapshot, {
      type: 'seller.confirmShipment',
      at: minute(60),
    });
    expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified']);
  });

  it('should restore onto the extended machine when asked', () => {
    const text = serializeOrder(
      applyEvent(createOrder(orderInput()).snapshot, { type: 'clock.tick', at: buyerCancelUntil }).snapshot,
    );
    const onApp = applyEvent(restoreOrder(text, { machine: appMachine }), {
      type: 'seller.confirmShipment',
      at: minute(60),
    });
    const onDefault = applyEvent(restoreOrder(text), { type: 'seller.confirmShipment', at: minute(60) });
    expect(onApp.effects).toHaveLength(2);
    expect(onDefault.effects).toHaveLength(1);
  });

  it('should run a live actor on the extended machine with the same deadline wake-ups', () => {
    const clock = new SimulatedClock();
    clock.set(placedAt);
    const actor = createOrderActor(orderInput(), { clock, machine: appMachine });
    const effects: Effect[] = [];
    actor.on('*', (effect) => {
      if (effect.type !== 'order.accepted') effects.push(effect);
    });
    clock.set(buyerCancelUntil);
    expect(orderStatus(actor.getSnapshot())).toBe('unshipped');
    actor.send({ type: 'seller.confirmShipment', at: minute(60) });
    expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified']);
  });
});
