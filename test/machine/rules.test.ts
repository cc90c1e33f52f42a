import { describe, expect, it } from 'vitest';
import { applyEvent, explain, nextDeadline, orderStatus } from '../../src/index.js';
import {
  autoCancelAt,
  buyerCancelUntil,
  labelledOrder,
  last,
  latestShipDate,
  minute,
  newOrder,
  run,
  unshippedOrder,
} from '../support/orders.js';

const official = 'Order cancellation request from Amazon customer Li Lei';
const officialZh = '亚马逊买家 李雷 的订单取消申请';

describe('R1 the buyer may cancel within 30 minutes of purchase', () => {
  it('should cancel the whole order when the buyer cancels inside the window, without counting it', () => {
    const { snapshot, verdict, effects } = last(newOrder(), { type: 'buyer.cancel', at: minute(29) });
    expect(verdict.accepted).toBe(true);
    expect(orderStatus(snapshot)).toBe('canceled');
    expect(snapshot.context.cancellations).toEqual([
      {
        by: 'buyer',
        reason: 'BuyerSelfCanceled',
        at: minute(29),
        items: [
          { orderItemId: 'A', quantity: 2 },
          { orderItemId: 'B', quantity: 1 },
        ],
        countsAgainstRate: false,
      },
    ]);
    expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
  });
});

describe('R2 after the window the buyer can only request a cancellation', () => {
  it('should refuse a buyer cancel at 30:00 with guidance to request one, and find the order unshipped', () => {
    const { snapshot, verdict, effects } = last(newOrder(), { type: 'buyer.cancel', at: buyerCancelUntil });
    expect(verdict).toMatchObject({ accepted: false, code: 'BUYER_WINDOW_CLOSED' });
    expect(verdict.message.en).toContain('Request Cancellation');
    expect(verdict.message['zh-CN']).toContain('申请取消');
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context.cancellations).toEqual([]);
    expect(effects).toEqual([]);
  });
});

describe('R3 the seller can neither cancel nor ship while the order is pending', () => {
  it.each([
    { type: 'seller.cancel', at: minute(10), reason: 'NoInventory' },
    { type: 'seller.generateLabel', at: minute(10) },
    { type: 'seller.confirmShipment', at: minute(10) },
  ] as const)('should refuse $type inside the window with ORDER_PENDING', (event) => {
    const before = newOrder();
    const { snapshot, verdict } = last(before, event);
    expect(verdict.code).toBe('ORDER_PENDING');
    expect(snapshot.context).toEqual(before.context);
    expect(orderStatus(snapshot)).toBe('buyer-cancellable');
  });

  it('should let a seller cancel at minute 40 find the order unshipped and cancel it', () => {
    const { snapshot, verdict } = last(newOrder(), { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' });
    expect(verdict.accepted).toBe(true);
    expect(orderStatus(snapshot)).toBe('canceled');
  });
});

describe('R4 an official request cancelled as BuyerCanceled does not count', () => {
  it.each([
    ['the order flag', { source: 'order-flag' as const }],
    ['the English subject', { source: 'message' as const, subject: official }],
    ['the Chinese subject', { source: 'message' as const, subject: officialZh }],
    ['a reply to the standard subject', { source: 'message' as const, subject: `RE: ${official}` }],
  ])('should not count a BuyerCanceled cancel after a request through %s', (_, request) => {
    const steps = run(
      unshippedOrder(),
      { type: 'buyer.requestCancellation', at: minute(45), ...request },
      { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled' },
    );
    expect(steps[0]!.verdict.accepted).toBe(true);
    expect(steps[0]!.effects).toEqual([
      { type: 'seller.notified', orderId: '113-1234567-1234567', at: minute(45), topic: 'cancellationRequested' },
    ]);
    const { snapshot, verdict, effects } = steps[1]!;
    expect(verdict.accepted).toBe(true);
    expect(snapshot.context.cancellations[0]).toMatchObject({
      by: 'seller',
      reason: 'BuyerCanceled',
      countsAgainstRate: false,
    });
    expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
  });

  it('should count a BuyerCanceled cancel of an item the request did not name', () => {
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'buyer.requestCancellation', at: minute(45), source: 'order-flag', orderItemIds: ['A'] },
      { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled', items: [{ orderItemId: 'B', quantity: 1 }] },
    );
    expect(snapshot.context.cancellations[0]!.countsAgainstRate).toBe(true);
  });

  it('should count a whole-order BuyerCanceled cancel when only some of its items were requested', () => {
    // Every cancelled item must carry the request: one requested item among others does not protect the cancel.
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'buyer.requestCancellation', at: minute(45), source: 'order-flag', orderItemIds: ['A'] },
      { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled' },
    );
    expect(snapshot.context.cancellations[0]).toMatchObject({ reason: 'BuyerCanceled', countsAgainstRate: true });
    expect(snapshot.context.cancellations[0]!.items.map((item) => item.orderItemId)).toEqual(['A', 'B']);
  });

  it.each([`Question about ${official}`, `Not an ${official}`, `关于${officialZh}`])(
    'should not take %j, which contains the standard subject without starting with it, for an official request',
    (subject) => {
      const { snapshot, effects } = last(
        unshippedOrder(),
        { type: 'buyer.requestCancellation', at: minute(45), source: 'message', subject },
        { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled' },
      );
      expect(snapshot.context.requests[0]).toMatchObject({ official: false, subject });
      expect(snapshot.context.cancellations[0]!.countsAgainstRate).toBe(true);
      expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
    },
  );

  it('should not count a partial BuyerCanceled cancel of the requested item', () => {
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'buyer.requestCancellation', at: minute(45), source: 'order-flag', orderItemIds: ['A'] },
      { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled', items: [{ orderItemId: 'A', quantity: 1 }] },
    );
    expect(snapshot.context.cancellations[0]!.countsAgainstRate).toBe(false);
  });
});

describe('R5 a request without the standard subject is answered with guidance and does not protect the metric', () => {
  it('should record the request as not official and emit guidance to ask for an official request', () => {
    const { snapshot, effects } = last(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(45),
      source: 'message',
      subject: 'please cancel',
    });
    expect(snapshot.context.requests).toEqual([
      { at: minute(45), source: 'message', official: false, orderItemIds: ['A', 'B'], subject: 'please cancel' },
    ]);
    expect(snapshot.context.items.every((item) => !item.buyerRequestedCancel)).toBe(true);
    expect(effects).toHaveLength(1);
    expect(effects[0]).toMatchObject({ type: 'buyer.guidance' });
    expect(JSON.stringify(effects[0])).toContain('Request Cancellation');
  });

  it('should count a BuyerCanceled cancel after a message-only request, or with no request at all', () => {
    const afterMessage = last(
      unshippedOrder(),
      { type: 'buyer.requestCancellation', at: minute(45), source: 'message', subject: 'Cancel please' },
      { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled' },
    );
    const withoutRequest = last(unshippedOrder(), { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled' });
    expect(afterMessage.snapshot.context.cancellations[0]!.countsAgainstRate).toBe(true);
    expect(withoutRequest.snapshot.context.cancellations[0]!.countsAgainstRate).toBe(true);
  });
});

describe('R6 any other seller reason counts', () => {
  it.each(['NoInventory', 'ShippingAddressUndeliverable', 'PricingError', 'WeatherDelay'] as const)(
    'should count a %s cancellation',
    (reason) => {
      const { snapshot, verdict } = last(
        unshippedOrder(),
        { type: 'buyer.requestCancellation', at: minute(45), source: 'order-flag' },
        { type: 'seller.cancel', at: minute(50), reason },
      );
      expect(verdict.message.en).toContain('counts against');
      expect(snapshot.context.cancellations[0]).toMatchObject({ by: 'seller', reason, countsAgainstRate: true });
    },
  );
});

describe('R7 with a shipping label nobody can cancel', () => {
  it('should refuse a seller cancel with LABEL_GENERATED and the return-for-refund guidance', () => {
    const before = labelledOrder();
    const { snapshot, verdict } = last(before, { type: 'seller.cancel', at: minute(41), reason: 'BuyerCanceled' });
    expect(verdict.code).toBe('LABEL_GENERATED');
    expect(verdict.message.en).toContain('return the item for a refund');
    expect(verdict.message['zh-CN']).toContain('通过退货来获得退款');
    expect(snapshot.context).toEqual(before.context);
  });

  it('should answer a buyer request with LABEL_GENERATED and not record it', () => {
    const before = labelledOrder();
    const { snapshot, verdict } = last(before, {
      type: 'buyer.requestCancellation',
      at: minute(41),
      source: 'order-flag',
    });
    expect(verdict.code).toBe('LABEL_GENERATED');
    expect(snapshot.context).toEqual(before.context);
  });
});

describe('R8 voiding a label does not reopen cancellation', () => {
  it('should accept voiding the label, stay label-generated and still refuse a cancel', () => {
    const steps = run(
      labelledOrder(),
      { type: 'seller.voidLabel', at: minute(41) },
      { type: 'seller.cancel', at: minute(42), reason: 'NoInventory' },
    );
    expect(steps[0]!.verdict.accepted).toBe(true);
    expect(orderStatus(steps[0]!.snapshot)).toBe('label-generated');
    expect(steps[1]!.verdict.code).toBe('LABEL_GENERATED');
  });

  it('should refuse voiding a label that does not exist with NO_LABEL', () => {
    expect(last(unshippedOrder(), { type: 'seller.voidLabel', at: minute(41) }).verdict.code).toBe('NO_LABEL');
  });
});

describe('R9 once shipped, cancellation is refused: the buyer returns it for a refund', () => {
  it.each([
    ['from unshipped', unshippedOrder],
    ['from label-generated', labelledOrder],
  ] as const)('should ship %s and then refuse cancels and requests with ALREADY_SHIPPED', (_, start) => {
    const shipped = last(start(), { type: 'seller.confirmShipment', at: minute(90) });
    expect(orderStatus(shipped.snapshot)).toBe('shipped');
    expect(shipped.effects).toEqual([
      { type: 'buyer.notified', orderId: '113-1234567-1234567', at: minute(90), topic: 'orderShipped' },
    ]);
    const request = applyEvent(shipped.snapshot, {
      type: 'buyer.requestCancellation',
      at: minute(95),
      source: 'order-flag',
    });
    const cancel = applyEvent(shipped.snapshot, { type: 'seller.cancel', at: minute(96), reason: 'BuyerCanceled' });
    expect(request.verdict.code).toBe('ALREADY_SHIPPED');
    expect(cancel.verdict.code).toBe('ALREADY_SHIPPED');
    expect(cancel.verdict.message.en).toContain('already on its way');
    expect(cancel.snapshot).toBe(shipped.snapshot);
  });

  it('should not call a shipment confirmed at the latest ship date late, and call one a millisecond later late', () => {
    const onTime = last(unshippedOrder(), { type: 'seller.confirmShipment', at: latestShipDate });
    expect(onTime.snapshot.context).toMatchObject({ shippedAt: latestShipDate, shippedLate: false });
    expect(onTime.verdict.message.en).not.toContain('Late Shipment Rate');
    const late = last(unshippedOrder(), { type: 'seller.confirmShipment', at: latestShipDate + 1 });
    expect(late.snapshot.context).toMatchObject({ shippedAt: latestShipDate + 1, shippedLate: true });
    expect(late.verdict.message.en).toContain('Late Shipment Rate');
  });

  it('should record a shipment confirmed after the latest ship date as late', () => {
    const late = last(unshippedOrder(), { type: 'seller.confirmShipment', at: autoCancelAt - 1 });
    expect(late.snapshot.context).toMatchObject({ shippedAt: autoCancelAt - 1, shippedLate: true });
    expect(late.verdict.message.en).toContain('Late Shipment Rate');
  });
});

describe('R10 a cancellation cannot be undone', () => {
  it('should refuse every later event with ALREADY_CANCELED and the invite-a-new-order guidance', () => {
    const canceled = last(unshippedOrder(), { type: 'seller.cancel', at: minute(60), reason: 'PricingError' }).snapshot;
    for (const event of [
      { type: 'seller.confirmShipment', at: minute(61) },
      { type: 'seller.generateLabel', at: minute(61) },
      { type: 'buyer.cancel', at: minute(61) },
    ] as const) {
      const { snapshot, verdict } = applyEvent(canceled, event);
      expect(verdict.code).toBe('ALREADY_CANCELED');
      expect(verdict.message.en).toContain('place a new order');
      expect(verdict.message['zh-CN']).toContain('重新下单');
      expect(snapshot).toBe(canceled);
    }
  });
});

describe('R11 partial cancellation', () => {
  it('should reduce the remaining quantity of the named item and keep the order unshipped', () => {
    const { snapshot, effects } = last(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(60),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 1 }],
    });
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context.items.map((item) => item.quantityCanceled)).toEqual([1, 0]);
    expect(effects).toContainEqual({
      type: 'items.refunded',
      orderId: '113-1234567-1234567',
      at: minute(60),
      items: [{ orderItemId: 'A', quantity: 1 }],
    });
    expect(effects).toContainEqual({
      type: 'buyer.notified',
      orderId: '113-1234567-1234567',
      at: minute(60),
      topic: 'itemsCanceled',
    });
  });

  it('should cancel the order when what remains of every item is cancelled', () => {
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'seller.cancel', at: minute(60), reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1 }] },
      {
        type: 'seller.cancel',
        at: minute(61),
        reason: 'NoInventory',
        items: [
          { orderItemId: 'A', quantity: 1 },
          { orderItemId: 'B', quantity: 1 },
        ],
      },
    );
    expect(orderStatus(snapshot)).toBe('canceled');
    expect(snapshot.context.cancellations).toHaveLength(2);
  });

  it('should refuse cancelling more than remains and change nothing', () => {
    const before = last(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(60),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 1 }],
    }).snapshot;
    const { snapshot, verdict } = last(before, {
      type: 'seller.cancel',
      at: minute(61),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 2 }],
    });
    expect(verdict).toMatchObject({ accepted: false, code: 'QUANTITY_EXCEEDS_REMAINING' });
    expect(verdict.message.en).toBe('Cannot cancel 2 of item A: only 1 remain.');
    expect(snapshot.context).toEqual(before.context);
  });

  it('should refuse an unknown item with UNKNOWN_ITEM naming it, and change nothing', () => {
    const before = unshippedOrder();
    const { snapshot, verdict } = last(before, {
      type: 'seller.cancel',
      at: minute(61),
      reason: 'NoInventory',
      items: [{ orderItemId: 'Z', quantity: 1 }],
    });
    expect(verdict.code).toBe('UNKNOWN_ITEM');
    expect(verdict.message.en).toContain('Z');
    expect(snapshot.context).toEqual(before.context);
    expect(
      last(before, { type: 'buyer.requestCancellation', at: minute(61), source: 'order-flag', orderItemIds: ['Z'] })
        .verdict.code,
    ).toBe('UNKNOWN_ITEM');
  });
});

describe('R12 auto-cancel seven days after the latest ship date', () => {
  it.each([
    ['unshipped', unshippedOrder],
    ['label-generated', labelledOrder],
  ] as const)('should auto-cancel a %s order at autoCancelAt, counting it', (_, start) => {
    const before = last(start(), { type: 'clock.tick', at: autoCancelAt - 1 });
    expect(orderStatus(before.snapshot)).not.toBe('auto-canceled');
    const { snapshot, effects } = last(before.snapshot, { type: 'clock.tick', at: autoCancelAt });
    expect(orderStatus(snapshot)).toBe('auto-canceled');
    expect(snapshot.context.cancellations).toEqual([
      {
        by: 'system',
        reason: 'NotShippedInTime',
        at: autoCancelAt,
        items: [
          { orderItemId: 'A', quantity: 2 },
          { orderItemId: 'B', quantity: 1 },
        ],
        countsAgainstRate: true,
      },
    ]);
    expect(effects).toContainEqual({
      type: 'seller.notified',
      orderId: '113-1234567-1234567',
      at: autoCancelAt,
      topic: 'autoCanceled',
    });
  });

  it('should auto-cancel only what remains after a partial cancellation', () => {
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'seller.cancel', at: minute(60), reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'clock.tick', at: autoCancelAt + 5 },
    );
    expect(snapshot.context.cancellations[1]!.items).toEqual([
      { orderItemId: 'A', quantity: 1 },
      { orderItemId: 'B', quantity: 1 },
    ]);
    expect(snapshot.context.items.map((item) => item.quantityCanceled)).toEqual([2, 1]);
  });

  it('should not auto-cancel a shipped order', () => {
    const shipped = last(unshippedOrder(), { type: 'seller.confirmShipment', at: minute(90) }).snapshot;
    expect(orderStatus(applyEvent(shipped, { type: 'clock.tick', at: autoCancelAt + 1 }).snapshot)).toBe('shipped');
  });
});

describe('R13 Fulfilled-by-Amazon orders', () => {
  it('should refuse a seller cancel with FULFILLED_BY_AMAZON', () => {
    const before = unshippedOrder({ fulfillmentChannel: 'AFN' });
    const { snapshot, verdict } = last(before, { type: 'seller.cancel', at: minute(60), reason: 'BuyerCanceled' });
    expect(verdict.code).toBe('FULFILLED_BY_AMAZON');
    expect(snapshot.context).toEqual(before.context);
  });

  it('should never auto-cancel an AFN order: Amazon ships it, so it has no auto-cancel deadline', () => {
    const before = unshippedOrder({ fulfillmentChannel: 'AFN' });
    expect(nextDeadline(before)).toBeNull();
    const { snapshot, verdict } = last(before, { type: 'clock.tick', at: autoCancelAt + 400 * 86_400_000 });
    expect(verdict.accepted).toBe(true);
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context.cancellations).toEqual([]);
  });

  it.each([
    { type: 'seller.generateLabel', at: minute(60) },
    { type: 'seller.confirmShipment', at: minute(60) },
  ] as const)('should refuse $type on an AFN order with FULFILLED_BY_AMAZON and change nothing', (event) => {
    const before = unshippedOrder({ fulfillmentChannel: 'AFN' });
    const { snapshot, verdict } = last(before, event);
    expect(verdict.code).toBe('FULFILLED_BY_AMAZON');
    expect(verdict.message.en).toMatch(/cannot buy a label or confirm its shipment/);
    expect(snapshot.context).toEqual(before.context);
  });
});

describe('R14 events before the order was placed', () => {
  it.each([
    { type: 'buyer.cancel', at: minute(-1) },
    { type: 'clock.tick', at: minute(-1) },
    { type: 'buyer.requestCancellation', at: minute(-1), source: 'order-flag' },
  ] as const)('should refuse $type before placedAt with EVENT_BEFORE_PLACEMENT and change nothing', (event) => {
    const before = newOrder();
    const { snapshot, verdict } = last(before, event);
    expect(verdict.code).toBe('EVENT_BEFORE_PLACEMENT');
    expect(snapshot.context).toEqual(before.context);
    expect(snapshot.value).toEqual(before.value);
  });
});

describe('R15 the seller cancels an order that is not shipped, in Manage Orders or by an Order Cancellation feed', () => {
  it('should accept the same seller.cancel whichever way the seller sends it, until shipment is confirmed', () => {
    // Manage Orders and the feed both become one seller.cancel; the feed itself is the Amazon adapters' job.
    const cancel = { type: 'seller.cancel', at: minute(60), reason: 'BuyerCanceled' } as const;
    expect(last(unshippedOrder(), cancel).verdict.accepted).toBe(true);
    const shipped = last(unshippedOrder(), { type: 'seller.confirmShipment', at: minute(50) }).snapshot;
    expect(applyEvent(shipped, cancel).verdict.code).toBe('ALREADY_SHIPPED');
  });
});

describe('R16 after a cancellation, the buyer and the seller each receive an e-mail', () => {
  it.each([
    [
      'a seller cancel of the whole order',
      unshippedOrder,
      { type: 'seller.cancel', at: minute(60), reason: 'BuyerCanceled' },
      'orderCanceled',
      'orderCanceled',
    ],
    [
      'a buyer cancel inside the window',
      newOrder,
      { type: 'buyer.cancel', at: minute(5) },
      'orderCanceled',
      'orderCanceled',
    ],
    ['an auto-cancel', unshippedOrder, { type: 'clock.tick', at: autoCancelAt }, 'orderCanceled', 'autoCanceled'],
  ] as const)(
    'should notify the buyer and the seller once each after %s',
    (_, start, event, buyerTopic, sellerTopic) => {
      const { effects } = last(start(), event);
      expect(effects.filter((effect) => effect.type === 'buyer.notified' || effect.type === 'seller.notified')).toEqual(
        [
          { type: 'buyer.notified', orderId: '113-1234567-1234567', at: event.at, topic: buyerTopic },
          { type: 'seller.notified', orderId: '113-1234567-1234567', at: event.at, topic: sellerTopic },
        ],
      );
    },
  );

  it('should tell the buyer which items were cancelled in a partial cancel, and the seller too', () => {
    const { effects } = last(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(60),
      reason: 'NoInventory',
      items: [{ orderItemId: 'B', quantity: 1 }],
    });
    expect(effects).toEqual([
      { type: 'buyer.notified', orderId: '113-1234567-1234567', at: minute(60), topic: 'itemsCanceled' },
      { type: 'seller.notified', orderId: '113-1234567-1234567', at: minute(60), topic: 'itemsCanceled' },
      {
        type: 'items.refunded',
        orderId: '113-1234567-1234567',
        at: minute(60),
        items: [{ orderItemId: 'B', quantity: 1 }],
      },
    ]);
  });
});

describe('R17 replies may change the subject line of an official request', () => {
  it.each([
    `RE: ${official}`,
    `Re: Fwd: ${official}`,
    `RE: RE: RE: ${official}`,
    `FW:${official}`,
    `回复：${officialZh}`,
    `回复: 转发：${officialZh}`,
  ])('should still take %j for an official request, so a BuyerCanceled cancel does not count', (subject) => {
    const { snapshot } = last(
      unshippedOrder(),
      { type: 'buyer.requestCancellation', at: minute(45), source: 'message', subject },
      { type: 'seller.cancel', at: minute(50), reason: 'BuyerCanceled' },
    );
    expect(snapshot.context.requests[0]).toMatchObject({ official: true });
    expect(snapshot.context.cancellations[0]!.countsAgainstRate).toBe(false);
  });
});

describe('explain', () => {
  it('should give the same verdict as applyEvent without changing the snapshot', () => {
    const before = labelledOrder();
    const event = { type: 'seller.cancel', at: minute(41), reason: 'NoInventory' } as const;
    expect(explain(before, event)).toEqual(applyEvent(before, event).verdict);
    expect(explain(before, { type: 'seller.confirmShipment', at: autoCancelAt }).code).toBe('ALREADY_CANCELED');
  });
});
