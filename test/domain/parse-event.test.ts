import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderEvent, parseOrThrow, parseOrderEvent } from '../../src/domain/index.js';

const AT = '2026-11-26T11:00:00Z';
/** What the schema alone answers: the parsed event, or the error's message. */
const bySchema = (event: unknown) => {
  try {
    return { ok: JSON.stringify(parseOrThrow(OrderEvent, event, 'event')) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
const byParse = (event: unknown) => {
  try {
    return { ok: JSON.stringify(parseOrderEvent(event)) };
  } catch (error) {
    return { error: (error as Error).message };
  }
};
const items = (count: number) => Array.from({ length: count }, (_, i) => ({ orderItemId: `I${i}`, quantity: 1 }));

/** Ids and quantities with the values the schema refuses: control characters, lone surrogates, too long, empty. */
const id = fc.oneof(
  fc.string({ minLength: 1, maxLength: 12 }),
  // Any code point: control characters, non-ASCII and astral text (lone surrogates are among the constants below).
  fc.string({ unit: 'binary', minLength: 1, maxLength: 12 }),
  fc.constantFrom('', 'a\u0000b', 'a\ud800', 'x'.repeat(129), 'x'.repeat(128), 'tab\there', '\ud83d\ude00'),
);
const quantity = fc.oneof(
  fc.integer({ min: -2, max: 5 }),
  fc.constantFrom(1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, 2 ** 53 - 1, '1', null),
);
const item = fc.oneof(
  { weight: 8, arbitrary: fc.record({ orderItemId: id, quantity }) },
  { weight: 1, arbitrary: fc.record({ orderItemId: id, quantity, extra: fc.constant(true) }) },
  { weight: 1, arbitrary: fc.constantFrom(null, 'A', [], { orderItemId: 'A' }) },
);

describe('parsing an event with a long item list (parseOrderEvent)', () => {
  it('should give what the schema gives, field for field and in its order, for a full cancel of 1,000 items', () => {
    const event = { type: 'seller.cancel', at: AT, reason: 'NoInventory', eventId: 'e-1', items: items(1000) };
    expect(byParse(event)).toEqual(bySchema(event));
    expect(Object.keys(parseOrderEvent(event))).toEqual(['type', 'at', 'eventId', 'reason', 'items']);
  });

  it('should refuse with the schema’s words an item listed twice, an unknown field or a bad quantity in a long list', () => {
    const twice = { type: 'seller.confirmShipment', at: AT, items: [...items(20), { orderItemId: 'I3', quantity: 1 }] };
    const extra = {
      type: 'marketplace.orderShipped',
      at: AT,
      items: [...items(20), { orderItemId: 'Z', quantity: 1, x: 1 }],
    };
    const zero = {
      type: 'seller.cancel',
      at: AT,
      reason: 'NoInventory',
      items: [...items(20), { orderItemId: 'Z', quantity: 0 }],
    };
    for (const event of [twice, extra, zero]) {
      expect(byParse(event).error).toBeDefined();
      expect(byParse(event)).toEqual(bySchema(event));
    }
  });

  it('should answer as the schema does for a long good list with one bad item, whichever it is', () => {
    const bad: unknown[] = [
      ...['', 'a\u0000b', 'a\ud800', 'x'.repeat(129), 'tab\there', 7].map((orderItemId) => ({
        orderItemId,
        quantity: 1,
      })),
      ...[0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '1', null].map((q) => ({
        orderItemId: 'Z',
        quantity: q,
      })),
      { orderItemId: 'Z' },
      { orderItemId: 'Z', quantity: 1, extra: true },
      null,
      'Z',
      Object.assign(Object.create({ inherited: 1 }) as object, { orderItemId: 'Z', quantity: 1 }),
    ];
    for (const one of bad) {
      const event = { type: 'seller.cancel', at: AT, reason: 'NoInventory', items: [...items(20), one] };
      expect(byParse(event), JSON.stringify(one) ?? String(one)).toEqual(bySchema(event));
    }
    // And the good edges: the longest id, and the largest safe quantity.
    const edges = {
      type: 'seller.confirmShipment',
      at: AT,
      items: [...items(20), { orderItemId: 'x'.repeat(128), quantity: 2 ** 53 - 1 }],
    };
    expect(byParse(edges).ok).toBeDefined();
    expect(byParse(edges)).toEqual(bySchema(edges));
  });

  it('should answer as the schema does for any list of items, good or bad, on every event type that lists them', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    console.log(`parseOrderEvent against OrderEvent: seed ${seed} (FC_SEED=${seed} replays it)`);
    const event = fc.record({
      type: fc.constantFrom(
        'seller.cancel',
        'seller.confirmShipment',
        'marketplace.orderShipped',
        'marketplace.orderCanceled',
      ),
      at: fc.constantFrom(AT, 'not a date'),
      reason: fc.constantFrom('NoInventory', undefined),
      cancelledBy: fc.constantFrom('buyer', undefined),
      // Mostly long lists of good items (the hand check's case), with bad ones mixed in.
      items: fc.oneof(
        fc.array(
          fc.record({
            orderItemId: fc.oneof(
              fc.string({ minLength: 1, maxLength: 6 }),
              fc.string({ unit: 'binary', minLength: 1, maxLength: 6 }),
            ),
            quantity: fc.integer({ min: 1, max: 3 }),
          }),
          { minLength: 16, maxLength: 40 },
        ),
        fc.array(item, { minLength: 14, maxLength: 40 }),
      ),
    });
    fc.assert(
      fc.property(event, (value) => {
        const plain = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
        expect(byParse(plain)).toEqual(bySchema(plain));
      }),
      { seed, numRuns: 1000 },
    );
  });
});
