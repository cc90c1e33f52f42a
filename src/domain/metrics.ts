import * as z from 'zod';
import { OrderContext, type Cancellation } from './schemas.js';
import { Instant, DAY } from './time.js';
import { parseOrThrow } from './parse.js';
import { quickParser } from './quick-parse.js';
import { quantitiesById } from './rules.js';

/** Amazon's targets: Cancellation Rate under 2.5%, Late Shipment Rate under 4%. */
export const CANCELLATION_RATE_TARGET = 0.025;
/** Amazon's Late Shipment Rate target: under 4% of orders ship-confirmed after their latest ship date. */
export const LATE_SHIPMENT_RATE_TARGET = 0.04;

/** One rate over a window `[from, to)` of epoch ms; `rate` is 0 when the window holds no order. */
interface RateBase {
  rate: number;
  /** Seller-fulfilled orders in the window (the denominator). */
  orders: number;
  /** Start of the window, epoch ms, inclusive: `now` minus the window's days. */
  from: number;
  /** End of the window, epoch ms, exclusive: `now`. */
  to: number;
  target: number;
  /** `rate < target`. */
  healthy: boolean;
}

/** The Cancellation Rate: `canceled` of `orders`, with the orders whose canceller nobody reported. */
export interface CancellationRate extends RateBase {
  /** Orders with at least one cancellation that counts against the seller, recorded before `to`. */
  canceled: number;
  /**
   * Orders in the window not in `canceled` with a cancellation recorded before `to` whose canceller is unknown
   * (`by: 'unknown'`, e.g. an Orders v0 `Canceled` pull): left out of `rate`, which they may understate.
   */
  unattributed: number;
  /** `(canceled + unattributed) / orders`: the rate if every unattributed order counted; `rate` when there is none. */
  rateIfAllCounted: number;
}

/** A Late Shipment Rate: `late` of `orders`. */
export interface LateShipmentRate extends RateBase {
  /** Orders ship-confirmed after their latest ship date, plus open orders already past it. */
  late: number;
}

/** One counted seller cancellation of a SKU. */
export interface SkuCancellation {
  orderId: string;
  /** When the order was placed, epoch ms: inside the 30 days for the cancellation to be in a run. */
  placedAt: number;
  /** When the cancellation was recorded, epoch ms. */
  at: number;
  reason: Cancellation['reason'];
}

/** A SKU with two or more consecutive seller cancellations (no shipment of it between) of orders placed within 30 days. */
export interface SuppressionRisk {
  sku: string;
  /** The run of consecutive counted seller cancellations of orders placed in the window, oldest first (one per order). */
  cancellations: SkuCancellation[];
}

/** What `sellerMetrics` returns: the Cancellation Rate, the Late Shipment Rates and listing suppression risks. */
export interface SellerMetrics {
  /** Instant the figures are for, epoch ms. */
  now: number;
  cancellationRate: CancellationRate;
  lateShipmentRate: { last10Days: LateShipmentRate; last30Days: LateShipmentRate };
  suppressionRisks: SuppressionRisk[];
}

const MetricsOptions = z.object({ now: Instant });
const Snapshots = z.array(z.object({ context: OrderContext }), { error: 'expected an array of order snapshots' });
/** `Snapshots` on the snapshots it takes as they are (every snapshot the package made), without zod's walk. */
const quickSnapshots = quickParser(Snapshots);

/** When an order ran out of items: the instant its cancellations covered every unit, or null (before `to`). */
function fullyCanceledAt(order: OrderContext, to: number): number | null {
  const left = quantitiesById(order.items);
  let remaining = order.items.reduce((sum, item) => sum + item.quantity, 0);
  for (const record of order.cancellations) {
    if (record.at >= to) break;
    for (const item of record.items) {
      const before = left.get(item.orderItemId) ?? 0;
      const taken = Math.min(before, item.quantity);
      left.set(item.orderItemId, before - taken);
      remaining -= taken;
    }
    if (remaining <= 0) return record.at;
  }
  return null;
}

function rateOf(count: number, orders: number, from: number, to: number, target: number) {
  const rate = orders === 0 ? 0 : count / orders;
  return { rate, orders, from, to, target, healthy: rate < target };
}

function cancellationRate(orders: readonly OrderContext[], now: number): CancellationRate {
  const from = now - 7 * DAY;
  const placed = orders.filter((o) => o.placedAt >= from && o.placedAt < now);
  let canceled = 0;
  let unattributed = 0;
  for (const order of placed) {
    const before = order.cancellations.filter((c) => c.at < now);
    if (before.some((c) => c.countsAgainstRate)) canceled += 1;
    // Nobody said who cancelled: it may be the seller's, so the rate says it may be low instead of guessing.
    else if (before.some((c) => c.by === 'unknown')) unattributed += 1;
  }
  const rateIfAllCounted = placed.length === 0 ? 0 : (canceled + unattributed) / placed.length;
  return {
    canceled,
    unattributed,
    rateIfAllCounted,
    ...rateOf(canceled, placed.length, from, now, CANCELLATION_RATE_TARGET),
  };
}

function lateShipmentRate(orders: readonly OrderContext[], now: number, days: number): LateShipmentRate {
  const from = now - days * DAY;
  let inWindow = 0;
  let late = 0;
  for (const order of orders) {
    const shipped = order.shippedAt !== null && order.shippedAt < now;
    if (shipped) {
      if (order.shippedAt! < from) continue;
      inWindow += 1;
      // A partially shipped order is late once any confirmation was, or once units are still open past the date.
      const openPastDate =
        order.latestShipDate !== null &&
        order.latestShipDate < now &&
        order.items.some((item) => item.quantity > item.quantityCanceled + item.quantityShipped);
      if (order.shippedLate === true || openPastDate) late += 1;
      continue;
    }
    // Still open at `now` and already past its latest ship date: late whenever it ships. Without a latest ship
    // date (Amazon has not given one yet) an open order is not due.
    const due = order.latestShipDate !== null && order.latestShipDate >= from && order.latestShipDate < now;
    if (due && fullyCanceledAt(order, now) === null) {
      inWindow += 1;
      late += 1;
    }
  }
  return { late, ...rateOf(late, inWindow, from, now, LATE_SHIPMENT_RATE_TARGET) };
}

type SkuEvent = { at: number; kind: 'shipped' } | { at: number; kind: 'canceled'; cancellation: SkuCancellation };

/**
 * The listing suppression risks at `now`, built order by order: `add` each seller-fulfilled order's context (an AFN
 * order is skipped), then `risks()`. Per SKU it keeps the counted seller cancellations and the instants the SKU
 * shipped, not the orders, so a caller that reads orders page by page (the simulation) holds a few numbers per SKU.
 * `sellerMetrics` computes its `suppressionRisks` with it.
 * @example
 * const tally = new SuppressionTally(now);
 * for (const snapshot of page) tally.add(snapshot.context);
 * tally.risks(); // [{ sku: 'MUG-RED', cancellations: [...] }]
 */
export class SuppressionTally {
  private readonly bySku = new Map<string, SkuEvent[]>();

  constructor(private readonly now: number) {}

  private push(sku: string, event: SkuEvent): void {
    const list = this.bySku.get(sku);
    if (list) list.push(event);
    else this.bySku.set(sku, [event]);
  }

  add(order: OrderContext): void {
    if (order.fulfillmentChannel !== 'MFN') return;
    const now = this.now;
    const skuOf = new Map(order.items.map((item) => [item.orderItemId, item.sku]));
    const canceledSkus = new Set<string>();
    for (const record of order.cancellations) {
      if (record.at >= now || record.by !== 'seller' || !record.countsAgainstRate) continue;
      for (const item of record.items) {
        const sku = skuOf.get(item.orderItemId);
        // One entry per order and SKU: two partial cancels of one order are one cancelled order.
        if (sku === undefined || canceledSkus.has(sku)) continue;
        canceledSkus.add(sku);
        this.push(sku, {
          at: record.at,
          kind: 'canceled',
          cancellation: { orderId: order.orderId, placedAt: order.placedAt, at: record.at, reason: record.reason },
        });
      }
    }
    if (order.shippedAt !== null && order.shippedAt < now) {
      const canceledAt = new Map<string, number>();
      for (const record of order.cancellations) {
        if (record.at > order.shippedAt) break;
        for (const item of record.items)
          canceledAt.set(item.orderItemId, (canceledAt.get(item.orderItemId) ?? 0) + item.quantity);
      }
      const shippedSkus = new Set(
        order.items
          .filter((i) => i.sku !== undefined && (canceledAt.get(i.orderItemId) ?? 0) < i.quantity)
          .map((i) => i.sku!),
      );
      for (const sku of shippedSkus) this.push(sku, { at: order.shippedAt, kind: 'shipped' });
    }
  }

  /** Each SKU's longest run (the latest of equally long ones), by SKU. */
  risks(): SuppressionRisk[] {
    const from = this.now - 30 * DAY;
    const risks: SuppressionRisk[] = [];
    for (const [sku, events] of this.bySku) {
      // A shipment at the same instant as a cancel comes after it: the SKU was sellable again.
      events.sort((a, b) => a.at - b.at || (a.kind === b.kind ? 0 : a.kind === 'canceled' ? -1 : 1));
      let run: SkuCancellation[] = [];
      let longest: SkuCancellation[] = [];
      for (const event of events) {
        if (event.kind === 'shipped') run = [];
        // Amazon: "two consecutive seller-cancellations for orders placed in the last 30 days" (placed, not cancelled).
        else if (event.cancellation.placedAt >= from) run.push(event.cancellation);
        if (run.length >= 2 && run.length >= longest.length) longest = [...run];
      }
      if (longest.length >= 2) risks.push({ sku, cancellations: longest });
    }
    return risks.sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  }
}

function suppressionRisks(orders: readonly OrderContext[], now: number): SuppressionRisk[] {
  const tally = new SuppressionTally(now);
  for (const order of orders) tally.add(order);
  return tally.risks();
}

/**
 * A seller's account-health figures at `now`, from order snapshots (pure; AFN orders are left out):
 * - `cancellationRate`: seller-fulfilled orders placed in `[now - 7 days, now)`; an order counts once when any of
 *   its cancellations recorded before `now` counts against the seller (item-level ones included); target 2.5%.
 *   `unattributed` orders were cancelled without saying by whom (`by: 'unknown'`) and are left out of `rate`;
 *   `rateIfAllCounted` is the rate if they all counted.
 * - `lateShipmentRate.last10Days` / `.last30Days`: seller-fulfilled orders ship-confirmed in the window, plus
 *   orders still open at `now` whose latest ship date fell in it; late = confirmed after the latest ship date,
 *   and every such open order; target 4%.
 * - `suppressionRisks`: each SKU with two or more counted seller cancellations (of different orders) in a row,
 *   with no shipment of the SKU between them, of orders placed in `[now - 30 days, now)` and cancelled before `now`.
 * Throws InvalidInputError naming the field for a bad `now` or a snapshot whose context is not an order's.
 * @example
 * const m = sellerMetrics([createOrder(input).snapshot], { now: '2026-11-27T00:00:00Z' });
 * m.cancellationRate.orders; // 1
 * m.cancellationRate.unattributed; // 0
 */
export function sellerMetrics(
  snapshots: ReadonlyArray<{ readonly context: OrderContext }>,
  options: { now: Instant },
): SellerMetrics {
  const { now } = parseOrThrow(MetricsOptions, options, 'metrics options');
  const orders = (quickSnapshots(snapshots) ?? parseOrThrow(Snapshots, snapshots, 'order snapshots', 'snapshots'))
    .map((s) => s.context)
    .filter((o) => o.fulfillmentChannel === 'MFN');
  return {
    now,
    cancellationRate: cancellationRate(orders, now),
    lateShipmentRate: { last10Days: lateShipmentRate(orders, now, 10), last30Days: lateShipmentRate(orders, now, 30) },
    suppressionRisks: suppressionRisks(orders, now),
  };
}
