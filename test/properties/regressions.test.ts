import fc from 'fast-check';
import { describe, it } from 'vitest';
import { applyEvent, createOrder } from '../../src/index.js';
import { invariantProperties, pureFunctionsStepper } from '../../src/testing/index.js';

// Seeds that once failed a property, kept so the failure stays fixed (docs/testing.md).
describe('regressions found by the property suite', () => {
  it('should not blame a label for a cancel that came from the marketplace before a refused buyer cancel (FC_SEED=-487782981)', () => {
    const property = invariantProperties(pureFunctionsStepper)['nothing is cancelled once a label exists or after shipment'];
    fc.assert(property as fc.IProperty<[unknown]>, {
      seed: -487782981,
      path: '29:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:0:2:0:3:3:3:3:3:7:9:3:4:3:3:3:4:4:4:4:5:5:5:5:5:5:5:5:6:6:6:6',
      numRuns: 1,
    });
    // The shrunk counterexample itself: a label, a late cancel fact from the marketplace, then a buyer cancel.
    const placedAt = 1704067200000;
    let { snapshot } = createOrder({ orderId: '000-0000000-0000000', placedAt, latestShipDate: placedAt, items: [{ orderItemId: 'A', quantity: 1 }] });
    for (const event of [
      { type: 'seller.generateLabel', at: placedAt + 1_800_000 },
      { type: 'marketplace.orderCanceled', at: placedAt + 1_799_999, cancelledBy: 'buyer' },
    ] as const) snapshot = applyEvent(snapshot, event).snapshot;
    const refused = applyEvent(snapshot, { type: 'buyer.cancel', at: placedAt + 1_800_000 });
    if (refused.verdict.accepted || refused.snapshot !== snapshot) throw new Error('A cancelled order changed on a buyer cancel.');
  });
});
