import { describe, expect, it } from 'vitest';
import type { OrderEventInput } from '../../src/index.js';
import { SuppressionTally, type OrderContext, type SellerMetrics } from '../../src/domain/index.js';
import { sellerMetrics } from '../../src/metrics/index.js';
import { noInventory, order, type Item } from '../support/metric-orders.js';

// Tests of the metric rules' edges that test/domain/metrics.test.ts does not reach, written where StrykerJS showed
// mutants of src/domain/metrics.ts surviving: instants exactly at `now` or at a window's start, cancellations that
// do not cover an order, and how a SKU's cancellations and shipments are put in time order.

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
/** The instant every figure below is for. */
const NOW = Date.parse('2026-12-10T00:00:00Z');

const ship = (at: number, items?: { orderItemId: string; quantity: number }[]): OrderEventInput => ({
  type: 'seller.confirmShipment',
  at,
  ...(items ? { items } : {}),
});

/** The order ids of each risky SKU's run, by SKU. */
const runs = (metrics: SellerMetrics) =>
  Object.fromEntries(metrics.suppressionRisks.map((r) => [r.sku, r.cancellations.map((c) => c.orderId)]));

describe('sellerMetrics: Cancellation Rate at now', () => {
  it('should not count a cancellation recorded exactly at now, which is the end of the window', () => {
    const sellerCancel = order('c1', { placedAt: NOW - DAY }, noInventory(NOW));
    const unknownCancel = order(
      'c2',
      { placedAt: NOW - DAY },
      {
        type: 'marketplace.orderCanceled',
        at: NOW,
        cancelledBy: 'unknown',
      },
    );
    const rate = sellerMetrics([sellerCancel, unknownCancel], { now: NOW }).cancellationRate;
    expect(rate).toMatchObject({ orders: 2, canceled: 0, unattributed: 0, rate: 0, rateIfAllCounted: 0 });
    // A millisecond later both cancellations are in: one counted, one by nobody knows whom.
    expect(sellerMetrics([sellerCancel, unknownCancel], { now: NOW + 1 }).cancellationRate).toMatchObject({
      orders: 2,
      canceled: 1,
      unattributed: 1,
    });
  });
});

describe('sellerMetrics: Late Shipment Rate edges', () => {
  it('should count an open order whose latest ship date is in [now - days, now): the start in, now out', () => {
    const open = (id: string, latestShipDate: number) =>
      order(id, { placedAt: latestShipDate - 2 * DAY, latestShipDate });
    const orders = [
      // Due exactly at the start of the 10-day window: in it, and late.
      open('start10', NOW - 10 * DAY),
      // Due 15 days ago: before the 10-day window, inside the 30-day one.
      open('mid', NOW - 15 * DAY),
      // Due 31 days ago: in neither window.
      open('old', NOW - 31 * DAY),
      // Due exactly at now: not yet past its latest ship date, in neither.
      open('due', NOW),
    ];
    const { last10Days, last30Days } = sellerMetrics(orders, { now: NOW }).lateShipmentRate;
    expect(last10Days).toMatchObject({ orders: 1, late: 1 });
    expect(last30Days).toMatchObject({ orders: 2, late: 2 });
  });

  it('should leave out an on-time shipment confirmed at or after now, as it is not made yet', () => {
    const orders = [
      order('at', { placedAt: NOW - DAY, latestShipDate: NOW + 2 * DAY }, ship(NOW)),
      order('after', { placedAt: NOW - DAY, latestShipDate: NOW + 2 * DAY }, ship(NOW + HOUR)),
    ];
    expect(sellerMetrics(orders, { now: NOW }).lateShipmentRate.last10Days).toMatchObject({
      orders: 0,
      late: 0,
      rate: 0,
    });
    // Once both shipments are made, both count, on time.
    expect(sellerMetrics(orders, { now: NOW + 2 * HOUR }).lateShipmentRate.last10Days).toMatchObject({
      orders: 2,
      late: 0,
    });
  });

  it('should call a partial shipment with units still open late only once the latest ship date is past', () => {
    const shipA = ship(NOW - DAY, [{ orderItemId: 'A', quantity: 2 }]);
    const orders = [
      // B still open, due exactly at now: not past it yet.
      order('dueNow', { placedAt: NOW - 2 * DAY, latestShipDate: NOW }, shipA),
      // B still open, due tomorrow.
      order('dueLater', { placedAt: NOW - 2 * DAY, latestShipDate: NOW + DAY }, shipA),
      // B still open, and Amazon has given no latest ship date: never due.
      order('noDate', { placedAt: NOW - 2 * DAY, latestShipDate: null }, shipA),
    ];
    expect(sellerMetrics(orders, { now: NOW }).lateShipmentRate.last10Days).toMatchObject({ orders: 3, late: 0 });
    // A millisecond later the first one's B is open past its date: late.
    expect(sellerMetrics(orders, { now: NOW + 1 }).lateShipmentRate.last10Days).toMatchObject({ orders: 3, late: 1 });
  });

  it('should keep an open order past its date in the rate until cancellations before now cover every unit', () => {
    // Items A x2 and B x1, due a day ago.
    const due = (id: string, ...events: OrderEventInput[]) =>
      order(id, { placedAt: NOW - 3 * DAY, latestShipDate: NOW - DAY }, ...events);
    const a1 = { orderItemId: 'A', quantity: 1 };
    const b1 = { orderItemId: 'B', quantity: 1 };
    const orders = [
      // One unit of A cancelled: two units left, late.
      due('partA', noInventory(NOW - 2 * DAY, [a1])),
      // One unit of A and B cancelled: one unit of A left, late.
      due('partAB', noInventory(NOW - 2 * DAY, [a1]), noInventory(NOW - 2 * DAY + HOUR, [b1])),
      // Every unit cancelled in three records: not in the rate.
      due(
        'all',
        noInventory(NOW - 2 * DAY, [a1]),
        noInventory(NOW - 2 * DAY + HOUR, [b1]),
        noInventory(NOW - DAY, [a1]),
      ),
      // Cancelled in full exactly at now, and an hour after now: still open at now, late.
      due('atNow', noInventory(NOW)),
      due('afterNow', noInventory(NOW + HOUR)),
    ];
    expect(sellerMetrics(orders, { now: NOW }).lateShipmentRate.last10Days).toMatchObject({ orders: 4, late: 4 });
  });

  it('should count a unit cancelled by two records once when deciding whether an order was cancelled in full', () => {
    // A (both units) cancelled; B still open past its date. The snapshot repeats A's cancellation an hour later
    // (a record the store was given twice): A has no unit left to take, so B keeps the order open and late.
    const base = order(
      'twice',
      { placedAt: NOW - 3 * DAY, latestShipDate: NOW - DAY },
      noInventory(NOW - 2 * DAY, [{ orderItemId: 'A', quantity: 2 }]),
    );
    const [record] = base.context.cancellations;
    const twice = { context: { ...base.context, cancellations: [record!, { ...record!, at: record!.at + HOUR }] } };
    expect(sellerMetrics([twice], { now: NOW }).lateShipmentRate.last10Days).toMatchObject({ orders: 1, late: 1 });
  });
});

describe('sellerMetrics: listing suppression risk edges', () => {
  const items = (sku: string): Item[] => [{ orderItemId: 'A', sku, quantity: 1 }];
  const canceled = (id: string, sku: string, at: number) =>
    order(id, { placedAt: at - HOUR, latestShipDate: at + DAY, items: items(sku) }, noInventory(at));
  const shipped = (id: string, sku: string, at: number) =>
    order(id, { placedAt: at - HOUR, latestShipDate: at + DAY, items: items(sku) }, ship(at));

  it('should count only seller cancellations recorded before now', () => {
    const first = canceled('k1', 'KEY', NOW - DAY);
    expect(runs(sellerMetrics([first, canceled('k2', 'KEY', NOW)], { now: NOW }))).toEqual({});
    expect(runs(sellerMetrics([first, canceled('k3', 'KEY', NOW + HOUR)], { now: NOW }))).toEqual({});
    expect(runs(sellerMetrics([first, canceled('k4', 'KEY', NOW - 1)], { now: NOW }))).toEqual({ KEY: ['k1', 'k4'] });
  });

  it('should not track items without a SKU', () => {
    const noSku = (id: string, at: number) =>
      order(id, { placedAt: at - HOUR, items: [{ orderItemId: 'A', quantity: 1 }] }, noInventory(at));
    expect(sellerMetrics([noSku('n1', NOW - 2 * DAY), noSku('n2', NOW - DAY)], { now: NOW }).suppressionRisks).toEqual(
      [],
    );
  });

  it('should skip a Fulfilled-by-Amazon order added to a SuppressionTally, its shipments too', () => {
    const tally = new SuppressionTally(NOW);
    tally.add(canceled('f1', 'FAN', NOW - 3 * DAY).context);
    tally.add(
      order(
        'f2',
        { placedAt: NOW - 3 * DAY, latestShipDate: NOW, items: items('FAN'), channel: 'AFN' },
        { type: 'marketplace.orderShipped', at: NOW - 2 * DAY },
      ).context,
    );
    tally.add(canceled('f3', 'FAN', NOW - DAY).context);
    expect(tally.risks().map((r) => [r.sku, r.cancellations.map((c) => c.orderId)])).toEqual([['FAN', ['f1', 'f3']]]);
  });

  it('should put the orders in time order whatever order they are given in', () => {
    // Given newest first: cancelled a day ago, shipped 5 days ago, cancelled 10 and 12 days ago. In time order the
    // shipment ends the run of the two older cancellations; the newest is alone after it.
    const orders = [
      canceled('d4', 'DESK', NOW - DAY),
      shipped('d3', 'DESK', NOW - 5 * DAY),
      canceled('d2', 'DESK', NOW - 10 * DAY),
      canceled('d1', 'DESK', NOW - 12 * DAY),
    ];
    expect(runs(sellerMetrics(orders, { now: NOW }))).toEqual({ DESK: ['d1', 'd2'] });
  });

  it('should put a shipment at the same instant as a cancellation after it, whichever is given first', () => {
    // LAMP: cancelled 3 days ago, then a cancellation and a shipment two days ago (the shipment given first), then
    // a cancellation a day ago. The shipment comes after the cancellation of its instant, ending the run l1, l2.
    const lamps = [
      canceled('l1', 'LAMP', NOW - 3 * DAY),
      shipped('l2s', 'LAMP', NOW - 2 * DAY),
      canceled('l2', 'LAMP', NOW - 2 * DAY),
      canceled('l3', 'LAMP', NOW - DAY),
    ];
    // BOWL: the same, the cancellation given first.
    const bowls = [
      canceled('b1', 'BOWL', NOW - 3 * DAY),
      canceled('b2', 'BOWL', NOW - 2 * DAY),
      shipped('b2s', 'BOWL', NOW - 2 * DAY),
      canceled('b3', 'BOWL', NOW - DAY),
    ];
    expect(runs(sellerMetrics([...lamps, ...bowls], { now: NOW }))).toEqual({ BOWL: ['b1', 'b2'], LAMP: ['l1', 'l2'] });
  });

  it('should keep cancellations at the same instant in the order the orders were given', () => {
    const orders = [canceled('s2', 'SOAP', NOW - DAY), canceled('s1', 'SOAP', NOW - DAY)];
    expect(runs(sellerMetrics(orders, { now: NOW }))).toEqual({ SOAP: ['s2', 's1'] });
  });

  it("should list each SKU's longest run, the latest of equally long ones, in SKU order", () => {
    const orders = [
      // A: three in a row, a shipment, two in a row: the three.
      canceled('a1', 'A', NOW - 9 * DAY),
      canceled('a2', 'A', NOW - 8 * DAY),
      canceled('a3', 'A', NOW - 7 * DAY),
      shipped('as', 'A', NOW - 6 * DAY),
      canceled('a4', 'A', NOW - 5 * DAY),
      canceled('a5', 'A', NOW - 4 * DAY),
      // B: two, a shipment, two: the later two.
      canceled('b1', 'B', NOW - 9 * DAY),
      canceled('b2', 'B', NOW - 8 * DAY),
      shipped('bs', 'B', NOW - 7 * DAY),
      canceled('b3', 'B', NOW - 6 * DAY),
      canceled('b4', 'B', NOW - 5 * DAY),
      // C: two, a shipment, one: the two.
      canceled('c1', 'C', NOW - 9 * DAY),
      canceled('c2', 'C', NOW - 8 * DAY),
      shipped('cs', 'C', NOW - 7 * DAY),
      canceled('c3', 'C', NOW - 6 * DAY),
    ];
    expect(sellerMetrics(orders, { now: NOW }).suppressionRisks.map((r) => r.sku)).toEqual(['A', 'B', 'C']);
    expect(runs(sellerMetrics(orders, { now: NOW }))).toEqual({
      A: ['a1', 'a2', 'a3'],
      B: ['b3', 'b4'],
      C: ['c1', 'c2'],
    });
  });

  describe('a shipment of an order with cancelled items', () => {
    // Each order below has A (MUG) and B (PEN). A shipment ends a SKU's run only when the order shipped with some
    // of that SKU left (docs/metrics.md): not cancelled in full by the instant of its first shipment confirmation.
    const two = (id: string, ...events: OrderEventInput[]) =>
      order(
        id,
        {
          placedAt: NOW - 10 * DAY,
          latestShipDate: NOW - 5 * DAY,
          items: [
            { orderItemId: 'A', sku: 'MUG', quantity: 2 },
            { orderItemId: 'B', sku: 'PEN', quantity: 1 },
          ],
        },
        ...events,
      );
    const b1 = [{ orderItemId: 'B', quantity: 1 }];
    const a1 = [{ orderItemId: 'A', quantity: 1 }];

    it('should not end the run of a SKU cancelled in full before the shipment', () => {
      // x cancels B (a PEN cancellation), then ships A; p2 cancels PEN after: x and p2 are in a row.
      const x = two('x', noInventory(NOW - 9 * DAY, b1), ship(NOW - 8 * DAY));
      expect(runs(sellerMetrics([x, canceled('p2', 'PEN', NOW - 7 * DAY)], { now: NOW }))).toEqual({
        PEN: ['x', 'p2'],
      });
    });

    it('should take a cancellation at the instant of the shipment as made before it', () => {
      const y = two('y', noInventory(NOW - 8 * DAY, b1), ship(NOW - 8 * DAY));
      expect(runs(sellerMetrics([y, canceled('p2', 'PEN', NOW - 7 * DAY)], { now: NOW }))).toEqual({
        PEN: ['y', 'p2'],
      });
    });

    it('should end the run of a SKU with units left at the shipment, even if they are cancelled later', () => {
      // z ships A alone with B left, then cancels B: PEN's p1 and z are not in a row, z's own cancellation is after
      // its shipment.
      const z = two('z', ship(NOW - 8 * DAY, [{ orderItemId: 'A', quantity: 2 }]), noInventory(NOW - 7 * DAY, b1));
      expect(runs(sellerMetrics([canceled('p1', 'PEN', NOW - 9 * DAY), z], { now: NOW }))).toEqual({});
    });

    it('should end the run of a SKU cancelled in part before the shipment', () => {
      // w cancels one MUG of two, then ships the other: m1 and w are in a row, the shipment ends it before m3.
      const w = two('w', noInventory(NOW - 8 * DAY, a1), ship(NOW - 7 * DAY));
      const orders = [canceled('m1', 'MUG', NOW - 9 * DAY), w, canceled('m3', 'MUG', NOW - 6 * DAY)];
      expect(runs(sellerMetrics(orders, { now: NOW }))).toEqual({ MUG: ['m1', 'w'] });
    });
  });
});

describe('sellerMetrics: only the time between instants matters', () => {
  /** The context with every instant moved `by` milliseconds earlier. */
  function earlier(context: OrderContext, by: number): { context: OrderContext } {
    const move = (at: number) => at - by;
    const moveOrNull = (at: number | null) => (at === null ? null : move(at));
    return {
      context: {
        ...context,
        placedAt: move(context.placedAt),
        latestShipDate: moveOrNull(context.latestShipDate),
        marketplaceStatusAt: moveOrNull(context.marketplaceStatusAt),
        buyerCancelUntil: move(context.buyerCancelUntil),
        autoCancelAt: moveOrNull(context.autoCancelAt),
        clock: move(context.clock),
        requests: context.requests.map((r) => ({ ...r, at: move(r.at) })),
        cancellations: context.cancellations.map((c) => ({ ...c, at: move(c.at) })),
        labelGeneratedAt: moveOrNull(context.labelGeneratedAt),
        shippedAt: moveOrNull(context.shippedAt),
      },
    };
  }

  it('should give the same figures when every instant and now move by the same amount, to just after 1970', () => {
    const orders = [
      // Open, no latest ship date from Amazon: never due, so in no Late Shipment Rate.
      order('open', { placedAt: NOW - 2 * DAY, latestShipDate: null }),
      // Open and late, due a day ago.
      order('late', { placedAt: NOW - 3 * DAY, latestShipDate: NOW - DAY }),
      // Two cancellations of VASE in a row; an open order of VASE (not shipped) does not end the run.
      order(
        'v1',
        { placedAt: NOW - 6 * DAY - HOUR, items: [{ orderItemId: 'A', sku: 'VASE', quantity: 1 }] },
        noInventory(NOW - 6 * DAY),
      ),
      order('v2', {
        placedAt: NOW - 5 * DAY,
        latestShipDate: NOW + DAY,
        items: [{ orderItemId: 'A', sku: 'VASE', quantity: 1 }],
      }),
      order(
        'v3',
        { placedAt: NOW - 4 * DAY - HOUR, items: [{ orderItemId: 'A', sku: 'VASE', quantity: 1 }] },
        noInventory(NOW - 4 * DAY),
      ),
    ];
    const at = sellerMetrics(orders, { now: NOW });
    expect(at.lateShipmentRate.last10Days).toMatchObject({ orders: 1, late: 1 });
    expect(runs(at)).toEqual({ VASE: ['v1', 'v3'] });
    // Now five days after the epoch: the 10-day window starts before 1970, one cancellation is before it.
    const by = NOW - 5 * DAY;
    const moved = sellerMetrics(
      orders.map((o) => earlier(o.context, by)),
      { now: 5 * DAY },
    );
    const rate = <T extends { from: number; to: number }>(r: T) => ({ ...r, from: r.from - by, to: r.to - by });
    expect(moved.cancellationRate).toEqual(rate(at.cancellationRate));
    expect(moved.lateShipmentRate).toEqual({
      last10Days: rate(at.lateShipmentRate.last10Days),
      last30Days: rate(at.lateShipmentRate.last30Days),
    });
    expect(moved.suppressionRisks).toEqual(
      at.suppressionRisks.map((r) => ({
        ...r,
        cancellations: r.cancellations.map((c) => ({ ...c, placedAt: c.placedAt - by, at: c.at - by })),
      })),
    );
  });
});
