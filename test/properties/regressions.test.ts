import fc from 'fast-check';
import { describe, it } from 'vitest';
import { applyEvent, createOrder } from '../../src/index.js';
import { invariantProperties, pureFunctionsStepper } from '../../src/testing/index.js';

// Seeds that once failed a property, kept so the failure stays fixed (docs/testing.md).
describe('regressions found by the property suite', () => {
  it('should not blame a label for a cancel that came from the marketplace before a refused buyer cancel (FC_SEED=-487782981)', () => {
    // The seed's path no longer replays since the arbitraries grew partial shipments and readiness reports (issue 19),
    // so the property runs on the shrunk counterexample itself: a label, a late cancel fact, then a buyer cancel.
    const property = invariantProperties(pureFunctionsStepper)['nothing is cancelled once a label exists or after shipment'];
    const placedAt = 1704067200000;
    const scenario = {
      input: { orderId: '000-0000000-0000000', placedAt, latestShipDate: placedAt, items: [{ orderItemId: 'A', quantity: 1 }] },
      events: [
        { type: 'seller.generateLabel', at: placedAt + 1_800_000 },
        { type: 'marketplace.orderCanceled', at: placedAt + 1_799_999, cancelledBy: 'buyer' },
        { type: 'buyer.cancel', at: placedAt + 1_800_000 },
      ],
    };
    fc.assert(property as fc.IProperty<[unknown]>, { examples: [[scenario]], numRuns: 0 });
    let { snapshot } = createOrder({ orderId: '000-0000000-0000000', placedAt, latestShipDate: placedAt, items: [{ orderItemId: 'A', quantity: 1 }] });
    for (const event of [
      { type: 'seller.generateLabel', at: placedAt + 1_800_000 },
      { type: 'marketplace.orderCanceled', at: placedAt + 1_799_999, cancelledBy: 'buyer' },
    ] as const) snapshot = applyEvent(snapshot, event).snapshot;
    const refused = applyEvent(snapshot, { type: 'buyer.cancel', at: placedAt + 1_800_000 });
    if (refused.verdict.accepted || refused.snapshot !== snapshot) throw new Error('A cancelled order changed on a buyer cancel.');
  });
});
