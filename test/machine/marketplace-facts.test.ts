import { describe, expect, it } from 'vitest';
import { applyEvent, judge, orderStatus, type OrderEventInput, type OrderSnapshot } from '../../src/index.js';
import { marketplaceCancellation } from '../../src/domain/index.js';
import {
  autoCancelAt,
  DAY,
  labelledOrder,
  latestShipDate,
  MINUTE,
  minute,
  newOrder,
  placedAt,
  unshippedOrder,
} from '../support/orders.js';

/** An instant as the en messages write it for an order at UTC+0 (the orders here have no offset). */
const shown = (at: number) => `${new Date(at).toISOString().slice(0, 19).replace('T', ' ')} GMT+0`;

const shippedOrder = () => applyEvent(unshippedOrder(), { type: 'seller.confirmShipment', at: minute(60) }).snapshot;
/** Shipped, with item B cancelled by the seller before the rest shipped. */
const partlyCanceledThenShipped = () =>
  applyEvent(
    applyEvent(unshippedOrder(), {
      type: 'seller.cancel',
      at: minute(40),
      reason: 'NoInventory',
      items: [{ orderItemId: 'B', quantity: 1 }],
    }).snapshot,
    { type: 'seller.confirmShipment', at: minute(60) },
  ).snapshot;
const canceledOrder = () =>
  applyEvent(unshippedOrder(), { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' }).snapshot;
const autoCanceledOrder = () => applyEvent(unshippedOrder(), { type: 'clock.tick', at: autoCancelAt }).snapshot;

type FactInput = Extract<
  OrderEventInput,
  { type: 'marketplace.orderCanceled' | 'marketplace.orderShipped' | 'marketplace.statusReported' }
>;
type FactWithoutTime = FactInput extends infer F ? (F extends unknown ? Omit<F, 'at'> : never) : never;

const facts = {
  'a buyer cancel': { type: 'marketplace.orderCanceled', cancelledBy: 'buyer' },
  'a seller cancel': { type: 'marketplace.orderCanceled', cancelledBy: 'seller', reason: 'NoInventory' },
  'an Amazon cancel': { type: 'marketplace.orderCanceled', cancelledBy: 'amazon' },
  'a cancel by nobody named': { type: 'marketplace.orderCanceled', cancelledBy: 'unknown' },
  'an Amazon cancel of a known item': {
    type: 'marketplace.orderCanceled',
    cancelledBy: 'amazon',
    items: [{ orderItemId: 'A', quantity: 1 }],
  },
  'an Amazon cancel of an unknown item': {
    type: 'marketplace.orderCanceled',
    cancelledBy: 'amazon',
    items: [{ orderItemId: 'Z', quantity: 1 }],
  },
  'an Amazon cancel of a known and an unknown item': {
    type: 'marketplace.orderCanceled',
    cancelledBy: 'amazon',
    items: [
      { orderItemId: 'A', quantity: 1 },
      { orderItemId: 'Z', quantity: 1 },
    ],
  },
  'a shipment': { type: 'marketplace.orderShipped' },
  'an Unshipped report': { type: 'marketplace.statusReported', status: 'unshipped' },
} satisfies Record<string, FactWithoutTime>;
type FactName = keyof typeof facts;

/** What the verdict says: agreed (`ok`), contradicted and applied over (`conflict`), or refused on an ended order. */
type Expected = 'ok' | 'conflict' | 'ALREADY_SHIPPED' | 'ALREADY_CANCELED';
const cancels = (expected: Expected) => ({
  'a buyer cancel': expected,
  'a seller cancel': expected,
  'an Amazon cancel': expected,
  'a cancel by nobody named': expected,
  'an Amazon cancel of a known item': expected,
  'an Amazon cancel of an unknown item': expected,
  'an Amazon cancel of a known and an unknown item': expected,
});

const table: Array<{ name: string; order: () => OrderSnapshot; expected: Record<FactName, Expected> }> = [
  {
    name: 'buyer-cancellable',
    order: () => newOrder(),
    expected: {
      ...cancels('ok'),
      'a seller cancel': 'conflict',
      'an Amazon cancel of an unknown item': 'conflict',
      'an Amazon cancel of a known and an unknown item': 'conflict',
      'a shipment': 'conflict',
      'an Unshipped report': 'ok',
    },
  },
  {
    name: 'unshipped',
    order: unshippedOrder,
    expected: {
      ...cancels('ok'),
      'an Amazon cancel of an unknown item': 'conflict',
      'an Amazon cancel of a known and an unknown item': 'conflict',
      'a shipment': 'ok',
      'an Unshipped report': 'ok',
    },
  },
  {
    name: 'label-generated',
    order: labelledOrder,
    expected: {
      ...cancels('ok'),
      'a buyer cancel': 'conflict',
      'a seller cancel': 'conflict',
      'an Amazon cancel of an unknown item': 'conflict',
      'an Amazon cancel of a known and an unknown item': 'conflict',
      'a shipment': 'ok',
      'an Unshipped report': 'ok',
    },
  },
  {
    name: 'shipped',
    order: shippedOrder,
    expected: { ...cancels('ALREADY_SHIPPED'), 'a shipment': 'ok', 'an Unshipped report': 'ok' },
  },
  {
    name: 'shipped, partly cancelled',
    order: partlyCanceledThenShipped,
    expected: { ...cancels('ok'), 'a shipment': 'ok', 'an Unshipped report': 'ok' },
  },
  {
    name: 'canceled',
    order: canceledOrder,
    expected: { ...cancels('ok'), 'a shipment': 'ALREADY_CANCELED', 'an Unshipped report': 'ok' },
  },
  {
    name: 'auto-canceled',
    order: autoCanceledOrder,
    expected: { ...cancels('ok'), 'a shipment': 'ALREADY_CANCELED', 'an Unshipped report': 'ok' },
  },
];

/** The en words of a fact the order agreed with. */
function agreedMessage(fact: FactWithoutTime, at: number): string {
  if (fact.type === 'marketplace.orderShipped')
    return `The marketplace reports that the order shipped at ${shown(at)}; the order follows it.`;
  if (fact.type === 'marketplace.statusReported')
    return `The marketplace reports the order as Unshipped at ${shown(at)}; the seller may ship and cancel it only while it is not pending.`;
  const party = {
    buyer: 'buyer',
    seller: 'seller',
    amazon: 'marketplace',
    unknown: 'party the marketplace did not name',
  };
  return `The marketplace reports that the order was cancelled by the ${party[fact.cancelledBy]} at ${shown(at)}; the order follows it.`;
}

describe('marketplace facts in every status: whether they contradict the local history, and what they say', () => {
  for (const { name, order, expected } of table) {
    for (const [factName, fact] of Object.entries(facts) as Array<[FactName, FactWithoutTime]>) {
      const outcome = expected[factName];
      const says =
        outcome === 'ok'
          ? 'agree and report it'
          : outcome === 'conflict'
            ? 'apply it over the local history and report the contradiction'
            : `refuse it as ${outcome}, flagged as a conflict`;
      it(`should ${says} when ${factName} arrives for a ${name} order`, () => {
        const before = order();
        expect(orderStatus(before)).toBe(name === 'shipped, partly cancelled' ? 'shipped' : name);
        const at = Math.max(before.context.clock, minute(20)) + MINUTE;
        const { verdict } = applyEvent(before, { ...fact, at } as OrderEventInput);
        const status = orderStatus(before);
        if (outcome === 'ok') {
          expect(verdict).toStrictEqual({ accepted: true, message: expect.any(Object) });
          expect(verdict.message.en).toBe(agreedMessage(fact, at));
        } else if (outcome === 'conflict') {
          expect(verdict).toStrictEqual({
            accepted: true,
            conflict: true,
            overrode: status,
            message: expect.any(Object),
          });
          expect(verdict.message.en).toBe(
            `The marketplace reports ${fact.type} at ${shown(at)}, which contradicts this order's history (it was ${status}${status === 'buyer-cancellable' ? ' (pending)' : ''}); the marketplace is right, so the report was applied over it. Check what your system did with the order.`,
          );
        } else {
          expect(verdict).toMatchObject({ accepted: false, code: outcome, conflict: true, overrode: status });
        }
      });
    }
  }

  it('should refuse a fact dated before the order was placed, naming both instants', () => {
    const at = placedAt - 5 * MINUTE;
    const { verdict } = applyEvent(newOrder(), { type: 'marketplace.orderShipped', at });
    expect(verdict).toMatchObject({ accepted: false, code: 'EVENT_BEFORE_PLACEMENT' });
    expect(verdict.message.en).toBe(
      `The event at ${shown(at)} happened before the order was placed at ${shown(placedAt)}, so it was refused.`,
    );
  });
});

describe("the record a marketplace's cancel makes", () => {
  const cancelAt = minute(50);
  const all = [
    { orderItemId: 'A', quantity: 2 },
    { orderItemId: 'B', quantity: 1 },
  ];
  const recorded = (snapshot: OrderSnapshot, fact: Omit<Extract<FactInput, { cancelledBy: unknown }>, 'at' | 'type'>) =>
    applyEvent(snapshot, {
      type: 'marketplace.orderCanceled',
      at: cancelAt,
      ...fact,
    }).snapshot.context.cancellations.at(-1);

  it('should record exactly who, why, when and what, and no note when the reason is the one recorded', () => {
    expect(recorded(unshippedOrder(), { cancelledBy: 'buyer' })).toStrictEqual({
      by: 'buyer',
      reason: 'BuyerSelfCanceled',
      at: cancelAt,
      source: 'marketplace',
      items: all,
      countsAgainstRate: false,
    });
    expect(recorded(unshippedOrder(), { cancelledBy: 'seller', reason: 'NoInventory' })).toStrictEqual({
      by: 'seller',
      reason: 'NoInventory',
      at: cancelAt,
      source: 'marketplace',
      items: all,
      countsAgainstRate: true,
    });
    expect(recorded(unshippedOrder(), { cancelledBy: 'amazon' })).toStrictEqual({
      by: 'system',
      reason: 'MarketplaceCanceled',
      at: cancelAt,
      source: 'marketplace',
      items: all,
      countsAgainstRate: false,
    });
    expect(recorded(unshippedOrder(), { cancelledBy: 'unknown' })).toStrictEqual({
      by: 'unknown',
      reason: 'MarketplaceCanceled',
      at: cancelAt,
      source: 'marketplace',
      items: all,
      countsAgainstRate: false,
    });
  });

  it("should keep the marketplace's own reason as a note when it is not the reason recorded", () => {
    expect(recorded(unshippedOrder(), { cancelledBy: 'seller', reason: 'Out of stock, sorry' })).toMatchObject({
      reason: 'MarketplaceCanceled',
      note: 'Out of stock, sorry',
    });
  });

  it('should not count an auto-cancel Amazon reports for an order Amazon fulfils', () => {
    expect(
      recorded(unshippedOrder({ fulfillmentChannel: 'AFN' }), { cancelledBy: 'amazon', reason: 'NotShippedInTime' }),
    ).toMatchObject({ by: 'system', reason: 'NotShippedInTime', countsAgainstRate: false });
  });

  it('should not count a not-shipped-in-time cancel when the marketplace does not say who cancelled', () => {
    expect(recorded(unshippedOrder(), { cancelledBy: 'unknown', reason: 'NotShippedInTime' })).toMatchObject({
      by: 'unknown',
      reason: 'NotShippedInTime',
      countsAgainstRate: false,
    });
    expect(recorded(unshippedOrder(), { cancelledBy: 'buyer', reason: 'NotShippedInTime' })).toMatchObject({
      by: 'buyer',
      countsAgainstRate: false,
    });
  });

  it('should take an Amazon cancel from the auto-cancel instant on as the auto-cancel, counted, and not before', () => {
    const order = unshippedOrder().context;
    expect(order.autoCancelAt).toBe(autoCancelAt);
    for (const at of [autoCancelAt, autoCancelAt + 1])
      expect(
        marketplaceCancellation(order, { type: 'marketplace.orderCanceled', at, cancelledBy: 'amazon' }),
      ).toMatchObject({ by: 'system', reason: 'NotShippedInTime', countsAgainstRate: true });
    expect(
      marketplaceCancellation(order, {
        type: 'marketplace.orderCanceled',
        at: autoCancelAt - 1,
        cancelledBy: 'amazon',
      }),
    ).toMatchObject({ by: 'system', reason: 'MarketplaceCanceled', countsAgainstRate: false });
  });
});

describe('the words of accepted seller actions', () => {
  it('should say a generated label ends cancellation', () => {
    const { verdict } = applyEvent(unshippedOrder(), { type: 'seller.generateLabel', at: minute(40) });
    expect(verdict.message.en).toBe('Shipping label generated: from now on the order can no longer be cancelled.');
  });

  it('should say voiding a label does not reopen cancellation', () => {
    const { verdict } = applyEvent(labelledOrder(), { type: 'seller.voidLabel', at: minute(45) });
    expect(verdict.message.en).toBe(
      'Shipping label voided; cancellation does not reopen: the order stays label-generated.',
    );
  });

  it('should confirm a shipment on time plainly and a late one with its consequence', () => {
    expect(applyEvent(unshippedOrder(), { type: 'seller.confirmShipment', at: minute(60) }).verdict.message.en).toBe(
      'Shipment confirmed.',
    );
    expect(
      applyEvent(unshippedOrder(), { type: 'seller.confirmShipment', at: latestShipDate + MINUTE }).verdict.message.en,
    ).toBe('Shipment confirmed after the latest ship date; it counts towards your Late Shipment Rate.');
  });

  it("should say a Buyer Canceled cancel on the buyer's official request does not count", () => {
    const requested = applyEvent(unshippedOrder(), {
      type: 'buyer.requestCancellation',
      at: minute(40),
      source: 'order-flag',
    }).snapshot;
    const { verdict } = applyEvent(requested, { type: 'seller.cancel', at: minute(41), reason: 'BuyerCanceled' });
    expect(verdict.message.en).toBe(
      "Cancelled 3 unit(s) with the reason Buyer Canceled on the buyer's official request; this does not count against your Cancellation Rate. Amazon emails you and the buyer.",
    );
  });
});

describe("the values a fact's ruling names", () => {
  const order = unshippedOrder().context;
  const at = minute(50);
  const common = { windowMs: 30 * MINUTE, offset: 0, autoCancelMs: 7 * DAY, at, status: 'unshipped' };

  it('should name Amazon as the party of a shipment and report no readiness', () => {
    expect(judge(order, 'unshipped', { type: 'marketplace.orderShipped', at })).toStrictEqual({
      accepted: true,
      outcome: 'marketplaceShipped',
      params: { ...common, by: 'amazon' },
    });
  });

  it('should name Amazon as the party of a readiness report and the readiness it reports', () => {
    expect(judge(order, 'unshipped', { type: 'marketplace.statusReported', at, status: 'pending' })).toStrictEqual({
      accepted: true,
      outcome: 'marketplaceStatus',
      params: { ...common, by: 'amazon', reported: 'pending' },
    });
  });

  it('should name who cancelled, as the marketplace says, on a cancel', () => {
    expect(judge(order, 'unshipped', { type: 'marketplace.orderCanceled', at, cancelledBy: 'buyer' })).toStrictEqual({
      accepted: true,
      outcome: 'marketplaceCanceled',
      params: { ...common, by: 'buyer' },
    });
  });
});
