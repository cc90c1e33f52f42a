import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrderStatus } from '../../src/index.js';
import { sellerMetrics } from '../../src/metrics/index.js';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import {
  SimulationRunner,
  planSimulation,
  runClock,
  simulationNow,
  scenarioKinds,
  simulate,
  storedSnapshots,
  type SimulationFigures,
} from '../../src/sim/index.js';
import { eventsFromNotification } from '../../src/amazon/index.js';

const ORDERS = 400;
let dir: string;
let figures: SimulationFigures;
let service: OrderService;

const run = (file: string, seed: number) =>
  simulate({ store: new SqliteStore({ filename: join(dir, file) }), orders: ORDERS, days: 7, seed });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-engine-'));
  figures = await run('first.db', 7);
  service = await createOrderService({ store: new SqliteStore({ filename: join(dir, 'first.db') }) });
});

afterAll(async () => {
  await service?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('simulate', () => {
  it('should give the same figures, as JSON, for the same seed and different ones for another seed', async () => {
    const again = await run('again.db', 7);
    const other = await run('other.db', 8);
    expect(JSON.stringify(again)).toBe(JSON.stringify(figures));
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(figures));
  });

  it('should plan every scenario kind and place every order', () => {
    for (const kind of scenarioKinds) expect(figures.scenarios[kind], kind).toBeGreaterThan(0);
    expect(Object.values(figures.scenarios).reduce((a, b) => a + b, 0)).toBe(ORDERS);
    expect(Object.values(figures.states).reduce((a, b) => a + b, 0)).toBe(ORDERS);
  });

  it('should show every scenario kind in the figures', () => {
    const s = figures.scenarios;
    // Every order settled: shipped, cancelled or auto-cancelled.
    expect(figures.states['buyer-cancellable'] + figures.states.unshipped + figures.states['label-generated']).toBe(0);
    expect(figures.cancellations.byReason['BuyerSelfCanceled']).toBe(s.buyerSelfCancel);
    expect(figures.cancellations.byReason['BuyerCanceled']).toBe(s.officialRequest + s.officialMessage + s.messageOnly);
    // Whole-order stock-outs from the feeds and one item of each partial cancel.
    expect(figures.cancellations.byReason['NoInventory']).toBe(s.noInventory + s.partialCancel);
    expect(figures.cancellations.byReason['NotShippedInTime']).toBe(s.forgotten);
    expect(figures.cancellations.byReason['MarketplaceCanceled']).toBe(s.marketplaceCancel);
    expect(figures.cancellations.byWho).toEqual({
      buyer: s.buyerSelfCancel,
      seller: s.officialRequest + s.officialMessage + s.messageOnly + s.noInventory + s.partialCancel,
      marketplace: s.marketplaceCancel,
      auto: s.forgotten,
    });
    // Message-only requests are not official: their BuyerCanceled cancels count, and so do stock-outs and auto-cancels.
    expect(figures.cancellations.counted).toBe(s.messageOnly + s.noInventory + s.partialCancel + s.forgotten);
    // Late asks: a buyer cancel after the window and a request after the label, both refused.
    expect(figures.refusals).toEqual({ BUYER_WINDOW_CLOSED: s.lateAsk, LABEL_GENERATED: s.lateAsk });
    expect(figures.lateShipmentRate.late).toBeGreaterThan(0);
    expect(figures.offersAtRisk.length).toBeGreaterThan(0);
    expect(figures.daily).toHaveLength(7);
  });

  it('should report the states the store lists, status by status', async () => {
    for (const [status, count] of Object.entries(figures.states)) {
      let listed = 0;
      let afterId: string | undefined;
      for (;;) {
        const page = await service.list({
          status: status as OrderStatus,
          limit: 1000,
          ...(afterId ? { afterId } : {}),
        });
        listed += page.length;
        if (page.length < 1000) break;
        afterId = page.at(-1)!.orderId;
      }
      expect(listed, status).toBe(count);
    }
  });

  it('should report the Cancellation Rate and daily rates that sellerMetrics gives on the stored snapshots', async () => {
    const snapshots = await storedSnapshots(service);
    const plan = planSimulation({ orders: ORDERS, days: 7, seed: 7 });
    const metrics = sellerMetrics(snapshots, { now: plan.weekEnd });
    expect(figures.cancellationRate.rate).toBe(metrics.cancellationRate.rate);
    expect(figures.cancellationRate.canceled).toBe(metrics.cancellationRate.canceled);
    expect(figures.lateShipmentRate.late).toBe(metrics.lateShipmentRate.last10Days.late);
    expect(figures.offersAtRisk.map((r) => r.sku)).toEqual(metrics.suppressionRisks.map((r) => r.sku));
    const day3 = sellerMetrics(snapshots, { now: plan.start + 3 * 86_400_000 }).cancellationRate;
    expect(figures.daily[2]).toMatchObject({ rate: day3.rate, canceled: day3.canceled, orders: day3.orders });
  });

  it('should auto-cancel only through the sweeper: a clock.tick the service applied at the deadline', async () => {
    const plan = planSimulation({ orders: ORDERS, days: 7, seed: 7 });
    expect(plan.actions.some((a) => a.kind === 'apply' && a.event.type === 'clock.tick')).toBe(false);
    const autoCanceled = await service.list({ status: 'auto-canceled', limit: 1000 });
    expect(autoCanceled.length).toBe(figures.sweeper.autoCanceled);
    for (const listing of autoCanceled) {
      const rows = await service.history(listing.orderId);
      const moved = rows.filter((row) => row.statusAfter === 'auto-canceled' && row.statusBefore !== 'auto-canceled');
      expect(moved).toHaveLength(1);
      expect(moved[0]!.event.type).toBe('clock.tick');
      const stored = (await service.get(listing.orderId))!;
      // Recorded when the sweeper's clock reached the deadline, never before it.
      expect(moved[0]!.recordedAt).toBeGreaterThanOrEqual(stored.snapshot.context.autoCancelAt!);
    }
    expect(figures.sweeper.ticks).toBeGreaterThanOrEqual(ORDERS - figures.scenarios.buyerSelfCancel);
  });

  it('should apply ORDER_CHANGE notifications and cancellation feeds through the Amazon adapters', async () => {
    const plan = planSimulation({ orders: ORDERS, days: 7, seed: 7 });
    const notifications = plan.actions.filter((a) => a.kind === 'notify');
    const feeds = plan.actions.filter((a) => a.kind === 'feed');
    const s = figures.scenarios;
    expect(figures.amazon.notifications.received).toBe(notifications.length);
    expect(notifications.length).toBe(s.officialRequest + s.afn + s.marketplaceCancel);
    expect(figures.amazon.feeds.applied).toBe(feeds.length);
    expect(feeds.length).toBeGreaterThan(0);
    expect(figures.amazon.feeds).toMatchObject({
      messages: s.noInventory,
      successful: s.noInventory,
      errors: 0,
      warnings: 0,
    });
    const snapshots = await storedSnapshots(service);
    const ids = snapshots.flatMap((snapshot) => snapshot.context.eventIds);
    expect(ids.filter((id) => id.startsWith('amzn-feed:sim-7-day-'))).toHaveLength(s.noInventory);
    expect(ids.filter((id) => /^amzn:[^:]+:shipped$/.test(id))).toHaveLength(s.afn);
    expect(ids.filter((id) => /^amzn:[^:]+:canceled$/.test(id))).toHaveLength(s.marketplaceCancel);
    // Each notification also says whether Amazon holds the order (Pending) or lets the seller act (Unshipped).
    const readiness = notifications
      .flatMap((a) => eventsFromNotification(a.notification).events)
      .filter((event) => event.type === 'marketplace.statusReported').length;
    expect(ids.filter((id) => id.includes(':buyer-request:')).length).toBe(
      figures.amazon.notifications.events - s.afn - s.marketplaceCancel - readiness,
    );
    const afn = snapshots.filter((snapshot) => snapshot.context.fulfillmentChannel === 'AFN');
    expect(afn).toHaveLength(s.afn);
    expect(afn.every((snapshot) => snapshot.context.shipmentSource === 'marketplace')).toBe(true);
  });

  it('should record history at the simulated instants, not the wall clock', async () => {
    const [first] = await service.list({ limit: 1 });
    const rows = await service.history(first!.orderId);
    const plan = planSimulation({ orders: ORDERS, days: 7, seed: 7 });
    for (const row of rows) {
      expect(row.recordedAt).toBeGreaterThanOrEqual(plan.start);
      expect(row.recordedAt).toBeLessThanOrEqual(plan.end);
    }
  });

  it("should record every order's requests at their own planned instants, in order, though requests of many orders are in flight together", async () => {
    const plan = planSimulation({ orders: ORDERS, days: 7, seed: 7 });
    const planned = new Map<string, number[]>();
    const plannedFor = (orderId: string) => planned.get(orderId) ?? planned.set(orderId, []).get(orderId)!;
    for (const action of plan.actions) {
      if (action.kind === 'place') plannedFor(action.input.orderId).push(action.at);
      else if (action.kind === 'feed')
        for (const cancellation of action.cancellations) plannedFor(cancellation.orderId).push(action.at);
      else plannedFor(action.orderId).push(action.at);
    }
    let checked = 0;
    for (const [orderId, instants] of planned) {
      const rows = (await service.history(orderId)).filter((row) => row.event.type !== 'clock.tick');
      // A notification may carry several events, each recorded at its instant: compare the distinct instants.
      expect([...new Set(rows.map((row) => row.recordedAt))], orderId).toEqual([...new Set(instants)]);
      expect(
        rows.map((row) => row.recordedAt),
        orderId,
      ).toEqual([...rows.map((row) => row.recordedAt)].sort((a, b) => a - b));
      checked++;
    }
    expect(checked).toBe(ORDERS);
  });

  it("should send each request at its action's instant, one order's requests in turn, many orders' at once and a feed's alone", async () => {
    // A busy day: notifications with several events meet other orders' requests in the same clock step. The feed
    // comes at the start of a step; moved into the middle of one, it has requests before and after it.
    const planned = planSimulation({ orders: 3000, days: 1, seed: 7 });
    const actions = planned.actions
      .map((action) => (action.kind === 'feed' ? { ...action, at: action.at + 7 * 60_000 } : action))
      .sort((a, b) => a.at - b.at);
    const plan = { ...planned, actions };
    const clock = { now: plan.start };
    const now = simulationNow(clock);
    const seen = new Map<string, number[]>();
    const busy = new Set<string>();
    const inFlight = { feed: 0, other: 0 };
    let most = 0;
    const overlapping: string[] = [];
    const besideFeeds: string[] = [];
    // A service that answers a macrotask later and records its clock at each request: the runner's scheduling alone.
    const request = async (orderId: string, fromFeed = false) => {
      (seen.get(orderId) ?? seen.set(orderId, []).get(orderId)!).push(now());
      if (busy.has(orderId)) overlapping.push(orderId);
      if (fromFeed ? inFlight.other > 0 : inFlight.feed > 0) besideFeeds.push(orderId);
      busy.add(orderId);
      inFlight[fromFeed ? 'feed' : 'other']++;
      most = Math.max(most, inFlight.other);
      await new Promise((done) => setImmediate(done));
      busy.delete(orderId);
      inFlight[fromFeed ? 'feed' : 'other']--;
      return { verdict: { accepted: true } };
    };
    // applyFeed reads an order to cancel what remains of each item the acknowledgement names (it has no Quantity).
    const itemsOf = new Map(
      plan.actions.flatMap((action) =>
        action.kind === 'place' ? [[action.input.orderId, action.input.items] as const] : [],
      ),
    );
    const recording = {
      place: (input: { orderId: string }) => request(input.orderId),
      get: async (orderId: string) => ({
        snapshot: {
          context: { items: (itemsOf.get(orderId) ?? []).map((item) => ({ ...item, quantityCanceled: 0 })) },
        },
      }),
      // applyFeed's events carry an eventId of the feed's message.
      apply: (orderId: string, event: { eventId?: string }) =>
        request(orderId, event.eventId?.startsWith('amzn-feed') === true),
      sweep: async () => ({ applied: 0, remaining: 0, failed: [] }),
    } as unknown as OrderService;
    const runner = new SimulationRunner(recording, plan, clock);
    await runClock(plan, async (at) => {
      await runner.runUntil(at);
    });
    const expected = new Map<string, number[]>();
    let feedRequests = 0;
    for (const action of plan.actions) {
      const orderIds =
        action.kind === 'feed'
          ? action.cancellations.map((c) => c.orderId)
          : [action.kind === 'place' ? action.input.orderId : action.orderId];
      const times =
        action.kind === 'notify'
          ? eventsFromNotification(JSON.parse(JSON.stringify(action.notification))).events.length
          : 1;
      if (action.kind === 'feed') feedRequests += orderIds.length;
      for (const orderId of orderIds)
        (expected.get(orderId) ?? expected.set(orderId, []).get(orderId)!).push(
          ...Array<number>(times).fill(action.at),
        );
    }
    expect(seen).toEqual(expected);
    expect(overlapping).toEqual([]);
    expect(feedRequests).toBeGreaterThan(0);
    expect(besideFeeds).toEqual([]);
    expect(most).toBeGreaterThan(1);
  });
});
