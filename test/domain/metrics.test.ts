import { describe, expect, it } from 'vitest';
import { createOrder, InvalidInputError, type OrderEventInput } from '../../src/index.js';
import { sellerMetrics } from '../../src/metrics/index.js';
import { noInventory, order } from '../support/metric-orders.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
/** The instant every figure below is for. */
const NOW = Date.parse('2026-12-10T00:00:00Z');

const ship = (at: number): OrderEventInput => ({ type: 'seller.confirmShipment', at });

describe('sellerMetrics: Cancellation Rate', () => {
  const placed = (n: string, at: number, ...events: OrderEventInput[]) => order(n, { placedAt: at }, ...events);
  const orders = [
    // 1: placed exactly 7 days before now (the window includes its start); seller cancel for no inventory: counts.
    placed('1', NOW - 7 * DAY, noInventory(NOW - 7 * DAY + HOUR)),
    // 2: one millisecond earlier: outside the window.
    placed('2', NOW - 7 * DAY - 1, noInventory(NOW - 7 * DAY + HOUR)),
    // 3: two counted item-level cancels (A, then B): one cancelled order.
    placed(
      '3',
      NOW - 3 * DAY,
      noInventory(NOW - 3 * DAY + HOUR, [{ orderItemId: 'A', quantity: 1 }]),
      noInventory(NOW - 3 * DAY + 2 * HOUR, [{ orderItemId: 'B', quantity: 1 }]),
    ),
    // 4: official buyer request, then the seller cancels with BuyerCanceled: does not count.
    placed(
      '4',
      NOW - 2 * DAY,
      { type: 'buyer.requestCancellation', at: NOW - 2 * DAY + HOUR, source: 'order-flag' },
      { type: 'seller.cancel', at: NOW - 2 * DAY + 2 * HOUR, reason: 'BuyerCanceled' },
    ),
    // 5: the buyer cancels inside the 30-minute window: does not count.
    placed('5', NOW - 2 * DAY, { type: 'buyer.cancel', at: NOW - 2 * DAY + 5 * 60_000 }),
    // 6: shipped on time: does not count.
    placed('6', NOW - DAY, ship(NOW - DAY + HOUR)),
    // 7: Fulfilled by Amazon, cancelled by the seller through the marketplace: not in the figures at all.
    order(
      '7',
      { placedAt: NOW - DAY, channel: 'AFN' },
      { type: 'marketplace.orderCanceled', at: NOW - DAY + HOUR, cancelledBy: 'seller', reason: 'NoInventory' },
    ),
    // 8: BuyerCanceled without an official request: counts.
    placed('8', NOW - DAY, { type: 'seller.cancel', at: NOW - DAY + HOUR, reason: 'BuyerCanceled' }),
    // 9: placed exactly at now: outside the window (it ends before now).
    placed('9', NOW),
    // 10: placed an hour before now, cancelled an hour after now: in the window, not (yet) cancelled.
    placed('10', NOW - HOUR, noInventory(NOW + HOUR)),
  ];

  it('should count each seller-fulfilled order placed in the last 7 days once, whatever its records', () => {
    const { cancellationRate } = sellerMetrics(orders, { now: NOW });
    // In the window: 1, 3, 4, 5, 6, 8, 10 = 7 orders; counted: 1, 3 (two records, once), 8 = 3; 3 / 7.
    expect(cancellationRate).toEqual({
      rate: 3 / 7,
      canceled: 3,
      unattributed: 0,
      rateIfAllCounted: 3 / 7,
      orders: 7,
      from: NOW - 7 * DAY,
      to: NOW,
      target: 0.025,
      healthy: false,
    });
  });

  it('should be healthy under 2.5% and read now as ISO text or a Date', () => {
    // 1 counted cancellation among 1 + 40 shipped orders: 1 / 41 = 0.0244 < 0.025.
    const many = [placed('c', NOW - DAY, noInventory(NOW - DAY + HOUR))];
    for (let i = 0; i < 40; i++) many.push(placed(`s${i}`, NOW - 2 * DAY, ship(NOW - 2 * DAY + HOUR)));
    const byIso = sellerMetrics(many, { now: '2026-12-10T08:00:00+08:00' }).cancellationRate;
    expect(byIso).toMatchObject({ canceled: 1, orders: 41, rate: 1 / 41, healthy: true });
    // 1 / 40 = 0.025 exactly: not under the target.
    expect(sellerMetrics(many.slice(0, 40), { now: new Date(NOW) }).cancellationRate).toMatchObject({
      rate: 0.025,
      healthy: false,
    });
  });

  it('should report a rate of 0 and healthy when no order was placed in the window', () => {
    expect(sellerMetrics([], { now: NOW }).cancellationRate).toEqual({
      rate: 0,
      canceled: 0,
      unattributed: 0,
      rateIfAllCounted: 0,
      orders: 0,
      from: NOW - 7 * DAY,
      to: NOW,
      target: 0.025,
      healthy: true,
    });
  });

  it('should report orders cancelled without saying by whom as unattributed, and the rate if they all counted', () => {
    const unknown = (at: number, items?: { orderItemId: string; quantity: number }[]): OrderEventInput => ({
      type: 'marketplace.orderCanceled',
      at,
      cancelledBy: 'unknown',
      ...(items ? { items } : {}),
    });
    const orders = [
      // u1: Amazon reports it cancelled (an Orders v0 `Canceled` pull) without saying who: unattributed.
      placed('u1', NOW - 2 * DAY, unknown(NOW - 2 * DAY + HOUR)),
      // u2: already counted (a seller cancel of B), then A cancelled by nobody knows whom: counted once, not unattributed.
      placed(
        'u2',
        NOW - 2 * DAY,
        noInventory(NOW - 2 * DAY + HOUR, [{ orderItemId: 'B', quantity: 1 }]),
        unknown(NOW - 2 * DAY + 2 * HOUR, [{ orderItemId: 'A', quantity: 2 }]),
      ),
      // u3: cancelled by nobody knows whom after now: in the window, not (yet) cancelled.
      placed('u3', NOW - HOUR, unknown(NOW + HOUR)),
      // u4: shipped.
      placed('u4', NOW - DAY, ship(NOW - DAY + HOUR)),
      // u5: placed 8 days ago: outside the window.
      placed('u5', NOW - 8 * DAY, unknown(NOW - 2 * DAY)),
      // u6: Fulfilled by Amazon: not in the figures at all.
      order('u6', { placedAt: NOW - DAY, channel: 'AFN' }, unknown(NOW - DAY + HOUR)),
    ];
    const { cancellationRate } = sellerMetrics(orders, { now: NOW });
    // In the window: u1, u2, u3, u4 = 4; counted: u2 = 1; unattributed: u1 = 1; 1 / 4, and 2 / 4 if u1 counted.
    expect(cancellationRate).toMatchObject({
      canceled: 1,
      unattributed: 1,
      orders: 4,
      rate: 0.25,
      rateIfAllCounted: 0.5,
    });
    // Two days earlier (90 minutes after u1 and u2 were placed) the window holds u1, u2 and u5: u5's cancel by
    // nobody knows whom is in it, u2's is not yet.
    expect(sellerMetrics(orders, { now: NOW - 2 * DAY + 90 * 60_000 }).cancellationRate).toMatchObject({
      canceled: 1,
      unattributed: 2,
      orders: 3,
      rateIfAllCounted: 1,
    });
    // Without u1, nothing is unattributed: the upper bound is the rate.
    expect(sellerMetrics(orders.slice(1), { now: NOW }).cancellationRate).toMatchObject({
      unattributed: 0,
      rate: 1 / 3,
      rateIfAllCounted: 1 / 3,
    });
  });
});

describe('sellerMetrics: Late Shipment Rate', () => {
  const orders = [
    // a: latest ship date 4 days ago, shipped 5 days ago: on time, in both windows.
    order('a', { placedAt: NOW - 6 * DAY, latestShipDate: NOW - 4 * DAY }, ship(NOW - 5 * DAY)),
    // b: latest ship date 6 days ago, shipped 5 days ago: late, in both.
    order('b', { placedAt: NOW - 8 * DAY, latestShipDate: NOW - 6 * DAY }, ship(NOW - 5 * DAY)),
    // c: shipped 20 days ago, a day after its latest ship date: late, 30-day window only.
    order('c', { placedAt: NOW - 23 * DAY, latestShipDate: NOW - 21 * DAY }, ship(NOW - 20 * DAY)),
    // d: shipped exactly 10 days ago, on time: in both (a window includes its start).
    order('d', { placedAt: NOW - 11 * DAY, latestShipDate: NOW - 9 * DAY }, ship(NOW - 10 * DAY)),
    // e: still open, its latest ship date a day ago: late, in both.
    order('e', { placedAt: NOW - 3 * DAY, latestShipDate: NOW - DAY }),
    // f: still open, due tomorrow: in neither.
    order('f', { placedAt: NOW - DAY, latestShipDate: NOW + DAY }),
    // g: cancelled in full, its latest ship date a day ago: in neither.
    order('g', { placedAt: NOW - 3 * DAY, latestShipDate: NOW - DAY }, noInventory(NOW - 3 * DAY + HOUR)),
    // h: Fulfilled by Amazon, shipped by Amazon after the latest ship date: not in the figures.
    order(
      'h',
      { placedAt: NOW - 5 * DAY, latestShipDate: NOW - 4 * DAY, channel: 'AFN' },
      { type: 'marketplace.orderShipped', at: NOW - 2 * DAY },
    ),
    // i: shipped 11 days ago, on time: 30-day window only.
    order('i', { placedAt: NOW - 12 * DAY, latestShipDate: NOW - 10 * DAY }, ship(NOW - 11 * DAY)),
    // j: shipped 25 days ago, on time: 30-day window only.
    order('j', { placedAt: NOW - 26 * DAY, latestShipDate: NOW - 24 * DAY }, ship(NOW - 25 * DAY)),
    // k: shipped 31 days ago, late: in neither.
    order('k', { placedAt: NOW - 34 * DAY, latestShipDate: NOW - 32 * DAY }, ship(NOW - 31 * DAY)),
  ];

  it('should count shipments confirmed in the window and open orders past their latest ship date', () => {
    const { lateShipmentRate } = sellerMetrics(orders, { now: NOW });
    // 10 days: a, b, d, e = 4 orders; late: b, e = 2; 2 / 4.
    expect(lateShipmentRate.last10Days).toEqual({
      rate: 0.5,
      late: 2,
      orders: 4,
      from: NOW - 10 * DAY,
      to: NOW,
      target: 0.04,
      healthy: false,
    });
    // 30 days: a, b, c, d, e, i, j = 7 orders; late: b, c, e = 3; 3 / 7.
    expect(lateShipmentRate.last30Days).toEqual({
      rate: 3 / 7,
      late: 3,
      orders: 7,
      from: NOW - 30 * DAY,
      to: NOW,
      target: 0.04,
      healthy: false,
    });
  });

  it('should call a partially shipped order late when any confirmation was late, or when units are still open past the date', () => {
    const shipA = (at: number): OrderEventInput => ({
      type: 'seller.confirmShipment',
      at,
      items: [{ orderItemId: 'A', quantity: 2 }],
    });
    // p: A shipped on time, B shipped a day after the latest ship date: late.
    const p = order(
      'p',
      { placedAt: NOW - 6 * DAY, latestShipDate: NOW - 4 * DAY },
      shipA(NOW - 5 * DAY),
      ship(NOW - 3 * DAY),
    );
    // q: A shipped on time, B still open two days after the latest ship date: it can only ship late now.
    const q = order('q', { placedAt: NOW - 5 * DAY, latestShipDate: NOW - 2 * DAY }, shipA(NOW - 4 * DAY));
    // r: A shipped on time, B still open, the latest ship date tomorrow: on time so far.
    const r = order('r', { placedAt: NOW - 2 * DAY, latestShipDate: NOW + DAY }, shipA(NOW - DAY));
    // s: no latest ship date from Amazon yet: never late.
    const s = createOrder({
      orderId: 's',
      placedAt: NOW - 5 * DAY,
      items: [{ orderItemId: 'A', quantity: 1 }],
    }).snapshot;
    expect(sellerMetrics([p, q, r, s], { now: NOW }).lateShipmentRate.last10Days).toMatchObject({ late: 2, orders: 3 });
  });

  it('should treat a shipment after now as not yet made', () => {
    // e ships a day after now (two days late): at now it is still open and past due, so late, in both windows.
    const later = order('e2', { placedAt: NOW - 3 * DAY, latestShipDate: NOW - DAY }, ship(NOW + DAY));
    const { last10Days } = sellerMetrics([later], { now: NOW }).lateShipmentRate;
    expect(last10Days).toMatchObject({ late: 1, orders: 1, rate: 1 });
    // A day and a minute later the shipment has happened: still 1 late of 1.
    expect(sellerMetrics([later], { now: NOW + DAY + 60_000 }).lateShipmentRate.last10Days).toMatchObject({
      late: 1,
      orders: 1,
    });
  });
});

describe('sellerMetrics: listing suppression risks', () => {
  const items = (sku: string) => [{ orderItemId: 'A', sku, quantity: 2 }];
  const canceled = (id: string, sku: string, at: number, reason: 'NoInventory' | 'BuyerCanceled' = 'NoInventory') =>
    order(id, { placedAt: at - HOUR, items: items(sku) }, { type: 'seller.cancel', at, reason });

  it('should flag a SKU with two counted seller cancellations in a row of orders placed within 30 days', () => {
    const orders = [
      // MUG: cancelled 20 and 10 days ago, nothing shipped between: a risk.
      canceled('m1', 'MUG', NOW - 20 * DAY),
      canceled('m2', 'MUG', NOW - 10 * DAY),
      // PEN: cancelled 20 days ago, shipped 15 days ago, cancelled 10 days ago: the shipment breaks the run.
      canceled('p1', 'PEN', NOW - 20 * DAY),
      order('p2', { placedAt: NOW - 16 * DAY, items: items('PEN') }, ship(NOW - 15 * DAY)),
      canceled('p3', 'PEN', NOW - 10 * DAY),
      // CUP: orders placed (and cancelled an hour later) 31 days ago and 5 days ago: only one placed inside the window.
      canceled('c1', 'CUP', NOW - 31 * DAY),
      canceled('c2', 'CUP', NOW - 5 * DAY),
      // BAG: two item-level cancels of one order are one cancelled order; the auto-cancel is Amazon's, not the seller's.
      order(
        'b1',
        { placedAt: NOW - 20 * DAY, items: items('BAG') },
        noInventory(NOW - 20 * DAY + HOUR, [{ orderItemId: 'A', quantity: 1 }]),
        noInventory(NOW - 20 * DAY + 2 * HOUR),
      ),
      order(
        'b2',
        { placedAt: NOW - 20 * DAY, latestShipDate: NOW - 18 * DAY, items: items('BAG') },
        { type: 'clock.tick', at: NOW - 11 * DAY },
      ),
      // HAT: the first cancel answers an official buyer request (not counted): one counted cancel.
      order(
        'h1',
        { placedAt: NOW - 9 * DAY, items: items('HAT') },
        { type: 'buyer.requestCancellation', at: NOW - 9 * DAY + HOUR, source: 'order-flag' },
        { type: 'seller.cancel', at: NOW - 9 * DAY + 2 * HOUR, reason: 'BuyerCanceled' },
      ),
      canceled('h2', 'HAT', NOW - 8 * DAY),
      // TOY: two counted cancels, but of a Fulfilled-by-Amazon order and a cancel after now.
      order(
        't1',
        { placedAt: NOW - 5 * DAY, items: items('TOY'), channel: 'AFN' },
        { type: 'marketplace.orderCanceled', at: NOW - 5 * DAY + HOUR, cancelledBy: 'seller', reason: 'NoInventory' },
      ),
      canceled('t2', 'TOY', NOW + HOUR),
    ];
    expect(sellerMetrics(orders, { now: NOW }).suppressionRisks).toEqual([
      {
        sku: 'MUG',
        cancellations: [
          { orderId: 'm1', placedAt: NOW - 20 * DAY - HOUR, at: NOW - 20 * DAY, reason: 'NoInventory' },
          { orderId: 'm2', placedAt: NOW - 10 * DAY - HOUR, at: NOW - 10 * DAY, reason: 'NoInventory' },
        ],
      },
    ]);
  });

  it('should list three in a row and each risky SKU in name order', () => {
    const orders = [
      canceled('z1', 'ZIP', NOW - 3 * DAY),
      canceled('z2', 'ZIP', NOW - 2 * DAY),
      canceled('a1', 'AXE', NOW - 2 * DAY, 'BuyerCanceled'),
      canceled('a2', 'AXE', NOW - DAY),
      canceled('z3', 'ZIP', NOW - DAY),
    ];
    const risks = sellerMetrics(orders, { now: NOW }).suppressionRisks;
    expect(risks.map((r) => [r.sku, r.cancellations.map((c) => c.orderId)])).toEqual([
      ['AXE', ['a1', 'a2']],
      ['ZIP', ['z1', 'z2', 'z3']],
    ]);
  });

  it('should count cancellations of orders placed in the last 30 days, not orders cancelled in them', () => {
    // Amazon: "two consecutive seller-cancellations for orders placed in the last 30 days". The latest ship dates
    // are late enough for the orders to be open when the seller cancels them.
    const lamp = (id: string, placedAt: number, at: number) =>
      order(id, { placedAt, latestShipDate: NOW, items: items('LAMP') }, noInventory(at));
    // Placed 35 days ago and cancelled 20 days ago: not an order placed in the 30 days; one counted cancel is no risk.
    const old = lamp('l1', NOW - 35 * DAY, NOW - 20 * DAY);
    const recent = lamp('l2', NOW - 20 * DAY, NOW - DAY);
    expect(sellerMetrics([old, recent], { now: NOW }).suppressionRisks).toEqual([]);
    // Placed 20 days ago and cancelled yesterday counts, with another placed 29 days ago and cancelled 25 days ago.
    const inside = lamp('l3', NOW - 29 * DAY, NOW - 25 * DAY);
    expect(sellerMetrics([old, inside, recent], { now: NOW }).suppressionRisks).toEqual([
      {
        sku: 'LAMP',
        cancellations: [
          { orderId: 'l3', placedAt: NOW - 29 * DAY, at: NOW - 25 * DAY, reason: 'NoInventory' },
          { orderId: 'l2', placedAt: NOW - 20 * DAY, at: NOW - DAY, reason: 'NoInventory' },
        ],
      },
    ]);
    // The window starts exactly 30 days before now: an order placed then is in it, one placed a millisecond earlier is not.
    const edge = lamp('l4', NOW - 30 * DAY, NOW - 2 * DAY);
    const justOut = lamp('l5', NOW - 30 * DAY - 1, NOW - 3 * DAY);
    expect(
      sellerMetrics([justOut, edge, recent], { now: NOW }).suppressionRisks.map((r) =>
        r.cancellations.map((c) => c.orderId),
      ),
    ).toEqual([['l4', 'l2']]);
  });
});

describe('sellerMetrics: input', () => {
  it.each([['yesterday'], [-1], [undefined], [new Date('nope')]])('should refuse now = %j, naming the field', (now) => {
    expect(() => sellerMetrics([], { now } as never)).toThrow(InvalidInputError);
    expect(() => sellerMetrics([], { now } as never)).toThrow(/^Invalid metrics options: now: /);
  });

  it('should refuse something that is not a list of order snapshots, naming where', () => {
    expect(() => sellerMetrics({} as never, { now: NOW })).toThrow(
      /^Invalid order snapshots: snapshots: expected an array of order snapshots \(got \{\}\)/,
    );
    const good = order('x', { placedAt: NOW - DAY });
    const bad = { context: { ...good.context, placedAt: 'soon' } };
    expect(() => sellerMetrics([good, bad] as never, { now: NOW })).toThrow(/snapshots\.1\.context\.placedAt/);
  });
});
