import { describe, expect, it } from 'vitest';
import { applyEvent, nextDeadline, orderStatus, type OrderEventInput } from '../../src/index.js';
import {
  autoCancelAt,
  buyerCancelUntil,
  labelledOrder,
  last,
  minute,
  newOrder,
  unshippedOrder,
} from '../support/orders.js';

describe('the buyer window boundary', () => {
  it('should accept a buyer cancel at 29:59.999', () => {
    expect(last(newOrder(), { type: 'buyer.cancel', at: buyerCancelUntil - 1 }).verdict.accepted).toBe(true);
  });

  it('should accept a buyer cancel at 29:59', () => {
    expect(last(newOrder(), { type: 'buyer.cancel', at: minute(29) + 59_000 }).verdict.accepted).toBe(true);
  });

  it('should refuse a buyer cancel at 30:00 and find the order unshipped', () => {
    const { snapshot, verdict } = last(newOrder(), { type: 'buyer.cancel', at: buyerCancelUntil });
    expect(verdict.code).toBe('BUYER_WINDOW_CLOSED');
    expect(orderStatus(snapshot)).toBe('unshipped');
  });

  it('should accept ISO-8601 times with an offset as the same instants', () => {
    const inside = last(newOrder(), { type: 'buyer.cancel', at: '2026-11-26T10:29:59.999+08:00' });
    const outside = last(newOrder(), { type: 'buyer.cancel', at: '2026-11-26T02:30:00Z' });
    expect(inside.verdict.accepted).toBe(true);
    expect(outside.verdict.code).toBe('BUYER_WINDOW_CLOSED');
  });
});

describe('the auto-cancel boundary', () => {
  it('should leave the order open at autoCancelAt - 1 ms and let it ship', () => {
    const { snapshot, verdict } = last(labelledOrder(), { type: 'seller.confirmShipment', at: autoCancelAt - 1 });
    expect(verdict.accepted).toBe(true);
    expect(orderStatus(snapshot)).toBe('shipped');
  });

  it('should find the order auto-canceled for any event at autoCancelAt', () => {
    for (const event of [
      { type: 'seller.confirmShipment', at: autoCancelAt },
      { type: 'seller.cancel', at: autoCancelAt, reason: 'NoInventory' },
      { type: 'buyer.requestCancellation', at: autoCancelAt, source: 'order-flag' },
    ] as const) {
      const { snapshot, verdict } = last(labelledOrder(), event);
      expect(verdict.code).toBe('ALREADY_CANCELED');
      expect(orderStatus(snapshot)).toBe('auto-canceled');
      expect(snapshot.context.cancellations).toHaveLength(1);
      expect(snapshot.context.cancellations[0]!.by).toBe('system');
    }
  });

  it('should apply both deadlines when the first event after purchase comes after autoCancelAt', () => {
    const { snapshot, verdict } = last(newOrder(), { type: 'buyer.cancel', at: autoCancelAt + 10 });
    expect(verdict.code).toBe('ALREADY_CANCELED');
    expect(orderStatus(snapshot)).toBe('auto-canceled');
    expect(snapshot.context.cancellations[0]!.at).toBe(autoCancelAt);
  });
});

describe('a refused event changes only what time alone would', () => {
  const refused: Array<[string, () => ReturnType<typeof newOrder>, OrderEventInput]> = [
    ['a late buyer cancel', newOrder, { type: 'buyer.cancel', at: minute(40) }],
    ['a cancel with a label', labelledOrder, { type: 'seller.cancel', at: minute(50), reason: 'NoInventory' }],
    [
      'a cancel after autoCancelAt',
      unshippedOrder,
      { type: 'seller.cancel', at: autoCancelAt + 1, reason: 'NoInventory' },
    ],
    [
      'a too-large partial cancel',
      unshippedOrder,
      { type: 'seller.cancel', at: minute(50), reason: 'NoInventory', items: [{ orderItemId: 'B', quantity: 2 }] },
    ],
  ];
  it.each(refused)('should leave the same snapshot and effects as a clock.tick for %s', (_, start, event) => {
    const before = start();
    const result = applyEvent(before, event);
    const tick = applyEvent(before, { type: 'clock.tick', at: event.at });
    expect(result.verdict.accepted).toBe(false);
    expect(result.snapshot.value).toEqual(tick.snapshot.value);
    expect(result.snapshot.context).toEqual(tick.snapshot.context);
    expect(result.effects).toEqual(tick.effects);
  });
});

describe('nextDeadline', () => {
  it('should be the end of the window, then autoCancelAt, then null', () => {
    expect(nextDeadline(newOrder())).toBe(buyerCancelUntil);
    expect(nextDeadline(unshippedOrder())).toBe(autoCancelAt);
    expect(nextDeadline(labelledOrder())).toBe(autoCancelAt);
    expect(
      nextDeadline(last(unshippedOrder(), { type: 'seller.confirmShipment', at: minute(60) }).snapshot),
    ).toBeNull();
  });

  it('should change nothing when ticked 1 ms before it and move the order when ticked at it', () => {
    const order = newOrder();
    const deadline = nextDeadline(order)!;
    expect(applyEvent(order, { type: 'clock.tick', at: deadline - 1 }).snapshot.value).toEqual(order.value);
    expect(orderStatus(applyEvent(order, { type: 'clock.tick', at: deadline }).snapshot)).toBe('unshipped');
  });

  it('should follow the policy: a 5-day auto-cancel moves autoCancelAt', () => {
    const order = unshippedOrder({ policy: { autoCancelAfterMs: 5 * 86_400_000 } });
    expect(nextDeadline(order)).toBe(autoCancelAt - 2 * 86_400_000);
  });
});
