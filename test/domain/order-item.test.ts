import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderItem, orderItem } from '../../src/domain/index.js';
import { applyEvent, createOrder, type OrderSnapshot } from '../../src/index.js';

/** Items as a snapshot holds them: every field in `OrderItem`'s order, `sku` only when there is one. */
const item = fc
  .record(
    {
      orderItemId: fc.string({ minLength: 1, maxLength: 8 }),
      sku: fc.string({ maxLength: 8 }),
      quantity: fc.integer({ min: 1, max: 9 }),
      quantityCanceled: fc.nat(9),
      quantityShipped: fc.nat(9),
      buyerRequestedCancel: fc.boolean(),
    },
    { requiredKeys: ['orderItemId', 'quantity', 'quantityCanceled', 'quantityShipped', 'buyerRequestedCancel'] },
  )
  .map((fields) => OrderItem.parse(fields));

describe('an order item with new counts (orderItem)', () => {
  it('should keep the schema’s field order, with the sku only when the item has one', () => {
    const withSku = orderItem({ orderItemId: 'A', sku: 'MUG', quantity: 2 }, 1, 0, true);
    expect(Object.keys(withSku)).toEqual(Object.keys(OrderItem.shape));
    expect(withSku).toStrictEqual({
      orderItemId: 'A',
      sku: 'MUG',
      quantity: 2,
      quantityCanceled: 1,
      quantityShipped: 0,
      buyerRequestedCancel: true,
    });
    const withoutSku = orderItem({ orderItemId: 'B', quantity: 1 }, 0, 1, false);
    expect(Object.keys(withoutSku)).toEqual(Object.keys(OrderItem.shape).filter((key) => key !== 'sku'));
  });

  it('should give what spreading the item with the new counts gave, keys in the same order', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    console.log(`orderItem against a spread: seed ${seed} (FC_SEED=${seed} replays it)`);
    fc.assert(
      fc.property(item, fc.nat(9), fc.nat(9), fc.boolean(), (before, canceled, shipped, requested) => {
        const spread = {
          ...before,
          quantityCanceled: canceled,
          quantityShipped: shipped,
          buyerRequestedCancel: requested,
        };
        const built = orderItem(before, canceled, shipped, requested);
        expect(built).toStrictEqual(spread);
        expect(Object.keys(built)).toEqual(Object.keys(spread));
        expect(built).not.toBe(before);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('should leave out an sku that is present but undefined, as serializing does', () => {
    const built = orderItem({ orderItemId: 'A', sku: undefined, quantity: 1 }, 0, 0, false);
    expect(Object.keys(built)).not.toContain('sku');
  });
});

describe('the items of a snapshot after the steps that change them', () => {
  const at = (minutes: number) => Date.parse('2026-11-26T10:00:00Z') + minutes * 60_000;
  const order = createOrder({
    orderId: '113-1',
    placedAt: at(0),
    latestShipDate: at(48 * 60),
    items: [
      { orderItemId: 'A', sku: 'MUG', quantity: 2 },
      { orderItemId: 'B', quantity: 2 },
    ],
  }).snapshot;
  const keysOf = (snapshot: OrderSnapshot) => snapshot.context.items.map((item) => Object.keys(item));
  const schemaKeys = Object.keys(OrderItem.shape);
  const expected = [schemaKeys, schemaKeys.filter((key) => key !== 'sku')];

  it('should keep OrderItem’s field order after an official request, a partial cancel and a partial shipment', () => {
    const oneOfEach = [
      { orderItemId: 'A', quantity: 1 },
      { orderItemId: 'B', quantity: 1 },
    ];
    const requested = applyEvent(order, {
      type: 'buyer.requestCancellation',
      at: at(5),
      source: 'order-flag',
      orderItemIds: ['A', 'B'],
    }).snapshot;
    const cancelled = applyEvent(requested, {
      type: 'seller.cancel',
      at: at(40),
      reason: 'BuyerCanceled',
      items: oneOfEach,
    }).snapshot;
    const shipped = applyEvent(cancelled, {
      type: 'seller.confirmShipment',
      at: at(60),
      items: oneOfEach,
    }).snapshot;
    for (const snapshot of [requested, cancelled, shipped]) expect(keysOf(snapshot)).toEqual(expected);
    expect(requested.context.items.map((item) => item.buyerRequestedCancel)).toEqual([true, true]);
    expect(cancelled.context.items.map((item) => item.quantityCanceled)).toEqual([1, 1]);
    expect(shipped.context.items.map((item) => [item.quantityShipped, item.sku])).toEqual([
      [1, 'MUG'],
      [1, undefined],
    ]);
  });
});
