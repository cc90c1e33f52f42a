import type * as z from 'zod/mini';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  Identifier,
  InvalidInputError,
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_ID_LENGTH,
  OrderEvent,
  OrderInput,
  checkIdempotencyKey,
  checkOrderId,
  parseOrThrow,
  parseOrderEvent,
} from '../../src/domain/index.js';

// Tests of schemas.ts that StrykerJS showed missing, in-process: the bounds on ids and keys given beside a payload,
// the order input's own checks, and the hand check of long item lists (test/domain/bounds.test.ts proves the same
// bounds through the stores, outside the mutation run).

const AT = '2026-11-26T11:00:00Z';
const PLACED = '2026-11-26T10:00:00Z';

/** The message `call` throws InvalidInputError with, or 'no error'. */
function failure(call: () => unknown): string {
  try {
    call();
    return 'no error';
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return (error as Error).message;
  }
}

/** `count` distinct items of one unit each: I0, I1, … */
const items = (count: number) => Array.from({ length: count }, (_, i) => ({ orderItemId: `I${i}`, quantity: 1 }));

/** A valid order input with `patch` over it. */
const orderInput = (patch: Record<string, unknown> = {}) => ({
  orderId: '113-1234567-1234567',
  placedAt: PLACED,
  items: [{ orderItemId: 'A', quantity: 1 }],
  ...patch,
});

describe('checkOrderId', () => {
  it('should take an id of 1 to 128 characters', () => {
    expect(failure(() => checkOrderId('A'))).toBe('no error');
    expect(failure(() => checkOrderId('i'.repeat(MAX_ID_LENGTH)))).toBe('no error');
  });

  it('should refuse an empty, long or malformed id naming orderId and the value', () => {
    expect(failure(() => checkOrderId(''))).toBe('Invalid order id: orderId: expected at least 1 character (got "")');
    expect(failure(() => checkOrderId('i'.repeat(MAX_ID_LENGTH + 1)))).toMatch(
      /^Invalid order id: orderId: must be at most 128 characters \(this one has 129\) \(got "i+\.\.\.\)$/,
    );
    expect(failure(() => checkOrderId('A\u0000'))).toBe(
      'Invalid order id: orderId: must not contain control characters: U+0000 at index 1 (got "A\\u0000")',
    );
    expect(failure(() => checkOrderId(7))).toBe('Invalid order id: orderId: expected a string (got 7)');
  });
});

describe('checkIdempotencyKey', () => {
  it('should take no key, or a key of 1 to 255 characters', () => {
    expect(failure(() => checkIdempotencyKey(undefined))).toBe('no error');
    expect(failure(() => checkIdempotencyKey('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH)))).toBe('no error');
  });

  it('should refuse an empty, long or malformed key naming idempotencyKey and the value', () => {
    expect(failure(() => checkIdempotencyKey(''))).toBe(
      'Invalid request options: idempotencyKey: expected at least 1 character (got "")',
    );
    expect(failure(() => checkIdempotencyKey('k'.repeat(MAX_IDEMPOTENCY_KEY_LENGTH + 1)))).toMatch(
      /^Invalid request options: idempotencyKey: must be at most 255 characters \(this one has 256\) /,
    );
    expect(failure(() => checkIdempotencyKey('\uDFFFk'))).toMatch(
      /^Invalid request options: idempotencyKey: must be well-formed Unicode: a lone surrogate U\+DFFF at index 0 /,
    );
  });
});

describe('the bounded strings', () => {
  it('should report a bad id as the schema’s own custom issue, worded by textProblem', () => {
    const result = Identifier.safeParse('A\u0001');
    expect(result.success).toBe(false);
    expect(result.error!.issues).toMatchObject([
      { code: 'custom', path: [], message: 'must not contain control characters: U+0001 at index 1' },
    ]);
  });

  it('should allow tabs and line breaks in free text but not in ids', () => {
    const request = { type: 'buyer.requestCancellation', at: AT, source: 'message' };
    expect(parseOrderEvent({ ...request, reason: 'no\tlonger\nneeded' })).toMatchObject({
      reason: 'no\tlonger\nneeded',
    });
    expect(failure(() => parseOrderEvent({ ...request, orderItemIds: ['A\tB'] }))).toBe(
      'Invalid event: orderItemIds.0: must not contain control characters: U+0009 at index 1 (got "A\\tB")',
    );
  });
});

describe('an order input', () => {
  const parse = (input: unknown) => parseOrThrow(OrderInput, input, 'order input');

  it('should take a latest ship date at the purchase instant or after it, or none', () => {
    expect(parse(orderInput({ latestShipDate: PLACED })).latestShipDate).toBe(Date.parse(PLACED));
    expect(parse(orderInput()).latestShipDate).toBeUndefined();
  });

  it('should refuse a latest ship date before the purchase instant, naming latestShipDate', () => {
    const before = new Date(Date.parse(PLACED) - 1).toISOString();
    expect(failure(() => parse(orderInput({ latestShipDate: before })))).toBe(
      `Invalid order input: latestShipDate: latestShipDate must not be before placedAt (got "${before}")`,
    );
  });

  it('should refuse an item listed twice at the second listing, naming the id', () => {
    const twice = [
      { orderItemId: 'A', quantity: 1 },
      { orderItemId: 'B', quantity: 1 },
      { orderItemId: 'A', quantity: 2 },
    ];
    expect(failure(() => parse(orderInput({ items: twice })))).toBe(
      'Invalid order input: items.2.orderItemId: orderItemId "A" is listed twice (got "A")',
    );
  });
});

describe('the package’s own rules, as zod issues', () => {
  it('should report a late ship date and an item listed twice as custom issues at their fields', () => {
    const late = OrderInput.safeParse(orderInput({ latestShipDate: '2026-11-26T09:59:59Z' }));
    expect(late.error!.issues).toMatchObject([{ code: 'custom', path: ['latestShipDate'] }]);
    const twice = [
      { orderItemId: 'A', quantity: 1 },
      { orderItemId: 'A', quantity: 1 },
    ];
    const order = OrderInput.safeParse(orderInput({ items: twice }));
    expect(order.error!.issues).toMatchObject([{ code: 'custom', path: ['items', 1, 'orderItemId'] }]);
    const event = OrderEvent.safeParse({ type: 'seller.confirmShipment', at: AT, items: twice });
    expect(event.error!.issues).toMatchObject([{ code: 'custom', path: ['items', 1, 'orderItemId'] }]);
  });
});

describe('an event’s item list', () => {
  const cancel = { type: 'seller.cancel', at: AT, reason: 'NoInventory' };
  /** The list schema of a type's `items`, to see whether it walked a list. */
  const itemsSchema = (type: string) => {
    const option = OrderEvent.def.options.find((each) => each.shape.type.def.values[0] === type)!;
    return ((option.shape as Record<string, z.ZodMiniType>)['items'] as z.ZodMiniOptional).def.innerType;
  };
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('should refuse an item listed twice at the second listing, short list or long', () => {
    for (const list of [items(2), items(20)]) {
      const event = { ...cancel, items: [...list, { orderItemId: 'I1', quantity: 1 }] };
      expect(failure(() => parseOrderEvent(event))).toBe(
        `Invalid event: items.${list.length}.orderItemId: orderItemId "I1" is listed twice (got "I1")`,
      );
    }
  });

  it('should check a plain list of 16 items or more by hand, without the schema walking it', () => {
    const withLists = [
      cancel,
      { type: 'seller.confirmShipment', at: AT },
      { type: 'marketplace.orderShipped', at: AT },
      { type: 'marketplace.orderCanceled', at: AT, cancelledBy: 'buyer' },
    ];
    for (const base of withLists) {
      // Every type's list is the same schema: the spy is cleared for each.
      const run = vi.spyOn(itemsSchema(base.type)._zod, 'run');
      run.mockClear();
      const list = [...items(15), { orderItemId: 'i'.repeat(MAX_ID_LENGTH), quantity: Number.MAX_SAFE_INTEGER }];
      const event = { ...base, items: list };
      expect(parseOrderEvent(event)).toMatchObject({ items: list });
      expect(run).not.toHaveBeenCalled();
      expect(parseOrderEvent({ ...event, items: items(15) })).toMatchObject({ items: items(15) });
      expect(run).toHaveBeenCalledTimes(1);
    }
  });

  it('should give the event’s fields in the schema’s order, with or without a long list', () => {
    const event = parseOrderEvent({ items: items(16), eventId: 'e-1', ...cancel });
    expect(Object.keys(event)).toEqual(['type', 'at', 'eventId', 'reason', 'items']);
    expect(Object.keys(parseOrderEvent({ type: 'clock.tick', at: AT }))).toEqual(['type', 'at']);
  });

  it('should refuse a long list on an event that has none', () => {
    expect(failure(() => parseOrderEvent({ type: 'clock.tick', at: AT, items: items(16) }))).toMatch(
      /^Invalid event: \(root\): unknown key "items" \(got /,
    );
  });

  it('should leave to the schema, and its words, a long list with anything it refuses', () => {
    const refused: Array<[unknown, RegExp]> = [
      [null, /^Invalid event: items\.16: expected an object \(got null\)$/],
      [undefined, /^Invalid event: items\.16: expected an object \(got nothing\)$/],
      ['I', /^Invalid event: items\.16: expected an object \(got "I"\)$/],
      [['I', 1], /^Invalid event: items\.16: expected an object \(got \["I",1\]\)$/],
      [{ orderItemId: 'X', quantity: 1, extra: 1 }, /^Invalid event: items\.16: unknown key "extra"/],
      [{ orderItemId: 'X' }, /^Invalid event: items\.16\.quantity: expected a number \(got nothing\)$/],
      [{ orderItemId: 1, quantity: 1 }, /^Invalid event: items\.16\.orderItemId: expected a string \(got 1\)$/],
      [{ orderItemId: 'X', quantity: '1' }, /^Invalid event: items\.16\.quantity: expected a number \(got "1"\)$/],
      [{ orderItemId: '', quantity: 1 }, /^Invalid event: items\.16\.orderItemId: expected at least 1 character/],
      [{ orderItemId: 'i'.repeat(MAX_ID_LENGTH + 1), quantity: 1 }, /items\.16\.orderItemId: must be at most 128/],
      [{ orderItemId: 'X\u0000', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters/],
      [{ orderItemId: 'X\tY', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters: U\+0009/],
      [{ orderItemId: 'X\u001f', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters: U\+001F/],
      [{ orderItemId: 'X\u007f', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters: U\+007F/],
      [{ orderItemId: 'X\u0080', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters: U\+0080/],
      [{ orderItemId: 'X\u009f', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters: U\+009F/],
      [{ orderItemId: 'é'.repeat(MAX_ID_LENGTH + 1), quantity: 1 }, /items\.16\.orderItemId: must be at most 128/],
      [{ orderItemId: 'X\u0085', quantity: 1 }, /items\.16\.orderItemId: must not contain control characters: U\+0085/],
      [{ orderItemId: 'X\udc00', quantity: 1 }, /items\.16\.orderItemId: must be well-formed Unicode/],
      [{ orderItemId: 'X', quantity: 0 }, /^Invalid event: items\.16\.quantity: expected more than 0 \(got 0\)$/],
      [{ orderItemId: 'X', quantity: -1 }, /^Invalid event: items\.16\.quantity: expected more than 0 \(got -1\)$/],
      [{ orderItemId: 'X', quantity: 1.5 }, /^Invalid event: items\.16\.quantity: expected an integer \(got 1\.5\)$/],
      [{ orderItemId: 'X', quantity: 2 ** 53 }, /^Invalid event: items\.16\.quantity: /],
      [Object.assign(Object.create({ extra: 1 }), { orderItemId: 'X', quantity: 1 }), /items\.16: unknown key "extra"/],
    ];
    for (const [item, message] of refused) {
      expect(failure(() => parseOrderEvent({ ...cancel, items: [...items(16), item] }))).toMatch(message);
    }
  });

  it('should take ids outside printable ASCII in a long list as the schema does, by the full text check', () => {
    const list = [
      ...items(16),
      { orderItemId: '商品-1', quantity: 1 },
      { orderItemId: '\ud83d\ude00', quantity: 2 },
      { orderItemId: 'no\u00a0break', quantity: 1 },
      { orderItemId: 'é'.repeat(MAX_ID_LENGTH), quantity: 1 },
    ];
    const run = vi.spyOn(itemsSchema('seller.cancel')._zod, 'run');
    run.mockClear();
    expect(parseOrderEvent({ ...cancel, items: list })).toMatchObject({ items: list });
    expect(run).not.toHaveBeenCalled();
  });

  it('should refuse a long list’s event for its other fields, and a list-like object, in the schema’s words', () => {
    expect(failure(() => parseOrderEvent({ ...cancel, reason: 'Bored', items: items(16) }))).toMatch(
      /^Invalid event: reason: expected one of NoInventory, .*, WeatherDelay \(got "Bored"\)$/,
    );
    expect(failure(() => parseOrderEvent({ ...cancel, items: { length: 16 } }))).toBe(
      'Invalid event: items: expected an array (got {"length":16})',
    );
  });

  it('should parse an event whose fields come from its class as the schema does, type and all', () => {
    class Cancel {
      at = AT;
      reason = 'NoInventory';
      items = items(16);
      get type() {
        return 'seller.cancel';
      }
    }
    expect(parseOrderEvent(new Cancel())).toEqual({ ...cancel, at: Date.parse(AT), items: items(16) });
  });

  it('should refuse what is not a plain object as the schema does', () => {
    expect(failure(() => parseOrderEvent(null))).toBe('Invalid event: (root): expected an object (got null)');
    expect(failure(() => parseOrderEvent(undefined))).toBe('Invalid event: (root): expected an object (got nothing)');
    expect(failure(() => parseOrderEvent('seller.cancel'))).toBe(
      'Invalid event: (root): expected an object (got "seller.cancel")',
    );
  });
});
