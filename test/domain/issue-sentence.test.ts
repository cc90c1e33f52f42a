import * as z from 'zod';
import { describe, expect, it } from 'vitest';
import { OrderEvent, issueSentence } from '../../src/domain/index.js';

/** The sentence of the first issue `schema` finds in `value`. */
function sentence(schema: z.core.$ZodType, value: unknown, options?: Parameters<typeof issueSentence>[2]): string {
  const result = z.safeParse(schema, value);
  if (result.success) throw new Error('the value parsed');
  return issueSentence(result.error.issues[0]!, value, options);
}

describe('issueSentence', () => {
  it('should name every event type for an unknown type, and the type it got', () => {
    expect(sentence(OrderEvent, { type: 'foo', at: 0 })).toBe(
      'expected one of buyer.cancel, buyer.requestCancellation, seller.cancel, seller.generateLabel, seller.voidLabel, seller.confirmShipment, clock.tick, marketplace.orderCanceled, marketplace.orderShipped, marketplace.statusReported (got "foo")',
    );
  });

  it('should say "got nothing" for a missing field', () => {
    expect(sentence(z.object({ a: z.string() }), {})).toBe('expected a string (got nothing)');
  });

  it("should put zod's own words for types, bounds, options and keys in plain words", () => {
    expect(sentence(z.number().int(), 1.5)).toBe('expected an integer (got 1.5)');
    expect(sentence(z.string().min(1), '')).toBe('expected at least 1 character (got "")');
    expect(sentence(z.array(z.number()).max(2), [1, 2, 3])).toBe('expected at most 2 items (got [1,2,3])');
    expect(sentence(z.number().positive(), -5)).toBe('expected more than 0 (got -5)');
    expect(sentence(z.enum(['x', 'y']), 'q')).toBe('expected one of x, y (got "q")');
    expect(sentence(z.literal('L'), 'M')).toBe('expected "L" (got "M")');
    expect(sentence(z.union([z.string(), z.number()]), true)).toBe('expected a string or a number (got true)');
    expect(sentence(z.strictObject({}), { d: 1 })).toBe('unknown key "d" (got {"d":1})');
  });

  it("should keep a schema's own message as written", () => {
    expect(sentence(z.string({ error: 'expected an order id' }), 7)).toBe('expected an order id (got 7)');
    expect(
      sentence(
        z.string().refine(() => false, 'must be a known SKU'),
        'x',
      ),
    ).toBe('must be a known SKU (got "x")');
  });

  it('should leave the value out when asked, and cut it at the length asked', () => {
    expect(sentence(z.string(), 7, { got: false })).toBe('expected a string');
    expect(sentence(z.number(), 'y'.repeat(100), { previewLength: 10 })).toBe('expected a number (got "yyyyyy...)');
  });
});
