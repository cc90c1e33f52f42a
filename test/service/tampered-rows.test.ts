import { afterEach, describe, expect, it } from 'vitest';
import { restoreOrder, RestoreError, type OrderEventInput } from '../../src/index.js';
import { createOrderService, UnreadableOrderError, type OrderService } from '../../src/service/index.js';
import type { OrderRow, OrderStore } from '../../src/store/index.js';
import { buyerCancelUntil, minute, orderInput, placedAt } from '../support/orders.js';
import { disagreements } from '../store/stores.js';
import { faultyStore, sqlStoreKinds, type FaultyStore, type SqlStore } from './real-stores.js';

/** The last instant a Date holds. */
const LAST_INSTANT = 8_640_000_000_000_000;
const tick = (at: number): OrderEventInput => ({ type: 'clock.tick', at });

describe.each(sqlStoreKinds)('rows that disagree with their history or their snapshot on the $name store', (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** A store with three orders a minute apart (`bad` first, so that it heads the sweep's batch), and SQL to it. */
  async function setup(): Promise<{
    opened: SqlStore;
    store: FaultyStore;
    service: OrderService;
    fresh: () => Promise<OrderService>;
  }> {
    const opened = kind.open();
    cleanups.push(() => opened.cleanup());
    const store = faultyStore(opened.store);
    const service = await createOrderService({ store });
    cleanups.push(() => service.close());
    for (const [i, orderId] of ['bad', 'ok-1', 'ok-2'].entries())
      await service.place(orderInput({ orderId, placedAt: placedAt + i * 60_000 }));
    // Another service on the same data keeps no snapshot of these orders: it reads every row from scratch.
    const fresh = async () => {
      const other = await createOrderService({ store: opened.reopen() });
      cleanups.push(() => other.close());
      return other;
    };
    return { opened, store, service, fresh };
  }

  /** Checks that `bad` is refused by name everywhere, left as it was, and that a sweep ticks the others. */
  async function expectUnreadable(
    opened: SqlStore,
    services: OrderService[],
    message: RegExp,
    options: { swept: boolean },
  ) {
    const before: OrderRow | null = await opened.store.getOrder('bad');
    const history = await opened.store.history('bad');
    const outbox = await opened.store.outboxEntries('bad');
    for (const service of services) {
      const got = await service.get('bad').catch((e: unknown) => e);
      expect(got).toBeInstanceOf(UnreadableOrderError);
      expect((got as UnreadableOrderError).orderId).toBe('bad');
      expect((got as Error).message).toMatch(message);
      await expect(service.apply('bad', tick(minute(90)))).rejects.toThrow(message);
      await expect(service.apply('bad', tick(minute(91)), { idempotencyKey: 'k' })).rejects.toThrow(
        UnreadableOrderError,
      );
    }
    const swept = await services[0]!.sweep(buyerCancelUntil + 2 * 60_000);
    expect(swept.applied).toBe(2);
    expect(swept.failed).toEqual(options.swept ? [{ orderId: 'bad', message: expect.stringMatching(message) }] : []);
    expect(await opened.store.getOrder('bad')).toEqual(before);
    expect(await opened.store.history('bad')).toEqual(history);
    expect(await opened.store.outboxEntries('bad')).toEqual(outbox);
    for (const orderId of ['ok-1', 'ok-2']) expect((await services[0]!.get(orderId))!.status).toBe('unshipped');
    expect(await disagreements(opened.store, ['ok-1', 'ok-2'])).toEqual([]);
  }

  it.skipIf(kind.skip)(
    'should fail only the order whose row is behind its history: listed by the sweep, refused by apply at once',
    async () => {
      const { opened, store, service } = await setup();
      // Two refused events at the order's own instant: the history goes on to seq 3, the version stays 1.
      for (let i = 0; i < 2; i++)
        await service.apply('bad', { type: 'seller.cancel', at: placedAt, reason: 'NoInventory' });
      await opened.sql('UPDATE orders SET seq = 2 WHERE order_id = ?', 'bad');
      const before = (await opened.store.getOrder('bad'))!;

      const attempts = store.transactions;
      const error = await service.apply('bad', tick(minute(31)), { idempotencyKey: 'k' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UnreadableOrderError);
      expect((error as Error).message).toBe(
        'Stored order "bad" cannot be read: its row is at seq 2 but its history goes on to seq 3, so no event can be recorded after it until the row is repaired.',
      );
      expect(store.transactions - attempts).toBe(1);

      const swept = await service.sweep(buyerCancelUntil + 2 * 60_000);
      expect(swept).toEqual({
        applied: 2,
        remaining: 1,
        failed: [{ orderId: 'bad', message: (error as Error).message }],
      });
      expect(await opened.store.getOrder('bad')).toEqual(before);
      expect(await opened.store.history('bad')).toHaveLength(3);
      expect(await opened.store.outboxEntries('bad')).toEqual([]);
      expect(await disagreements(opened.store, ['ok-1', 'ok-2'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)("should refuse a row holding another order's snapshot", async () => {
    const { opened, service, fresh } = await setup();
    await opened.sql(
      'UPDATE orders SET snapshot = (SELECT snapshot FROM orders WHERE order_id = ?) WHERE order_id = ?',
      'ok-2',
      'bad',
    );
    await opened.sql('UPDATE orders SET next_deadline = ? WHERE order_id = ?', buyerCancelUntil + 2 * 60_000, 'bad');
    await expectUnreadable(
      opened,
      [service, await fresh()],
      /^Stored order "bad" cannot be read: its row holds the snapshot of order "ok-2"\.$/,
      { swept: true },
    );
  });

  it.skipIf(kind.skip)('should refuse a row whose clock is past the last instant a Date holds', async () => {
    const { opened, service, fresh } = await setup();
    // A cancelled order has no deadline left, so nothing else in it contradicts so late a clock.
    await service.apply('bad', { type: 'buyer.cancel', at: minute(5) });
    const stored = JSON.parse((await opened.store.getOrder('bad'))!.snapshot);
    stored.context.clock = LAST_INSTANT + 1;
    const text = JSON.stringify(stored);
    expect(() => restoreOrder(text)).toThrow(RestoreError);
    expect(() => restoreOrder({ ...stored, context: { ...stored.context, clock: LAST_INSTANT } })).not.toThrow();
    await opened.sql('UPDATE orders SET snapshot = ? WHERE order_id = ?', text, 'bad');
    await expectUnreadable(
      opened,
      [service, await fresh()],
      /^Stored order "bad" cannot be read: .*context\.clock is 8640000000000001, expected at most 8640000000000000/,
      {
        swept: false,
      },
    );
  });

  it.skipIf(kind.skip)('should refuse a row whose status column disagrees with its snapshot', async () => {
    const { opened, service, fresh } = await setup();
    await opened.sql("UPDATE orders SET status = 'shipped' WHERE order_id = ?", 'bad');
    await expectUnreadable(
      opened,
      [service, await fresh()],
      /^Stored order "bad" cannot be read: its status column is "shipped", but its snapshot's status is "buyer-cancellable"\.$/,
      {
        swept: true,
      },
    );
  });

  it.skipIf(kind.skip)('should refuse a row whose version column is not one its history could have given', async () => {
    const { opened, service, fresh } = await setup();
    await opened.sql('UPDATE orders SET version = 7 WHERE order_id = ?', 'bad');
    await expectUnreadable(
      opened,
      [service, await fresh()],
      /^Stored order "bad" cannot be read: its version column is 7, expected a whole number from 1 to its seq 1\.$/,
      {
        swept: true,
      },
    );
  });

  it.skipIf(kind.skip)('should refuse a row whose version column is 0', async () => {
    const { opened, service, fresh } = await setup();
    await opened.sql('UPDATE orders SET version = 0 WHERE order_id = ?', 'bad');
    await expectUnreadable(
      opened,
      [service, await fresh()],
      /its version column is 0, expected a whole number from 1 to its seq 1\.$/,
      { swept: true },
    );
  });

  it.skipIf(kind.skip)(
    'should refuse a row whose next_deadline column is NULL while its snapshot has a deadline',
    async () => {
      const { opened, service, fresh } = await setup();
      await opened.sql('UPDATE orders SET next_deadline = NULL WHERE order_id = ?', 'bad');
      // A sweep reads due rows only, so it never sees this one; every read of it refuses it.
      await expectUnreadable(
        opened,
        [service, await fresh()],
        new RegExp(`its next_deadline column is null, but its snapshot's next deadline is ${buyerCancelUntil}\\.$`),
        {
          swept: false,
        },
      );
    },
  );

  it.skipIf(kind.skip)('should refuse a row whose next_deadline column is earlier than its snapshot says', async () => {
    const { opened, service, fresh } = await setup();
    await opened.sql('UPDATE orders SET next_deadline = ? WHERE order_id = ?', placedAt, 'bad');
    await expectUnreadable(
      opened,
      [service, await fresh()],
      new RegExp(
        `its next_deadline column is ${placedAt}, but its snapshot's next deadline is ${buyerCancelUntil}\\.$`,
      ),
      {
        swept: true,
      },
    );
  });
});

describe('rows that disagree with their snapshot, beside a migrated one', () => {
  it('should read an upgraded row by its id, seq and version only, since its older columns are rewritten by its next write', async () => {
    const { MemoryStore } = await import('../../src/store/index.js');
    const store: OrderStore = new MemoryStore();
    const service = await createOrderService({ store });
    await service.place(orderInput({ orderId: 'old' }));
    const row = (await store.getOrder('old'))!;
    const current = JSON.parse(row.snapshot);
    const older = JSON.stringify({ ...current, schemaVersion: current.schemaVersion - 1 });
    await store.transaction(async (tx) => {
      await tx.updateOrder({ ...row, snapshot: older, nextDeadline: null }, row.seq);
    });
    const upgraded = await createOrderService({
      store,
      migrate: (data) => ({ ...data, schemaVersion: current.schemaVersion }),
    });
    expect((await upgraded.get('old'))!.nextDeadline).toBe(buyerCancelUntil);
    expect((await upgraded.apply('old', tick(buyerCancelUntil))).status).toBe('unshipped');
    expect((await store.getOrder('old'))!.nextDeadline).not.toBeNull();
  });
});
