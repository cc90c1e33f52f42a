import { describe, expect, it } from 'vitest';
import type { OrderEventInput } from '../../src/index.js';

// The package is imported inside the test, not at the top of the file: a change that breaks the machine or
// a schema while the module loads then fails this test (StrykerJS counts the mutant as killed) instead of
// failing the whole file before any test runs.
describe('loading the package', () => {
  it('should load the machine, the domain and the runtime, and walk an order through its states', async () => {
    const { createOrder, applyEvent, orderStatus, orderMachine, OrderStatus, CancelReason } =
      await import('../../src/index.js');
    const { orderEventTypes } = await import('../../src/domain/index.js');
    expect(orderMachine.id).toBe('order');
    expect(orderEventTypes).toEqual([
      'buyer.cancel',
      'buyer.requestCancellation',
      'seller.cancel',
      'seller.generateLabel',
      'seller.voidLabel',
      'seller.confirmShipment',
      'clock.tick',
      'marketplace.orderCanceled',
      'marketplace.orderShipped',
      'marketplace.statusReported',
    ]);
    expect(OrderStatus.options).toEqual([
      'buyer-cancellable',
      'unshipped',
      'label-generated',
      'shipped',
      'canceled',
      'auto-canceled',
    ]);
    expect(CancelReason.options).toHaveLength(14);
    const input = { orderId: '111-1', placedAt: 0, latestShipDate: 0, items: [{ orderItemId: 'A', quantity: 2 }] };
    let snapshot = createOrder(input).snapshot;
    const seen = [orderStatus(snapshot)];
    for (const event of [
      { type: 'buyer.requestCancellation', at: 1, source: 'order-flag' },
      { type: 'clock.tick', at: 30 * 60_000 },
      {
        type: 'seller.cancel',
        at: 30 * 60_000 + 1,
        reason: 'BuyerCanceled',
        items: [{ orderItemId: 'A', quantity: 1 }],
      },
      { type: 'seller.generateLabel', at: 30 * 60_000 + 2 },
      { type: 'seller.voidLabel', at: 30 * 60_000 + 3 },
      { type: 'seller.confirmShipment', at: 30 * 60_000 + 4 },
    ] satisfies OrderEventInput[]) {
      const result = applyEvent(snapshot, event);
      expect(result.verdict.accepted).toBe(true);
      snapshot = result.snapshot;
      seen.push(orderStatus(snapshot));
    }
    expect(seen).toEqual([
      'buyer-cancellable',
      'buyer-cancellable',
      'unshipped',
      'unshipped',
      'label-generated',
      'label-generated',
      'shipped',
    ]);
    expect(orderStatus(applyEvent(createOrder(input).snapshot, { type: 'buyer.cancel', at: 1 }).snapshot)).toBe(
      'canceled',
    );
    expect(
      orderStatus(applyEvent(createOrder(input).snapshot, { type: 'clock.tick', at: 7 * 86_400_000 }).snapshot),
    ).toBe('auto-canceled');
  });

  it('should load the testing entry point', async () => {
    const testing = await import('../../src/testing/index.js');
    expect(typeof testing.checkOrderMachine).toBe('function');
    expect(testing.invariantNames).toHaveLength(12);
  });
});
