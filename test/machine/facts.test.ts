import { describe, expect, it } from 'vitest';
import { applyEvent, orderStatus, restoreOrder, serializeOrder } from '../../src/index.js';
import { autoCancelAt, labelledOrder, last, minute, newOrder, unshippedOrder } from '../support/orders.js';

describe('marketplace facts: what Amazon reports has already happened', () => {
  it("should record a buyer's cancel reported by Amazon at its own instant, not counting it", () => {
    const { snapshot, verdict, effects } = last(newOrder(), {
      type: 'marketplace.orderCanceled',
      at: minute(10),
      cancelledBy: 'buyer',
    });
    expect(verdict).toMatchObject({ accepted: true });
    expect(verdict.conflict).toBeUndefined();
    expect(orderStatus(snapshot)).toBe('canceled');
    expect(snapshot.context.cancellations).toEqual([
      expect.objectContaining({
        by: 'buyer',
        reason: 'BuyerSelfCanceled',
        at: minute(10),
        source: 'marketplace',
        countsAgainstRate: false,
      }),
    ]);
    // Amazon tells the buyer itself; the machine asks nothing more of the world.
    expect(effects).toEqual([]);
  });

  it('should never refuse a fact for being late: it keeps its own instant and the clock stays where it was', () => {
    const ticked = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(600),
      source: 'message',
      subject: 'where is it?',
    }).snapshot;
    expect(ticked.context.clock).toBe(minute(600));
    const { snapshot, verdict } = applyEvent(ticked, { type: 'marketplace.orderShipped', at: minute(45) });
    expect(verdict.accepted).toBe(true);
    expect(verdict.late).toBeUndefined();
    expect(orderStatus(snapshot)).toBe('shipped');
    expect(snapshot.context.shippedAt).toBe(minute(45));
    expect(snapshot.context.clock).toBe(ticked.context.clock);
  });

  it('should apply a cancel that contradicts a label and report what it overrode', () => {
    const { snapshot, verdict } = applyEvent(labelledOrder(), {
      type: 'marketplace.orderCanceled',
      at: minute(50),
      cancelledBy: 'seller',
      reason: 'NoInventory',
    });
    expect(verdict).toMatchObject({ accepted: true, conflict: true, overrode: 'label-generated' });
    expect(verdict.message.en).toContain('contradicts');
    expect(orderStatus(snapshot)).toBe('canceled');
    expect(snapshot.context.cancellations[0]).toMatchObject({
      by: 'seller',
      reason: 'NoInventory',
      countsAgainstRate: true,
    });
  });

  it('should count an Amazon cancel only when it is the auto-cancel, and never an unpaid order', () => {
    const unpaid = last(newOrder(), {
      type: 'marketplace.orderCanceled',
      at: minute(5),
      cancelledBy: 'amazon',
      reason: 'PaymentFailed',
    });
    expect(unpaid.snapshot.context.cancellations[0]).toMatchObject({
      by: 'system',
      reason: 'MarketplaceCanceled',
      note: 'PaymentFailed',
      countsAgainstRate: false,
    });
    const auto = last(unshippedOrder(), {
      type: 'marketplace.orderCanceled',
      at: minute(60),
      cancelledBy: 'amazon',
      reason: 'NotShippedInTime',
    });
    expect(auto.snapshot.context.cancellations[0]).toMatchObject({
      by: 'system',
      reason: 'NotShippedInTime',
      countsAgainstRate: true,
    });
  });

  it('should not count a seller cancel reported with BuyerCanceled for items with an official request', () => {
    const requested = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'order-flag',
      orderItemIds: ['A'],
    }).snapshot;
    const { snapshot } = applyEvent(requested, {
      type: 'marketplace.orderCanceled',
      at: minute(41),
      cancelledBy: 'seller',
      reason: 'BuyerCanceled',
      items: [{ orderItemId: 'A', quantity: 2 }],
    });
    expect(snapshot.context.cancellations[0]).toMatchObject({
      countsAgainstRate: false,
      items: [{ orderItemId: 'A', quantity: 2 }],
    });
    expect(orderStatus(snapshot)).toBe('unshipped');
  });

  it('should ship an order Amazon fulfils when Amazon reports the shipment, never late', () => {
    const afn = unshippedOrder({ fulfillmentChannel: 'AFN' });
    const { snapshot } = applyEvent(afn, { type: 'marketplace.orderShipped', at: autoCancelAt + 86_400_000 });
    expect(orderStatus(snapshot)).toBe('shipped');
    expect(snapshot.context.shippedLate).toBe(false);
  });

  it('should report, not apply, a shipment for an order that has already ended as cancelled', () => {
    const ended = applyEvent(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(40),
      reason: 'NoInventory',
    }).snapshot;
    const { snapshot, verdict } = applyEvent(ended, { type: 'marketplace.orderShipped', at: minute(50) });
    expect(verdict).toMatchObject({ accepted: false, code: 'ALREADY_CANCELED', conflict: true, overrode: 'canceled' });
    expect(verdict.message.en).toContain('reconcile');
    expect(snapshot).toBe(ended);
    expect(
      applyEvent(ended, { type: 'marketplace.orderCanceled', at: minute(50), cancelledBy: 'seller' }).verdict,
    ).toMatchObject({ accepted: true });
  });

  it('should let time come first: a cancel reported after the auto-cancel finds the order auto-cancelled', () => {
    const { snapshot, verdict } = applyEvent(unshippedOrder(), {
      type: 'marketplace.orderCanceled',
      at: autoCancelAt + 1,
      cancelledBy: 'amazon',
    });
    expect(verdict.accepted).toBe(true);
    expect(orderStatus(snapshot)).toBe('auto-canceled');
  });

  it('should apply a fact once by its event id, and keep it through a restore', () => {
    const fact = {
      type: 'marketplace.orderCanceled',
      at: minute(40),
      cancelledBy: 'seller',
      items: [{ orderItemId: 'B', quantity: 1 }],
      eventId: 'amzn:113:canceled:B',
    } as const;
    const once = applyEvent(unshippedOrder(), { ...fact, items: [...fact.items] }).snapshot;
    const again = applyEvent(restoreOrder(serializeOrder(once)), { ...fact, items: [...fact.items] });
    expect(again.verdict.duplicate).toBe(true);
    expect(again.snapshot.context.cancellations).toHaveLength(1);
  });
});
