import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrderService, type OrderService, type OutboxItem } from '../../src/service/index.js';
import type { OrderStore } from '../../src/store/index.js';
import { minute, orderInput, placedAt } from '../support/orders.js';
import { disagreements, storeKinds, type OpenedStore } from '../store/stores.js';

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

const LEASE = 60_000;

describe.each(storeKinds)('outbox drains whose lease ran out, on the $name store', (kind) => {
  let opened: OpenedStore;
  let store: OrderStore;
  let service: OrderService;
  let clock: number;
  /** Every handler call that returned: which drainer delivered which effect. */
  let delivered: string[];

  beforeEach(async () => {
    if (kind.skip) return;
    opened = kind.open();
    store = opened.store;
    clock = placedAt;
    service = await createOrderService({ store, now: () => clock });
    delivered = [];
    await service.place(orderInput({ orderId: 'a' }));
    // A buyer cancel in the window emits three effects, in this order.
    await service.apply('a', { type: 'buyer.cancel', at: minute(1) });
  });
  afterEach(async () => {
    if (kind.skip) return;
    expect(await disagreements(store, ['a'])).toEqual([]);
    await opened.cleanup();
  });

  const name = (item: OutboxItem) => item.effect.type;
  /** A handler for drainer `who` that holds its first call until `release` opens, then throws `fail` or returns. */
  const slowFirst = (who: string, release: Promise<void>, started: () => void, fail?: string) => {
    let calls = 0;
    return async (item: OutboxItem) => {
      if (calls++ === 0) {
        started();
        await release;
        if (fail) throw new Error(fail);
      }
      delivered.push(`${who}:${name(item)}`);
    };
  };
  const quick = (who: string) => (item: OutboxItem) => {
    delivered.push(`${who}:${name(item)}`);
  };

  it.skipIf(kind.skip)(
    'should ignore the late failure of a drainer whose lease ran out: the effect another drainer delivered is not delivered again',
    async () => {
      const release = gate();
      const started = gate();
      const late = service.outbox.drain(slowFirst('late', release.opened, started.open, 'mail server timed out'), {
        leaseMs: LEASE,
        backoffMs: 0,
      });
      await started.opened;
      // The late drainer's handler hangs past its lease: a second drainer takes the effects over and delivers them.
      clock += LEASE + 1;
      expect(await service.outbox.drain(quick('second'), { leaseMs: LEASE })).toEqual({
        delivered: 3,
        failed: 0,
        parked: [],
      });
      // Now the late handler fails. Its outcome is stale and changes nothing, so nothing is delivered again.
      release.open();
      expect(await late).toEqual({ delivered: 0, failed: 1, parked: [] });
      expect(await service.outbox.drain(quick('third'), { leaseMs: LEASE })).toEqual({
        delivered: 0,
        failed: 0,
        parked: [],
      });
      clock += 24 * 3_600_000;
      expect(await service.outbox.drain(quick('third'), { leaseMs: LEASE })).toEqual({
        delivered: 0,
        failed: 0,
        parked: [],
      });
      expect(delivered).toEqual(['second:buyer.notified', 'second:seller.notified', 'second:items.refunded']);
      expect((await store.outboxEntries('a')).map((e) => [e.state, e.attempts, e.lastError])).toEqual([
        ['done', 0, null],
        ['done', 0, null],
        ['done', 0, null],
      ]);
    },
  );

  it.skipIf(kind.skip)('should hand out no more of its batch once a drainer finds its lease ran out', async () => {
    const release = gate();
    const started = gate();
    const late = service.outbox.drain(slowFirst('late', release.opened, started.open), {
      leaseMs: LEASE,
      backoffMs: 0,
    });
    await started.opened;
    clock += LEASE + 1;
    expect(await service.outbox.drain(quick('second'), { leaseMs: LEASE })).toEqual({
      delivered: 3,
      failed: 0,
      parked: [],
    });
    // The late handler returns: its first effect was delivered twice (at least once), but its completion is stale,
    // and it does not go on to deliver the two later effects of its batch, which the second drainer delivered.
    release.open();
    expect(await late).toEqual({ delivered: 1, failed: 0, parked: [] });
    expect(delivered).toEqual([
      'second:buyer.notified',
      'second:seller.notified',
      'second:items.refunded',
      'late:buyer.notified',
    ]);
    expect((await store.outboxEntries('a')).map((e) => e.state)).toEqual(['done', 'done', 'done']);
  });

  it.skipIf(kind.skip)(
    'should record the outcome of a drainer that outlived its lease when no other drainer claimed the effects since',
    async () => {
      const release = gate();
      const started = gate();
      const late = service.outbox.drain(slowFirst('late', release.opened, started.open), {
        leaseMs: LEASE,
        backoffMs: 0,
      });
      await started.opened;
      // The lease ran out, but nobody claimed the rows: the late drainer's claim is still the current one.
      clock += LEASE + 1;
      release.open();
      expect(await late).toEqual({ delivered: 3, failed: 0, parked: [] });
      expect(delivered).toEqual(['late:buyer.notified', 'late:seller.notified', 'late:items.refunded']);
      expect(await service.outbox.drain(quick('second'), { leaseMs: LEASE })).toEqual({
        delivered: 0,
        failed: 0,
        parked: [],
      });
    },
  );
});
