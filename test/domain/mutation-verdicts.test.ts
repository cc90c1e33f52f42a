import { describe, expect, it } from 'vitest';
import { isOfficialRequest } from '../../src/domain/index.js';
import { applyEvent, createOrder, explain, type OrderEventInput } from '../../src/index.js';

// Verdict wording carries the numbers the seller needs (quantities, reason, instants); the property suite
// compares codes only, so these pin the parameters filled into each message.
const MINUTE = 60_000;
const placedAt = Date.UTC(2026, 10, 26, 10, 0);
const input = {
  orderId: '111-2222222-3333333',
  placedAt,
  latestShipDate: placedAt + 2 * 86_400_000,
  items: [
    { orderItemId: 'A', quantity: 3 },
    { orderItemId: 'B', quantity: 2 },
  ],
};
const unshipped = () =>
  applyEvent(createOrder(input).snapshot, { type: 'clock.tick', at: placedAt + 31 * MINUTE }).snapshot;

describe('verdict messages', () => {
  it('should name both instants when an event comes before placement', () => {
    const verdict = explain(createOrder(input).snapshot, { type: 'clock.tick', at: placedAt - 1 });
    expect(verdict.code).toBe('EVENT_BEFORE_PLACEMENT');
    expect(verdict.message.en).toContain('2026-11-26 09:59:59 GMT+0');
    expect(verdict.message.en).toContain('2026-11-26 10:00:00 GMT+0');
    expect(verdict.message['zh-CN']).toContain('2026-11-26 10:00:00 GMT+0');
  });

  it('should say how many units were cancelled, for which reason, and whether it counts', () => {
    const counted = applyEvent(unshipped(), {
      type: 'seller.cancel',
      at: placedAt + 40 * MINUTE,
      reason: 'NoInventory',
      items: [
        { orderItemId: 'A', quantity: 2 },
        { orderItemId: 'B', quantity: 1 },
      ],
    });
    expect(counted.verdict.message.en).toMatch(
      /^Cancelled 3 unit\(s\) with the reason No Inventory; this counts against/,
    );
    const requested = applyEvent(unshipped(), {
      type: 'buyer.requestCancellation',
      at: placedAt + 35 * MINUTE,
      source: 'order-flag',
    }).snapshot;
    const notCounted = applyEvent(requested, {
      type: 'seller.cancel',
      at: placedAt + 40 * MINUTE,
      reason: 'BuyerCanceled',
    });
    expect(notCounted.verdict.message.en).toMatch(
      /^Cancelled 5 unit\(s\) with the reason Buyer Canceled on the buyer's official request/,
    );
  });

  it('should tell when time passed and where the order stands', () => {
    const verdict = explain(createOrder(input).snapshot, { type: 'clock.tick', at: placedAt + 45 * MINUTE });
    expect(verdict.message.en).toBe('Time advanced to 2026-11-26 10:45:00 GMT+0; the order is unshipped.');
  });

  it('should name the item and the quantities of a refused partial cancel', () => {
    const verdict = explain(unshipped(), {
      type: 'seller.cancel',
      at: placedAt + 40 * MINUTE,
      reason: 'NoInventory',
      items: [{ orderItemId: 'B', quantity: 4 }],
    });
    expect(verdict.code).toBe('QUANTITY_EXCEEDS_REMAINING');
    expect(verdict.message.en).toBe('Cannot cancel 4 of item B: only 2 remain.');
    expect(
      explain(unshipped(), {
        type: 'seller.cancel',
        at: placedAt + 40 * MINUTE,
        reason: 'NoInventory',
        items: [{ orderItemId: 'Q', quantity: 1 }],
      }).message.en,
    ).toBe('Item Q is not part of order 111-2222222-3333333.');
  });

  it('should read official subjects behind reply prefixes and surrounding spaces only', () => {
    expect(
      isOfficialRequest({ source: 'message', subject: '  Order cancellation request from Amazon customer Li' }),
    ).toBe(true);
    expect(
      isOfficialRequest({ source: 'message', subject: 'RE : Order cancellation request from Amazon customer Li' }),
    ).toBe(true);
    expect(isOfficialRequest({ source: 'message', subject: ' 回复：RE:亚马逊买家王芳的订单取消申请' })).toBe(true);
    expect(isOfficialRequest({ source: 'message', subject: '关于亚马逊买家王芳的订单取消申请' })).toBe(false);
    expect(
      isOfficialRequest({ source: 'message', subject: 'Fore: Order cancellation request from Amazon customer Li' }),
    ).toBe(false);
    expect(isOfficialRequest({ source: 'message' })).toBe(false);
    expect(isOfficialRequest({ source: 'order-flag' })).toBe(true);
  });
});

describe('input and event errors', () => {
  it('should say what was being parsed and name the exact field of a refinement', () => {
    expect(() => createOrder({ ...input, latestShipDate: placedAt - 1 })).toThrow(
      /^Invalid order input: latestShipDate: latestShipDate must not be before placedAt \(got \d+\)$/,
    );
    expect(() =>
      createOrder({
        ...input,
        items: [
          { orderItemId: 'A', quantity: 1 },
          { orderItemId: 'A', quantity: 2 },
        ],
      }),
    ).toThrow(/^Invalid order input: items\.1\.orderItemId: orderItemId "A" is listed twice \(got "A"\)$/);
    const event = {
      type: 'seller.cancel',
      at: placedAt + 40 * MINUTE,
      reason: 'NoInventory',
      items: [
        { orderItemId: 'B', quantity: 1 },
        { orderItemId: 'B', quantity: 1 },
      ],
    } satisfies OrderEventInput;
    expect(() => applyEvent(unshipped(), event)).toThrow(
      /^Invalid event: items\.1\.orderItemId: orderItemId "B" is listed twice \(got "B"\)$/,
    );
  });
});
