import { describe, expect, it } from 'vitest';
import { emit, enqueueActions } from 'xstate';
import { orderMachine, policyPresets } from '../../src/index.js';
import { checkOrderMachine } from '../../src/testing/index.js';

describe('checkOrderMachine', () => {
  it('should pass for the package machine itself', () => {
    checkOrderMachine(orderMachine, { numRuns: 30, maxRuns: 500 });
  });

  it('should pass for a machine an app extended with .provide() that keeps the rules', () => {
    // The app logs shipments through its own action; effects stay the same, so the strict model comparison holds.
    const shipped: number[] = [];
    const extended = orderMachine.provide({
      actions: {
        notifyShipment: enqueueActions(({ context, event, enqueue }) => {
          shipped.push(event.at);
          enqueue.emit({ type: 'buyer.notified', orderId: context.orderId, at: event.at, topic: 'orderShipped' });
        }),
      },
    });
    checkOrderMachine(extended, { numRuns: 30, maxRuns: 500 });
    expect(shipped.length).toBeGreaterThan(0);
  });

  it('should pass for an app on the five-day auto-cancel policy', () => {
    checkOrderMachine(orderMachine, { numRuns: 30, maxRuns: 500, policy: policyPresets.fiveDayAutoCancel });
  });

  it('should compare only states when an extension changes the effects', () => {
    const quiet = orderMachine.provide({ actions: { notifyShipment: emit({ type: 'seller.notified', orderId: 'x', at: 0, topic: 'orderCanceled' }) } });
    expect(() => checkOrderMachine(quiet, { numRuns: 100, seed: 20261126, maxRuns: 500, invariants: [] })).toThrow(/replay with FC_SEED=/);
    checkOrderMachine(quiet, { numRuns: 30, maxRuns: 500, model: 'states' });
  });

  it('should fail, with a seed to replay, for an extension that breaks a rule', () => {
    const lenient = orderMachine.provide({ guards: { mayBuyerCancel: () => true } });
    expect(() =>
      checkOrderMachine(lenient, { numRuns: 200, seed: 20261126, maxRuns: 5000, invariants: ['a buyer self-cancel is accepted only inside the window'], model: false }),
    ).toThrow(/a buyer self-cancel is accepted only inside the window" failed; replay with FC_SEED=-?\d+/);
  });
});
