import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  applyEvent,
  createOrderActor,
  nextDeadline,
  orderStatus,
  restoreOrder,
  serializeOrder,
  type OrderEvent,
} from '../../src/index.js';
import { spApiStatus } from '../../src/amazon/index.js';
import {
  autoCancelAt,
  DAY,
  labelledOrder,
  last,
  latestShipDate,
  minute,
  newOrder,
  orderInput,
  placedAt,
  run,
  unshippedOrder,
} from '../support/orders.js';

// Issue 19: what Amazon's own data says about partial shipments, Pending and Unshipped, and unknown ship dates.
// Items: A × 2, B × 1.

describe('partial shipments: shipments are per item and quantity', () => {
  it('should keep an order open while some units are unshipped, and say PartiallyShipped', () => {
    const { snapshot, verdict, effects } = last(unshippedOrder(), {
      type: 'seller.confirmShipment',
      at: minute(60),
      items: [{ orderItemId: 'A', quantity: 2 }],
    });
    expect(verdict.accepted).toBe(true);
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context.items.map((item) => [item.orderItemId, item.quantityShipped])).toEqual([
      ['A', 2],
      ['B', 0],
    ]);
    expect(snapshot.context.shippedAt).toBe(minute(60));
    expect(spApiStatus(snapshot)).toEqual({ v0: 'PartiallyShipped', v2026: 'PARTIALLY_SHIPPED' });
    // Amazon mails the buyer for every confirmed shipment.
    expect(effects).toEqual([
      { type: 'buyer.notified', orderId: '113-1234567-1234567', at: minute(60), topic: 'orderShipped' },
    ]);
  });

  it('should let the open units be cancelled, labelled and shipped as before, and end shipped when nothing is open', () => {
    const [, cancel, label, ship] = run(
      unshippedOrder(),
      { type: 'seller.confirmShipment', at: minute(60), items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'seller.cancel', at: minute(61), reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'seller.generateLabel', at: minute(62) },
      { type: 'seller.confirmShipment', at: minute(63) },
    );
    expect(cancel!.verdict.accepted).toBe(true);
    expect(orderStatus(label!.snapshot)).toBe('label-generated');
    expect(orderStatus(ship!.snapshot)).toBe('shipped');
    expect(
      ship!.snapshot.context.items.map((item) => [item.quantity, item.quantityCanceled, item.quantityShipped]),
    ).toEqual([
      [2, 1, 1],
      [1, 0, 1],
    ]);
    expect(spApiStatus(ship!.snapshot)).toEqual({ v0: 'Shipped', v2026: 'SHIPPED' });
  });

  it('should refuse to cancel or ship more than is open, naming the item', () => {
    const shipped = last(unshippedOrder(), {
      type: 'seller.confirmShipment',
      at: minute(60),
      items: [{ orderItemId: 'A', quantity: 2 }],
    }).snapshot;
    const cancel = applyEvent(shipped, {
      type: 'seller.cancel',
      at: minute(61),
      reason: 'NoInventory',
      items: [{ orderItemId: 'A', quantity: 1 }],
    });
    expect(cancel.verdict).toMatchObject({ accepted: false, code: 'QUANTITY_EXCEEDS_REMAINING' });
    const ship = applyEvent(shipped, {
      type: 'seller.confirmShipment',
      at: minute(61),
      items: [{ orderItemId: 'B', quantity: 2 }],
    });
    expect(ship.verdict).toMatchObject({ accepted: false, code: 'QUANTITY_EXCEEDS_REMAINING' });
    expect(ship.verdict.message.en).toBe('Cannot ship 2 of item B: only 1 are neither shipped nor cancelled.');
    expect(
      applyEvent(shipped, {
        type: 'seller.confirmShipment',
        at: minute(61),
        items: [{ orderItemId: 'Z', quantity: 1 }],
      }).verdict.code,
    ).toBe('UNKNOWN_ITEM');
  });

  it('should return the open units to unshipped after a package shipped on a label, so they can be cancelled', () => {
    const { snapshot } = last(labelledOrder(), {
      type: 'seller.confirmShipment',
      at: minute(60),
      items: [{ orderItemId: 'B', quantity: 1 }],
    });
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context.labelGeneratedAt).toBeNull();
    expect(
      applyEvent(snapshot, { type: 'seller.cancel', at: minute(61), reason: 'NoInventory' }).verdict.accepted,
    ).toBe(true);
  });

  it('should auto-cancel only the open units of a partially shipped order, which then ends shipped', () => {
    const partial = last(unshippedOrder(), {
      type: 'seller.confirmShipment',
      at: minute(60),
      items: [{ orderItemId: 'A', quantity: 1 }],
    }).snapshot;
    expect(nextDeadline(partial)).toBe(autoCancelAt);
    const { snapshot, effects } = applyEvent(partial, { type: 'clock.tick', at: autoCancelAt });
    expect(orderStatus(snapshot)).toBe('shipped');
    expect(snapshot.context.cancellations).toEqual([
      {
        by: 'system',
        reason: 'NotShippedInTime',
        at: autoCancelAt,
        items: [
          { orderItemId: 'A', quantity: 1 },
          { orderItemId: 'B', quantity: 1 },
        ],
        countsAgainstRate: true,
      },
    ]);
    expect(effects.map((effect) => effect.type)).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
  });

  it("should ship up to Amazon's reported totals: a pull reporting the same totals again ships nothing more", () => {
    // Amazon's own getOrderItems example: item 1 shipped 1 of 1, item 2 shipped 0 of 2, on a PartiallyShipped order.
    const fact: OrderEvent = {
      type: 'marketplace.orderShipped',
      at: minute(60),
      items: [{ orderItemId: 'A', quantity: 1 }],
    };
    const [first, again] = run(unshippedOrder(), fact, { ...fact, at: minute(70) });
    expect(orderStatus(first!.snapshot)).toBe('unshipped');
    expect(first!.snapshot.context.items[0]!.quantityShipped).toBe(1);
    expect(again!.snapshot.context.items[0]!.quantityShipped).toBe(1);
    const cancel = applyEvent(again!.snapshot, {
      type: 'seller.cancel',
      at: minute(71),
      reason: 'NoInventory',
      items: [{ orderItemId: 'B', quantity: 1 }],
    });
    expect(cancel.verdict.accepted).toBe(true);
  });

  it('should call a partially shipped order late when any of its confirmations came after the latest ship date', () => {
    const [onTime, late] = run(
      unshippedOrder(),
      { type: 'seller.confirmShipment', at: latestShipDate, items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'seller.confirmShipment', at: latestShipDate + 1 },
    );
    expect(onTime!.snapshot.context.shippedLate).toBe(false);
    expect(late!.snapshot.context).toMatchObject({ shippedAt: latestShipDate, shippedLate: true });
  });

  it('should read an order stored before partial shipments existed (machine version 2) as shipping every unit it had not cancelled', () => {
    const shipped = last(
      unshippedOrder(),
      { type: 'seller.cancel', at: minute(40), reason: 'NoInventory', items: [{ orderItemId: 'A', quantity: 1 }] },
      { type: 'seller.confirmShipment', at: minute(50) },
    ).snapshot;
    const stored = JSON.parse(serializeOrder(shipped));
    stored.machineVersion = 2;
    for (const item of stored.context.items) delete item.quantityShipped;
    const restored = restoreOrder(JSON.stringify(stored));
    expect(restored.context.items.map((item) => item.quantityShipped)).toEqual([1, 1]);
    expect(orderStatus(restored)).toBe('shipped');
  });
});

describe("Pending, Unshipped and the buyer's 30 minutes are two facts", () => {
  it('should let the seller ship and cancel at once an order Amazon reports Unshipped inside the window (TEST_CASE_200)', () => {
    const [ready, ship] = run(
      newOrder(),
      { type: 'marketplace.statusReported', at: placedAt + 2_000, status: 'unshipped' },
      { type: 'seller.confirmShipment', at: minute(5) },
    );
    expect(orderStatus(ready!.snapshot)).toBe('unshipped');
    expect(ship!.verdict.accepted).toBe(true);
    expect(ship!.snapshot.context.shippedLate).toBe(false);
    const cancel = applyEvent(ready!.snapshot, { type: 'seller.cancel', at: minute(5), reason: 'NoInventory' });
    expect(cancel.verdict.accepted).toBe(true);
  });

  it('should still let the buyer cancel inside the window an order Amazon already reports Unshipped, and not after it', () => {
    const ready = last(newOrder(), { type: 'marketplace.statusReported', at: minute(1), status: 'unshipped' }).snapshot;
    const inside = applyEvent(ready, { type: 'buyer.cancel', at: minute(29) });
    expect(inside.verdict.accepted).toBe(true);
    expect(inside.snapshot.context.cancellations[0]).toMatchObject({ by: 'buyer', countsAgainstRate: false });
    expect(applyEvent(ready, { type: 'buyer.cancel', at: minute(30) }).verdict.code).toBe('BUYER_WINDOW_CLOSED');
  });

  it('should ship nothing and cancel nothing while Amazon reports the order Pending, however late, and wait for its word', () => {
    const pending = last(newOrder(), { type: 'marketplace.statusReported', at: minute(5), status: 'pending' }).snapshot;
    const threeHours = minute(180);
    for (const event of [
      { type: 'seller.confirmShipment', at: threeHours },
      { type: 'seller.cancel', at: threeHours, reason: 'NoInventory' },
      { type: 'seller.generateLabel', at: threeHours },
    ] as const) {
      const { verdict } = applyEvent(pending, event);
      expect(verdict).toMatchObject({ accepted: false, code: 'ORDER_PENDING' });
      expect(verdict.message.en).toContain('Amazon reports the order as Pending');
    }
    expect(orderStatus(applyEvent(pending, { type: 'clock.tick', at: threeHours }).snapshot)).toBe('buyer-cancellable');
    expect(nextDeadline(pending)).toBeNull();
    expect(
      orderStatus(last(pending, { type: 'marketplace.statusReported', at: threeHours, status: 'unshipped' }).snapshot),
    ).toBe('unshipped');
  });

  it('should hold an order the window had freed once Amazon reports it still Pending', () => {
    const { snapshot } = last(unshippedOrder(), {
      type: 'marketplace.statusReported',
      at: minute(180),
      status: 'pending',
    });
    expect(orderStatus(snapshot)).toBe('buyer-cancellable');
    expect(applyEvent(snapshot, { type: 'seller.confirmShipment', at: minute(181) }).verdict.code).toBe(
      'ORDER_PENDING',
    );
  });

  it('should keep the default without any marketplace fact: the first 30 minutes are Pending', () => {
    expect(applyEvent(newOrder(), { type: 'seller.confirmShipment', at: minute(5) }).verdict.code).toBe(
      'ORDER_PENDING',
    );
    expect(orderStatus(applyEvent(newOrder(), { type: 'clock.tick', at: minute(30) }).snapshot)).toBe('unshipped');
  });

  it('should apply at once an auto-cancel that fell due while Amazon held the order as Pending, when it lets it go', () => {
    const pending = last(unshippedOrder(), {
      type: 'marketplace.statusReported',
      at: minute(60),
      status: 'pending',
    }).snapshot;
    const { snapshot } = applyEvent(pending, {
      type: 'marketplace.statusReported',
      at: autoCancelAt + DAY,
      status: 'unshipped',
    });
    expect(orderStatus(snapshot)).toBe('auto-canceled');
    expect(snapshot.context.cancellations[0]).toMatchObject({ by: 'system', at: autoCancelAt });
  });
});

describe('a live actor when Amazon lets go of a Pending order after its auto-cancel instant', () => {
  it('should auto-cancel at once, whether it runs on or is restored (FC_SEED model-based, FC_NUM_RUNS=3000)', () => {
    const clock = new SimulatedClock();
    clock.set(placedAt);
    const actor = createOrderActor(orderInput(), { clock });
    actor.send({ type: 'marketplace.statusReported', at: placedAt, status: 'pending' });
    clock.set(autoCancelAt + DAY);
    // Amazon's word, dated at purchase, arrives after the deadline has passed on the actor's clock.
    const stored = serializeOrder(actor.getSnapshot());
    actor.send({ type: 'marketplace.orderShipped', at: placedAt, items: [{ orderItemId: 'A', quantity: 1 }] });
    expect(orderStatus(actor.getSnapshot())).toBe('shipped');
    expect(actor.getSnapshot().context.cancellations[0]).toMatchObject({ by: 'system', at: autoCancelAt });
    const restored = createOrderActor(restoreOrder(stored), { clock });
    restored.send({ type: 'marketplace.orderShipped', at: placedAt, items: [{ orderItemId: 'A', quantity: 1 }] });
    expect(restored.getSnapshot().context).toEqual(actor.getSnapshot().context);
    actor.stop();
    restored.stop();
  });
});

describe('an order whose latest ship date Amazon has not given yet', () => {
  it('should start with no auto-cancel deadline, say so, and never auto-cancel by time alone', () => {
    const order = newOrder({ latestShipDate: undefined });
    expect(order.context).toMatchObject({ latestShipDate: null, autoCancelAt: null });
    const unshipped = applyEvent(order, { type: 'clock.tick', at: minute(30) }).snapshot;
    expect(nextDeadline(unshipped)).toBeNull();
    expect(orderStatus(applyEvent(unshipped, { type: 'clock.tick', at: minute(30) + 400 * DAY }).snapshot)).toBe(
      'unshipped',
    );
    // A shipment without a latest ship date cannot be late.
    expect(applyEvent(unshipped, { type: 'seller.confirmShipment', at: minute(31) }).snapshot.context.shippedLate).toBe(
      false,
    );
  });

  it('should take the latest ship date from a later report and count the auto-cancel from it', () => {
    const unshipped = applyEvent(newOrder({ latestShipDate: undefined }), {
      type: 'clock.tick',
      at: minute(30),
    }).snapshot;
    const { snapshot } = applyEvent(unshipped, {
      type: 'marketplace.statusReported',
      at: minute(40),
      status: 'unshipped',
      latestShipDate,
    });
    expect(snapshot.context).toMatchObject({ latestShipDate, autoCancelAt });
    expect(nextDeadline(snapshot)).toBe(autoCancelAt);
    expect(restoreOrder(serializeOrder(snapshot)).context.autoCancelAt).toBe(autoCancelAt);
  });
});

describe("Amazon's reports as they really arrive (review of issue 19)", () => {
  it('should let an older Pending report that arrives after an Unshipped one change nothing', () => {
    const [unshipped, stale] = run(
      newOrder(),
      { type: 'marketplace.statusReported', at: minute(120), status: 'unshipped' },
      { type: 'marketplace.statusReported', at: minute(5), status: 'pending' },
    );
    expect(stale!.verdict.accepted).toBe(true);
    expect(stale!.snapshot.context).toEqual({ ...unshipped!.snapshot.context });
    expect(applyEvent(stale!.snapshot, { type: 'seller.confirmShipment', at: minute(121) }).verdict.accepted).toBe(
      true,
    );
  });

  it('should follow the newest latest ship date Amazon reports, and ignore one before the purchase', () => {
    const later = latestShipDate + 2 * DAY;
    const pending = last(newOrder(), { type: 'marketplace.statusReported', at: minute(1), status: 'pending' }).snapshot;
    const { snapshot } = applyEvent(pending, {
      type: 'marketplace.statusReported',
      at: autoCancelAt + DAY,
      status: 'unshipped',
      latestShipDate: later,
    });
    expect(orderStatus(snapshot)).toBe('unshipped');
    expect(snapshot.context).toMatchObject({ latestShipDate: later, autoCancelAt: later + 7 * DAY });
    const before = applyEvent(snapshot, {
      type: 'marketplace.statusReported',
      at: autoCancelAt + DAY + 1,
      status: 'unshipped',
      latestShipDate: placedAt - DAY,
    }).snapshot;
    expect(before.context.latestShipDate).toBe(later);
    expect(restoreOrder(serializeOrder(before)).context.latestShipDate).toBe(later);
  });

  it('should accept a readiness report on an order that has ended, without a conflict', () => {
    const shipped = last(unshippedOrder(), { type: 'seller.confirmShipment', at: minute(300) }).snapshot;
    const { verdict, snapshot } = applyEvent(shipped, {
      type: 'marketplace.statusReported',
      at: minute(240),
      status: 'unshipped',
    });
    expect(verdict).toMatchObject({ accepted: true });
    expect(verdict.conflict).toBeUndefined();
    expect(snapshot).toBe(shipped);
  });

  it("should agree with Amazon's report of the auto-cancel of a partly shipped order, and tell the buyer items were cancelled", () => {
    const partial = last(unshippedOrder(), {
      type: 'seller.confirmShipment',
      at: minute(60),
      items: [{ orderItemId: 'A', quantity: 1 }],
    }).snapshot;
    const { verdict, effects } = applyEvent(partial, {
      type: 'marketplace.orderCanceled',
      at: autoCancelAt + 1,
      cancelledBy: 'amazon',
    });
    expect(verdict).toMatchObject({ accepted: true });
    expect(effects.filter((effect) => effect.type === 'buyer.notified')).toEqual([
      { type: 'buyer.notified', orderId: '113-1234567-1234567', at: autoCancelAt, topic: 'itemsCanceled' },
    ]);
  });

  it('should count neither an auto-cancel nor a seller cancel Amazon reports while it holds the order as Pending', () => {
    const pending = last(newOrder(), { type: 'marketplace.statusReported', at: minute(1), status: 'pending' }).snapshot;
    const amazon = applyEvent(pending, {
      type: 'marketplace.orderCanceled',
      at: autoCancelAt + DAY,
      cancelledBy: 'amazon',
    }).snapshot;
    expect(amazon.context.cancellations[0]).toMatchObject({
      by: 'system',
      reason: 'MarketplaceCanceled',
      countsAgainstRate: false,
    });
    const seller = applyEvent(pending, {
      type: 'marketplace.orderCanceled',
      at: minute(60),
      cancelledBy: 'seller',
      reason: 'NoInventory',
    }).snapshot;
    expect(seller.context.cancellations[0]).toMatchObject({ by: 'seller', countsAgainstRate: false });
  });
});
