import { describe, expect, it } from 'vitest';
import { applyEvent, createOrder, InvalidInputError, resolvePolicy } from '../../src/index.js';
import { minute, orderInput, unshippedOrder } from '../support/orders.js';

describe('a bad order input', () => {
  it.each([
    ['a missing orderId', { orderId: undefined }, /orderId.*got nothing/],
    ['a malformed placedAt', { placedAt: '2026-13-40 25:00' }, /placedAt.*2026-13-40 25:00/],
    ['a date without an offset', { placedAt: '2026-11-26T10:00:00' }, /placedAt/],
    ['a negative quantity', { items: [{ orderItemId: 'A', quantity: -1 }] }, /items\.0\.quantity.*-1/],
    ['a fractional quantity', { items: [{ orderItemId: 'A', quantity: 1.5 }] }, /items\.0\.quantity.*1\.5/],
    ['no items', { items: [] }, /items/],
    [
      'a duplicated item',
      {
        items: [
          { orderItemId: 'A', quantity: 1 },
          { orderItemId: 'A', quantity: 1 },
        ],
      },
      /items\.1\.orderItemId.*listed twice/,
    ],
    ['a latest ship date before purchase', { latestShipDate: 0 }, /latestShipDate must not be before placedAt/],
    ['an unknown channel', { fulfillmentChannel: 'FBM' }, /fulfillmentChannel.*FBM/],
    ['an unknown field', { colour: 'red' }, /colour/],
    ['a zero policy window', { policy: { buyerCancelWindowMs: 0 } }, /buyerCancelWindowMs.*0/],
  ])('should throw InvalidInputError naming the field for %s', (_, patch, message) => {
    const input = { ...orderInput(), ...patch } as never;
    expect(() => createOrder(input)).toThrow(InvalidInputError);
    expect(() => createOrder(input)).toThrow(message);
  });

  it('should refuse a policy whose auto-cancel delay is not longer than the window', () => {
    expect(() => resolvePolicy(undefined, { buyerCancelWindowMs: 10, autoCancelAfterMs: 10 })).toThrow(
      /autoCancelAfterMs must be longer/,
    );
  });
});

describe('a bad event', () => {
  const before = unshippedOrder();
  it.each([
    ['a missing at', { type: 'clock.tick' }, /at/],
    ['an unknown event type', { type: 'seller.refund', at: minute(40) }, /type.*seller\.refund/],
    ['a malformed date', { type: 'buyer.cancel', at: 'tomorrow' }, /at.*tomorrow/],
    [
      'a negative quantity',
      { type: 'seller.cancel', at: minute(40), reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: -2 }] },
      /items\.0\.quantity.*-2/,
    ],
    ['an unknown reason', { type: 'seller.cancel', at: minute(40), reason: 'Bored' }, /reason.*Bored/],
    [
      'an unknown request source',
      { type: 'buyer.requestCancellation', at: minute(40), source: 'phone' },
      /source.*phone/,
    ],
    ['not an object', 42, /got 42/],
  ])('should throw naming the field for %s and leave the order unchanged', (_, event, message) => {
    const context = structuredClone(before.context);
    expect(() => applyEvent(before, event as never)).toThrow(InvalidInputError);
    expect(() => applyEvent(before, event as never)).toThrow(message);
    expect(before.context).toEqual(context);
  });

  it('should refuse an unknown item with a verdict naming it and leave the order unchanged', () => {
    const { snapshot, verdict } = applyEvent(before, {
      type: 'seller.cancel',
      at: minute(40),
      reason: 'NoInventory',
      items: [{ orderItemId: 'NOPE', quantity: 1 }],
    });
    expect(verdict).toMatchObject({ accepted: false, code: 'UNKNOWN_ITEM' });
    expect(verdict.message.en).toContain('NOPE');
    expect(snapshot.context).toEqual(before.context);
  });
});

describe('InvalidInputError.nested', () => {
  it('should put field paths under the prefix and a root issue at the prefix itself', () => {
    const error = new InvalidInputError('event', [
      { path: 'at', message: 'bad (got 1)' },
      { path: '(root)', message: 'not an object (got 7)' },
      { path: '', message: 'whole' },
    ]);
    const nested = error.nested('events.2', 'recorded order');
    expect(nested.message).toBe(
      'Invalid recorded order: events.2.at: bad (got 1); events.2: not an object (got 7); events.2: whole',
    );
    expect(nested.subject).toBe('recorded order');
  });
});
