import { describe, expect, it } from 'vitest';
import { emit, enqueueActions } from 'xstate';
import { applyEvent, createOrder, judgedAt, orderMachine, orderStatus, policyPresets } from '../../src/index.js';
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
          // A late event is recorded at the order's clock; judgedAt says which instant that is.
          enqueue.emit({
            type: 'buyer.notified',
            orderId: context.orderId,
            at: judgedAt(context, event),
            topic: 'orderShipped',
          });
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
    const quiet = orderMachine.provide({
      actions: { notifyShipment: emit({ type: 'seller.notified', orderId: 'x', at: 0, topic: 'orderCanceled' }) },
    });
    expect(() => checkOrderMachine(quiet, { numRuns: 100, seed: 20261126, maxRuns: 500, invariants: [] })).toThrow(
      /replay with FC_SEED=/,
    );
    checkOrderMachine(quiet, { numRuns: 30, maxRuns: 500, model: 'states' });
  });

  it('should fail, with a seed to replay, for an extension that breaks a rule', () => {
    const lenient = orderMachine.provide({ guards: { maySellerCancel: () => true } });
    expect(() =>
      checkOrderMachine(lenient, {
        numRuns: 200,
        seed: 20261126,
        maxRuns: 5000,
        invariants: ['ordered = remaining + cancelled for every item, always'],
        model: false,
      }),
    ).toThrow(/ordered = remaining \+ cancelled for every item, always" failed; replay with FC_SEED=-?\d+/);
  });

  it('should keep deadlines for a guard written without any deadline helper: no buyer cancel 30 days late', () => {
    const lenient = orderMachine.provide({ guards: { mayBuyerCancel: () => true } });
    const placedAt = Date.parse('2026-11-26T10:00:00Z');
    const { snapshot } = createOrder(
      {
        orderId: 'late-1',
        placedAt,
        latestShipDate: placedAt + 86_400_000,
        items: [{ orderItemId: 'A', quantity: 1 }],
      },
      { machine: lenient },
    );
    const { snapshot: after, verdict } = applyEvent(snapshot, { type: 'buyer.cancel', at: placedAt + 30 * 86_400_000 });
    expect(verdict).toMatchObject({ accepted: false, code: 'ALREADY_CANCELED' });
    expect(orderStatus(after)).toBe('auto-canceled');
    // The same guard changes nothing the rules see: the whole suite passes on it.
    checkOrderMachine(lenient, { numRuns: 30, maxRuns: 500 });
  });
});
