import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellerMetrics } from '../../src/metrics/index.js';
import { createOrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import {
  emptyCounters,
  figuresOf,
  planSimulation,
  simulate,
  storedFigures,
  storedSnapshots,
  type SimulationFigures,
} from '../../src/sim/index.js';

// Enough orders for runs of seller cancellations on a SKU (offersAtRisk) and more than a page of the store (1,000).
const ORDERS = 1200;
const SEED = 11;
let dir: string;
let figures: SimulationFigures;

const run = (file: string, snapshotCache?: number) =>
  simulate({
    store: new SqliteStore({ filename: join(dir, file) }),
    orders: ORDERS,
    days: 7,
    seed: SEED,
    ...(snapshotCache === undefined ? {} : { snapshotCache }),
  });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sim-memory-'));
  figures = await run('default.db');
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('simulate with a bounded snapshot cache', () => {
  it('should give the same figures, as JSON, with a cache of one snapshot and with one that holds every order', async () => {
    const tiny = await run('tiny.db', 1);
    const huge = await run('huge.db', 1_000_000);
    expect(JSON.stringify(tiny)).toBe(JSON.stringify(figures));
    expect(JSON.stringify(huge)).toBe(JSON.stringify(figures));
  });

  it('should build, page by page, the figures figuresOf gives on every stored snapshot at once, and sellerMetrics its suppression risks', async () => {
    const service = await createOrderService({ store: new SqliteStore({ filename: join(dir, 'default.db') }) });
    try {
      const plan = planSimulation({ orders: ORDERS, days: 7, seed: SEED });
      const snapshots = await storedSnapshots(service);
      expect(snapshots).toHaveLength(ORDERS);
      const counters = emptyCounters();
      const paged = await storedFigures(plan, service, counters);
      const whole = figuresOf(plan, snapshots, counters);
      expect(paged).toEqual(whole);
      // The figures without the runner's counters are the run's.
      expect({ ...paged, events: figures.events, refusals: figures.refusals, amazon: figures.amazon }).toEqual({
        ...figures,
        sweeper: { ...emptyCounters().sweeper, autoCanceled: figures.sweeper.autoCanceled },
      });
      const metrics = sellerMetrics(snapshots, { now: plan.weekEnd });
      expect(paged.offersAtRisk.length).toBeGreaterThan(0);
      expect(paged.offersAtRisk).toEqual(
        metrics.suppressionRisks.map((risk) => ({
          sku: risk.sku,
          inARow: risk.cancellations.length,
          orderIds: risk.cancellations.map((c) => c.orderId),
        })),
      );
      expect(paged.cancellationRate).toMatchObject({
        rate: metrics.cancellationRate.rate,
        canceled: metrics.cancellationRate.canceled,
        orders: metrics.cancellationRate.orders,
        healthy: metrics.cancellationRate.healthy,
      });
      expect(paged.lateShipmentRate).toMatchObject({
        rate: metrics.lateShipmentRate.last10Days.rate,
        late: metrics.lateShipmentRate.last10Days.late,
        orders: metrics.lateShipmentRate.last10Days.orders,
        healthy: metrics.lateShipmentRate.last10Days.healthy,
      });
      paged.daily.forEach((day, i) => {
        const rate = sellerMetrics(snapshots, { now: plan.start + (i + 1) * 86_400_000 }).cancellationRate;
        expect(day).toMatchObject({ rate: rate.rate, canceled: rate.canceled, orders: rate.orders });
      });
    } finally {
      await service.close();
    }
  });
});
