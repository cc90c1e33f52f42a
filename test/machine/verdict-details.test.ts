import { describe, expect, it } from 'vitest';
import { countsAgainstRate, isRepeatedRequest, requestedItemIds } from '../../src/domain/index.js';
import { applyEvent, judge, type OrderContext, type OrderSnapshot } from '../../src/index.js';
import { DAY, last, latestShipDate, minute, newOrder, run, unshippedOrder } from '../support/orders.js';

// The details a ruling carries beyond its code: the parameters its words are filled with, the items a request
// covers, and which cancellations count. The property suite compares codes only, so these pin the rest.
const official = 'Order cancellation request from Amazon customer Li Lei';
const contextOf = (snapshot: OrderSnapshot) => snapshot.context as OrderContext;
const threeItems = {
  items: [
    { orderItemId: 'A', quantity: 1 },
    { orderItemId: 'B', quantity: 1 },
    { orderItemId: 'C', quantity: 1 },
  ],
};

describe('the auto-cancel delay a message mentions', () => {
  it('should name the order’s own five-day delay when a five-day order was cancelled automatically', () => {
    const order = newOrder({ policy: { autoCancelAfterMs: 5 * DAY } });
    const { verdict } = last(
      order,
      { type: 'clock.tick', at: latestShipDate + 5 * DAY },
      { type: 'seller.cancel', at: latestShipDate + 5 * DAY + 1, reason: 'NoInventory' },
    );
    expect(verdict.code).toBe('ALREADY_CANCELED');
    expect(verdict.message.en).toContain('(5 days after the latest ship date)');
  });

  it('should give an order Amazon ships, which is never cancelled automatically, no auto-cancel delay', () => {
    const order = contextOf(newOrder({ fulfillmentChannel: 'AFN' }));
    expect(order.autoCancelAt).toBeNull();
    const ruling = judge(order, 'unshipped', { type: 'clock.tick', at: minute(40) });
    expect(ruling.params).not.toHaveProperty('autoCancelMs');
  });
});

describe('the shape of a refusal', () => {
  it('should carry no variant at all when the refusal has no situation-specific wording', () => {
    const ruling = judge(contextOf(newOrder()), 'label-generated', {
      type: 'seller.cancel',
      at: minute(40),
      reason: 'NoInventory',
    });
    expect(ruling).toMatchObject({ accepted: false, code: 'LABEL_GENERATED' });
    expect(Object.keys(ruling)).not.toContain('variant');
  });

  it('should name the unknown item and the order when a request names an item the order lacks', () => {
    const { verdict } = last(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(45),
      source: 'order-flag',
      orderItemIds: ['Z'],
    });
    expect(verdict.code).toBe('UNKNOWN_ITEM');
    expect(verdict.message.en).toBe('Item Z is not part of order 113-1234567-1234567.');
  });
});

describe('which cancellations count against the Cancellation Rate', () => {
  const items = [{ orderItemId: 'A', quantity: 1 }];

  it('should not count a cancellation of an order Amazon ships, whoever made it', () => {
    const afn = contextOf(newOrder({ fulfillmentChannel: 'AFN' }));
    expect(countsAgainstRate(afn, 'seller', 'NoInventory', items)).toBe(false);
    expect(countsAgainstRate(afn, 'system', 'NotShippedInTime', items)).toBe(false);
  });

  it('should count an automatic cancellation even when it names BuyerCanceled and no item', () => {
    expect(countsAgainstRate(contextOf(unshippedOrder()), 'system', 'BuyerCanceled', [])).toBe(true);
  });

  it('should not count a cancellation made by an unknown party, whatever its reason', () => {
    const order = contextOf(unshippedOrder());
    expect(countsAgainstRate(order, 'unknown', 'NoInventory', items)).toBe(false);
    expect(countsAgainstRate(order, 'unknown', 'ShippingAddressUndeliverable', items)).toBe(false);
  });
});

describe('the buyer’s own cancel', () => {
  it('should be accepted as the buyer’s cancel inside the window, naming the window', () => {
    const ruling = judge(contextOf(newOrder()), 'buyer-cancellable', { type: 'buyer.cancel', at: minute(10) });
    expect(ruling).toMatchObject({ accepted: true, outcome: 'buyerCanceled' });
    const { verdict } = last(newOrder(), { type: 'buyer.cancel', at: minute(10) });
    expect(verdict.message.en).toContain('within the 30 minutes after purchase');
  });
});

describe('the items a buyer’s request covers', () => {
  it('should list the named items sorted and once each, whatever order the buyer named them in', () => {
    const event = {
      type: 'buyer.requestCancellation' as const,
      at: minute(45),
      source: 'order-flag' as const,
      orderItemIds: ['C', 'A', 'C'],
    };
    const order = contextOf(applyEvent(newOrder(threeItems), { type: 'clock.tick', at: minute(31) }).snapshot);
    expect(requestedItemIds(order, event)).toEqual(['A', 'C']);
    expect(judge(order, 'unshipped', event)).toMatchObject({
      accepted: true,
      outcome: 'officialRequest',
      params: { items: 'A, C', scope: 'some' },
    });
  });

  it('should list every item sorted when the request names none, even if the order lists them unsorted', () => {
    const order = contextOf(
      unshippedOrder({
        items: [
          { orderItemId: 'Z', quantity: 1 },
          { orderItemId: 'A', quantity: 1 },
        ],
      }),
    );
    const event = { type: 'buyer.requestCancellation', at: minute(45), source: 'order-flag' } as const;
    expect(requestedItemIds(order, event)).toEqual(['A', 'Z']);
    const ruling = judge(order, 'unshipped', event);
    expect(ruling).toMatchObject({ accepted: true, params: { items: 'A, Z', scope: 'all' } });
    const { verdict } = last(
      unshippedOrder({
        items: [
          { orderItemId: 'Z', quantity: 1 },
          { orderItemId: 'A', quantity: 1 },
        ],
      }),
      event,
    );
    expect(verdict.message.en).toContain('items A, Z');
  });

  it('should call a request for every item by name a request for all of them', () => {
    const order = contextOf(unshippedOrder());
    const ruling = judge(order, 'unshipped', {
      type: 'buyer.requestCancellation',
      at: minute(45),
      source: 'order-flag',
      orderItemIds: ['B', 'A'],
    });
    expect(ruling).toMatchObject({ params: { items: 'A, B', scope: 'all' } });
  });

  it('should answer a request that is not official as a non-standard one', () => {
    const ruling = judge(contextOf(unshippedOrder()), 'unshipped', {
      type: 'buyer.requestCancellation',
      at: minute(45),
      source: 'message',
      subject: 'please cancel',
    });
    expect(ruling).toMatchObject({ accepted: true, outcome: 'nonStandardRequest' });
  });
});

describe('a repeated buyer request', () => {
  const flag = { type: 'buyer.requestCancellation', at: minute(45), source: 'order-flag' } as const;

  it('should say the same request is already on record, and record it once', () => {
    const steps = run(unshippedOrder(), flag, { ...flag, at: minute(46) });
    const again = steps.at(-1)!;
    expect(contextOf(again.snapshot).requests).toHaveLength(1);
    expect(again.verdict.message.en).toContain('already on record');
    expect(judge(contextOf(steps[0]!.snapshot), 'unshipped', { ...flag, at: minute(46) })).toMatchObject({
      outcome: 'requestAlreadyRecorded',
      params: { items: 'A, B', scope: 'all' },
    });
  });

  it('should record an official message after the order flag as a request of its own', () => {
    const order = contextOf(last(unshippedOrder(), flag).snapshot);
    const message = {
      type: 'buyer.requestCancellation',
      at: minute(46),
      source: 'message',
      subject: official,
    } as const;
    expect(isRepeatedRequest(order, message)).toBe(false);
    expect(judge(order, 'unshipped', message)).toMatchObject({ outcome: 'officialRequest' });
  });

  it('should record an official message after a non-standard one for the same items', () => {
    const first = {
      type: 'buyer.requestCancellation',
      at: minute(45),
      source: 'message',
      subject: 'cancel pls',
    } as const;
    const order = contextOf(last(unshippedOrder(), first).snapshot);
    const second = { ...first, at: minute(46), subject: official };
    expect(isRepeatedRequest(order, second)).toBe(false);
    expect(judge(order, 'unshipped', second)).toMatchObject({ outcome: 'officialRequest' });
  });

  it('should record a request for other items of the same size as a new request', () => {
    const unshipped = applyEvent(newOrder(threeItems), { type: 'clock.tick', at: minute(31) }).snapshot;
    const first = { ...flag, orderItemIds: ['A', 'B'] };
    const order = contextOf(last(unshipped, first).snapshot);
    expect(isRepeatedRequest(order, { ...first, at: minute(46), orderItemIds: ['A', 'C'] })).toBe(false);
    expect(isRepeatedRequest(order, { ...first, at: minute(46), orderItemIds: ['C', 'B'] })).toBe(false);
    expect(isRepeatedRequest(order, { ...first, at: minute(46), orderItemIds: ['B', 'A'] })).toBe(true);
  });

  it('should record a request for one other item as a new request', () => {
    const first = { ...flag, orderItemIds: ['A'] };
    const order = contextOf(last(unshippedOrder(), first).snapshot);
    expect(isRepeatedRequest(order, { ...first, at: minute(46), orderItemIds: ['B'] })).toBe(false);
  });
});

describe('judging the same event object twice', () => {
  const cancel = { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' } as const;
  const ship = { type: 'seller.confirmShipment', at: minute(40) } as const;

  it('should judge it afresh on another order in the same status', () => {
    const mfn = contextOf(unshippedOrder());
    const afn = contextOf(unshippedOrder({ fulfillmentChannel: 'AFN' }));
    expect(judge(mfn, 'unshipped', cancel).accepted).toBe(true);
    expect(judge(afn, 'unshipped', cancel)).toMatchObject({ accepted: false, code: 'FULFILLED_BY_AMAZON' });
    expect(judge(mfn, 'unshipped', ship).accepted).toBe(true);
    expect(judge(afn, 'unshipped', ship)).toMatchObject({ accepted: false, code: 'FULFILLED_BY_AMAZON' });
  });

  it('should judge it afresh on the same order in another status', () => {
    const order = contextOf(unshippedOrder());
    expect(judge(order, 'unshipped', cancel).accepted).toBe(true);
    expect(judge(order, 'label-generated', cancel)).toMatchObject({ accepted: false, code: 'LABEL_GENERATED' });
    expect(judge(order, 'unshipped', ship).accepted).toBe(true);
    expect(judge(order, 'shipped', ship)).toMatchObject({ accepted: false, code: 'ALREADY_SHIPPED' });
  });

  it('should give the same answer when asked twice about the same order, status and event', () => {
    const order = contextOf(unshippedOrder());
    expect(judge(order, 'unshipped', cancel)).toEqual(judge(order, 'unshipped', cancel));
  });
});
