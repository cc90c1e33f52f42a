import { describe, expect, it } from 'vitest';
import { MAX_INSTANT } from '../../src/domain/instant-format.js';
import { applyEvent, createOrder, explain } from '../../src/index.js';
import { autoCancelAt, labelledOrder, minute, orderInput, unshippedOrder } from '../support/orders.js';

describe('messages that fit the order', () => {
  it('should say 5 minutes, not 30, when the window is 5 minutes, in both languages', () => {
    const { snapshot } = createOrder(orderInput({ policy: { buyerCancelWindowMs: 5 * 60_000 } }));
    const { verdict } = applyEvent(snapshot, { type: 'buyer.cancel', at: minute(6) });
    expect(verdict.code).toBe('BUYER_WINDOW_CLOSED');
    expect(verdict.message.en).toContain('5 minutes');
    expect(verdict.message['zh-CN']).toContain('5 分钟');
    expect(`${verdict.message.en}${verdict.message['zh-CN']}`).not.toContain('30');
    expect(explain(snapshot, { type: 'seller.cancel', at: minute(1), reason: 'NoInventory' }).message.en).toContain(
      'first 5 minutes',
    );
  });

  it("should use the seed's Chinese names for reasons and states", () => {
    const counted = applyEvent(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(40),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 1 }],
    });
    expect(counted.verdict.message['zh-CN']).toContain('【无库存】');
    expect(counted.verdict.message['zh-CN']).not.toContain('NoInventory');
    const tick = applyEvent(unshippedOrder(), { type: 'clock.tick', at: minute(45) });
    expect(tick.verdict.message['zh-CN']).toContain('【未发货】');
    const requested = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'order-flag',
    }).snapshot;
    expect(
      applyEvent(requested, { type: 'seller.cancel', at: minute(41), reason: 'BuyerCanceled' }).verdict.message[
        'zh-CN'
      ],
    ).toContain('【买家取消】');
  });

  it("should show times in the offset of the order's placedAt, not UTC", () => {
    const { snapshot, verdict } = createOrder(orderInput({ placedAt: '2026-11-26T10:00:00+08:00' }));
    expect(verdict.message.en).toContain('2026-11-26 10:30:00 GMT+8');
    expect(explain(snapshot, { type: 'clock.tick', at: '2026-11-26T02:45:00Z' }).message['zh-CN']).toContain(
      '2026-11-26 10:45:00 GMT+8',
    );
  });

  it("should write an instant beyond a JavaScript Date's range as its epoch ms, in both languages", () => {
    const placedAt = MAX_INSTANT - 60_000;
    const { verdict } = createOrder(orderInput({ placedAt, latestShipDate: MAX_INSTANT }));
    const until = placedAt + 30 * 60_000;
    expect(verdict.message.en).toBe(`Order ${orderInput().orderId} placed; the buyer may cancel it until ${until} ms.`);
    expect(verdict.message['zh-CN']).toContain(`买家可在 ${until} ms 之前`);
  });

  it('should tell a later event that the order was cancelled automatically and that it counts', () => {
    const ended = applyEvent(labelledOrder(), { type: 'clock.tick', at: autoCancelAt }).snapshot;
    const { verdict } = applyEvent(ended, { type: 'seller.confirmShipment', at: autoCancelAt + 1 });
    expect(verdict.code).toBe('ALREADY_CANCELED');
    expect(verdict.message.en).toMatch(
      /cancelled this order automatically because its shipment was not confirmed in time \(7 days after the latest ship date\)/,
    );
    expect(verdict.message.en).toContain('counts against your Cancellation Rate');
    expect(verdict.message.en).not.toMatch(/if it was a mistake/i);
    expect(verdict.message['zh-CN']).toContain('自动取消');
  });

  it('should tell a buyer who cancels after the label that nobody can cancel now and the item may be returned', () => {
    const { verdict } = applyEvent(labelledOrder(), { type: 'buyer.cancel', at: minute(50) });
    expect(verdict.code).toBe('LABEL_GENERATED');
    expect(verdict.message.en).toMatch(/nobody can cancel the order now.*return the item/);
    expect(verdict.message['zh-CN']).toContain('任何人都无法取消订单');
  });

  it('should advise asking for an official request when BuyerCanceled has none', () => {
    const verdict = explain(unshippedOrder(), { type: 'seller.cancel', at: minute(40), reason: 'BuyerCanceled' });
    expect(verdict.accepted).toBe(true);
    expect(verdict.message.en).toMatch(
      /no official cancellation request covers items A, B.*ask the buyer to request cancellation first/i,
    );
    expect(verdict.message['zh-CN']).toContain('请先请买家申请取消');
  });

  it('should say which items a request covers, and which will count when the whole order is cancelled', () => {
    const request = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'order-flag',
      orderItemIds: ['A'],
    });
    expect(request.verdict.message.en).toContain('for items A:');
    expect(request.verdict.message['zh-CN']).toContain('商品 A');
    const whole = explain(request.snapshot, { type: 'seller.cancel', at: minute(41), reason: 'BuyerCanceled' });
    expect(whole.message.en).toMatch(/does not cover items B, so this cancellation counts/);
  });
});
