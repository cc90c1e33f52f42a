import { afterEach, describe, expect, it, vi } from 'vitest';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { restoreDefault, tickDue } from '../../src/service/step-rows.js';
import { SweepWorker } from '../../src/service/sweep-worker-client.js';
import { MemoryStore, type OrderRow, type OrderStore } from '../../src/store/index.js';
import { buyerCancelUntil, orderInput, placedAt } from '../support/orders.js';
import { disagreements, overwriteSnapshot, storeKinds, type OpenedStore } from '../store/stores.js';

const ORDERS = 120;
const ids = Array.from({ length: ORDERS }, (_, i) => `w-${String(i).padStart(3, '0')}`);
/** Each order a minute after the one before, so that the sweep claims them in this order. */
const input = (i: number) => orderInput({ orderId: ids[i]!, placedAt: placedAt + i * 60_000 });
const afterAll = buyerCancelUntil + ORDERS * 60_000;
/**
 * Two rows that cannot be read, both in the first batch of 100: w-003 among the 45 the sweeping thread ticks,
 * w-095 among the 55 the worker thread ticks.
 */
const garbled = [ids[3]!, ids[95]!];

async function everything(store: OrderStore) {
  const rows = [];
  for (const id of ids) {
    rows.push({
      row: await store.getOrder(id),
      history: await store.history(id),
      outbox: (await store.outboxEntries(id)).map(({ id: _id, ...entry }) => entry),
    });
  }
  return rows;
}

describe('the sweep worker thread', () => {
  const opened: OpenedStore[] = [];
  const services: OrderService[] = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const service of services.splice(0)) await service.close().catch(() => {});
    for (const each of opened.splice(0)) await each.cleanup();
  });

  it('should tick rows on its thread as restoring and ticking them on this thread does, unreadable rows included', async () => {
    const store = new MemoryStore();
    const service = await createOrderService({ store });
    services.push(service);
    const rows: OrderRow[] = [];
    for (let i = 0; i < 4; i++) {
      await service.place(input(i));
      rows.push((await store.getOrder(ids[i]!))!);
    }
    rows[1] = { ...rows[1]!, snapshot: 'not json {' };
    const worker = new SweepWorker();
    try {
      const there = await worker.run(rows);
      const here = rows.map((row) => {
        const tick = tickDue(row, restoreDefault);
        return 'prepared' in tick ? { orderId: tick.orderId, prepared: tick.prepared } : tick;
      });
      expect(there).toEqual(here);
      expect(there[1]).toEqual({
        orderId: ids[1],
        failed: expect.stringMatching(
          /^Stored order "w-001" cannot be read: cannot restore an order from text that is not JSON/,
        ),
      });
      expect(there.filter((tick) => 'prepared' in tick)).toHaveLength(3);
    } finally {
      await worker.close();
    }
  });

  it('should reject what it owes when its thread ends, and take no more work', async () => {
    const store = new MemoryStore();
    const service = await createOrderService({ store });
    services.push(service);
    await service.place(input(0));
    const worker = new SweepWorker();
    const owed = worker.run([(await store.getOrder(ids[0]!))!]);
    await worker.close();
    await expect(owed).rejects.toThrow(/worker thread exited/);
    expect(worker.usable).toBe(false);
    await expect(worker.run([])).rejects.toThrow(/has failed or was closed/);
  });

  it('should sweep on one thread from then on when the worker thread cannot start', async () => {
    const start = vi
      .spyOn(SweepWorker.prototype as unknown as { start: () => unknown }, 'start')
      .mockImplementation(() => {
        throw new Error('no threads here');
      });
    const store = new MemoryStore();
    const service = await createOrderService({ store, now: () => placedAt });
    services.push(service);
    const many = Array.from({ length: 140 }, (_, i) => `s-${i}`);
    for (const [i, orderId] of many.entries())
      await service.place(orderInput({ orderId, placedAt: placedAt + i * 60_000 }));
    const swept = await service.sweep(buyerCancelUntil + many.length * 60_000, { batch: 70 });
    expect(swept).toEqual({ applied: many.length, remaining: 0, failed: [] });
    expect(start).toHaveBeenCalledTimes(1); // the second batch of 70 did not try again
    expect(await disagreements(store, many)).toEqual([]);
  });

  describe.each(storeKinds)('on the $name store', (kind) => {
    async function sweptTwice(options: { failWorker?: boolean } = {}) {
      const run = vi.spyOn(SweepWorker.prototype, 'run');
      if (options.failWorker) run.mockRejectedValue(new Error('the worker thread died'));
      const results = [];
      const answered: number[] = [];
      for (const sweepWorker of [true, false]) {
        const each = kind.open();
        opened.push(each);
        const service = await createOrderService({ store: each.store, now: () => placedAt, sweepWorker });
        services.push(service);
        for (let i = 0; i < ORDERS; i++) await service.place(input(i));
        for (const id of garbled) await overwriteSnapshot(each.store, id, 'not json {');
        const swept = await service.sweep(afterAll, { batch: 100 });
        results.push({ swept, stored: await everything(each.store), store: each.store });
      }
      // How many ticks the worker thread itself answered per request (0: it failed and the sweep stepped them).
      for (const result of run.mock.results)
        answered.push(((await (result.value as Promise<unknown[]>).catch(() => [])) as unknown[]).length);
      return { results, calls: run.mock.calls.length, answered };
    }

    it.skipIf(kind.skip)(
      'should write the same rows, history and outbox whether a worker thread ticks part of a large batch or not',
      async () => {
        const { results, calls, answered } = await sweptTwice();
        expect(calls).toBe(1); // the batch of 100; the last 20 rows are too few to share
        expect(answered).toEqual([55]);
        const [threaded, single] = results;
        expect(threaded!.swept).toEqual(single!.swept);
        expect(threaded!.swept.applied).toBe(ORDERS - 2);
        expect(threaded!.swept.failed.map((f) => f.orderId)).toEqual(garbled);
        expect(threaded!.stored).toEqual(single!.stored);
        expect(
          await disagreements(
            threaded!.store,
            ids.filter((id) => !garbled.includes(id)),
          ),
        ).toEqual([]);
      },
    );

    it.skipIf(kind.skip)('should tick every row itself when the worker thread fails', async () => {
      const { results, calls, answered } = await sweptTwice({ failWorker: true });
      expect(calls).toBe(1);
      expect(answered).toEqual([0]);
      const [threaded, single] = results;
      expect(threaded!.swept).toEqual(single!.swept);
      expect(threaded!.stored).toEqual(single!.stored);
    });
  });
});
