import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderItem, orderItem } from '../../src/domain/index.js';

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
});
