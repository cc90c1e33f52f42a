import { afterEach, describe, expect, it } from 'vitest';
import type { OrderEventInput } from '../../src/index.js';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { resolveBackoff, retryDelay } from '../../src/service/retry.js';
import { StoreBusyError, StoreConnectionError, type OrderStore } from '../../src/store/index.js';
import { buyerCancelUntil, minute, orderInput } from '../support/orders.js';
import { disagreements } from '../store/stores.js';
import { faultyStore, sqlStoreKinds, type SqlStore } from './real-stores.js';

const WRITERS = 24;
const ORDERS = 4;
const WRITES = 50;
const hot = Array.from({ length: ORDERS }, (_, i) => `hot-${i}`);
/** Writer `w`'s `k`-th write: a tick at an instant no other write uses, so the history shows each write once. */
const instant = (w: number, k: number) => buyerCancelUntil + (w * WRITES + k) * 1_000;

describe.each(sqlStoreKinds)('retries on the $name store', (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const open = (): SqlStore => {
    const opened = kind.open();
    cleanups.push(() => opened.cleanup());
    return opened;
  };
  const serviceOn = async (store: OrderStore, options: { maxRetries?: number } = {}): Promise<OrderService> => {
    const service = await createOrderService({ store, ...options });
    cleanups.push(() => service.close());
    return service;
  };

  it.skipIf(kind.skip)(
    `should apply every write of ${WRITERS} concurrent writers on ${ORDERS} orders exactly once`,
    async () => {
      const opened = open();
      // Four services on four stores (connection pools) of the same data, six writers each.
      const services = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          createOrderService({ store: i === 0 ? opened.store : opened.reopen({ max: 6 }) }),
        ),
      );
      for (const orderId of hot) await services[0]!.place(orderInput({ orderId }));
      const writer = async (w: number) => {
        const service = services[w % services.length]!;
        const orderId = hot[w % ORDERS]!;
        for (let k = 0; k < WRITES; k++) await service.apply(orderId, { type: 'clock.tick', at: instant(w, k) });
      };
      const outcomes = await Promise.allSettled(Array.from({ length: WRITERS }, (_, w) => writer(w)));
      expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
      for (const [i, orderId] of hot.entries()) {
        const history = await services[0]!.history(orderId);
        const expected = Array.from({ length: WRITERS }, (_, w) => w)
          .filter((w) => w % ORDERS === i)
          .flatMap((w) => Array.from({ length: WRITES }, (_, k) => instant(w, k)));
        const written = history.slice(1).map((row) => (row.event as { at: number }).at);
        expect(written.sort((a, b) => a - b)).toEqual(expected.sort((a, b) => a - b));
      }
      expect(await disagreements(opened.store, hot)).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should retry a transaction whose connection was lost before COMMIT and apply it once',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      store.faults.push('lost before commit', 'lost before commit');
      const placed = await service.place(orderInput({ orderId: 'c-1' }));
      expect(placed).toMatchObject({ orderId: 'c-1', version: 1 });
      // `unknown` is retried only for a request that cannot apply twice: this one has a key.
      store.faults.push('lost before commit', 'lost during commit, not committed');
      const applied = await service.apply(
        'c-1',
        { type: 'seller.generateLabel', at: minute(40) },
        { idempotencyKey: 'label' },
      );
      expect(applied).toMatchObject({ status: 'label-generated', version: 2 });
      expect(store.transactions).toBe(6);
      expect((await service.history('c-1')).map((row) => row.event.type)).toEqual([
        'order.place',
        'seller.generateLabel',
      ]);
      expect(await disagreements(opened.store, ['c-1'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should retry a place whose COMMIT went through unacknowledged and answer with the order placed once',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      store.faults.push('lost during commit, committed');
      const placed = await service.place(orderInput({ orderId: 'c-2' }));
      expect(placed).toMatchObject({ orderId: 'c-2', status: 'buyer-cancellable', version: 1, effects: [] });
      expect(store.transactions).toBe(2);
      expect(await opened.store.history('c-2')).toHaveLength(1);
      expect(await disagreements(opened.store, ['c-2'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should retry an event with an idempotency key whose COMMIT went through unacknowledged and return its first result',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      await service.place(orderInput({ orderId: 'c-3' }));
      store.faults.push('lost during commit, committed');
      const cancelled = await service.apply(
        'c-3',
        { type: 'buyer.cancel', at: minute(5) },
        { idempotencyKey: 'cancel-1' },
      );
      expect(cancelled).toMatchObject({ status: 'canceled', version: 2 });
      expect(cancelled.verdict.accepted).toBe(true);
      expect(cancelled.effects).toHaveLength(3);
      expect(await opened.store.history('c-3')).toHaveLength(2);
      expect(await opened.store.outboxEntries('c-3')).toHaveLength(3);
      expect(await disagreements(opened.store, ['c-3'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should retry an event with an eventId whose COMMIT went through unacknowledged and apply it once',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      await service.place(orderInput({ orderId: 'c-4' }));
      store.faults.push('lost during commit, committed');
      const labelled = await service.apply('c-4', {
        type: 'seller.generateLabel',
        at: minute(40),
        eventId: 'label-1',
      } as OrderEventInput);
      // The retry found the event applied by the attempt whose answer was lost.
      expect(labelled).toMatchObject({ status: 'label-generated', version: 2, verdict: { duplicate: true } });
      expect((await opened.store.history('c-4')).map((row) => JSON.parse(row.event).type)).toEqual([
        'order.place',
        'seller.generateLabel',
      ]);
      expect(await disagreements(opened.store, ['c-4'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should retry a refused event with an eventId whose COMMIT went through unacknowledged and record it once, with its first verdict',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      await service.place(orderInput({ orderId: 'c-8' }));
      store.faults.push('lost during commit, committed');
      // A label inside the buyer's window is refused; the order does not remember a refused event's id.
      const refused = await service.apply('c-8', {
        type: 'seller.generateLabel',
        at: minute(10),
        eventId: 'label-early',
      } as OrderEventInput);
      expect(refused).toMatchObject({
        status: 'buyer-cancellable',
        version: 1,
        effects: [],
        verdict: { accepted: false, duplicate: true },
      });
      const history = await opened.store.history('c-8');
      expect(history.map((row) => [JSON.parse(row.event).type, JSON.parse(row.verdict).accepted])).toEqual([
        ['order.place', true],
        ['seller.generateLabel', false],
      ]);
      expect(await disagreements(opened.store, ['c-8'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should not retry an event without key or eventId after a COMMIT of unknown outcome, and surface the error',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      await service.place(orderInput({ orderId: 'c-5' }));
      const before = store.transactions;
      store.faults.push('lost during commit, committed');
      const error = await service.apply('c-5', { type: 'clock.tick', at: minute(31) }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreConnectionError);
      expect((error as StoreConnectionError).committed).toBe('unknown');
      expect(store.transactions - before).toBe(1);
      // It was applied once: retrying it would have recorded the tick twice.
      expect(await opened.store.history('c-5')).toHaveLength(2);
      expect(await disagreements(opened.store, ['c-5'])).toEqual([]);
    },
  );

  it.skipIf(kind.skip)('should surface StoreBusyError at once and write nothing', async () => {
    const opened = open();
    const store = faultyStore(opened.store);
    const service = await serviceOn(store);
    await service.place(orderInput({ orderId: 'c-6' }));
    const before = store.transactions;
    store.faults.push('busy', 'busy');
    await expect(
      service.apply('c-6', { type: 'clock.tick', at: minute(31) }, { idempotencyKey: 'k' }),
    ).rejects.toBeInstanceOf(StoreBusyError);
    await expect(service.sweep(buyerCancelUntil)).rejects.toBeInstanceOf(StoreBusyError);
    expect(store.transactions - before).toBe(2);
    expect(await opened.store.history('c-6')).toHaveLength(1);
  });

  it.skipIf(kind.skip)(
    'should retry a sweep batch whose connection was lost, before or during COMMIT, and tick each order once',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store);
      const ids = ['s-1', 's-2', 's-3'];
      for (const orderId of ids) await service.place(orderInput({ orderId }));
      store.faults.push('lost before commit', 'lost during commit, committed', 'lost during commit, not committed');
      const swept = await service.sweep(buyerCancelUntil, { batch: 2 });
      expect(swept.failed).toEqual([]);
      expect(swept.remaining).toBe(0);
      for (const orderId of ids) {
        expect((await service.history(orderId)).map((row) => row.event.type)).toEqual(['order.place', 'clock.tick']);
      }
      expect(await disagreements(opened.store, ids)).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should give up on a connection that stays lost after maxRetries and surface its error',
    async () => {
      const opened = open();
      const store = faultyStore(opened.store);
      const service = await serviceOn(store, { maxRetries: 3 });
      await service.place(orderInput({ orderId: 'c-7' }));
      const before = store.transactions;
      store.faults.push(...Array.from({ length: 10 }, () => 'lost before commit' as const));
      await expect(service.apply('c-7', { type: 'clock.tick', at: minute(31) })).rejects.toBeInstanceOf(
        StoreConnectionError,
      );
      expect(store.transactions - before).toBe(4);
      expect(await opened.store.history('c-7')).toHaveLength(1);
    },
  );
});

describe('the wait before a retry', () => {
  it('should be a random time from 0 up to a ceiling that doubles per retry from baseMs and stops at maxMs', () => {
    const backoff = resolveBackoff({ baseMs: 5, maxMs: 1_000 });
    const almostOne = () => 0.999_999;
    expect([0, 1, 2, 3, 7, 8, 60, 5_000].map((retry) => retryDelay(retry, backoff, almostOne))).toEqual([
      4, 9, 19, 39, 639, 999, 999, 999,
    ]);
    expect(retryDelay(9, backoff, () => 0)).toBe(0);
    expect(retryDelay(3, backoff, () => 0.5)).toBe(20);
  });

  it('should default to 5 ms doubling up to 1 s, and never have a ceiling below its base', () => {
    expect(resolveBackoff()).toEqual({ baseMs: 5, maxMs: 1_000 });
    expect(resolveBackoff({ baseMs: 50, maxMs: 10 })).toEqual({ baseMs: 50, maxMs: 50 });
    expect(resolveBackoff({ baseMs: -1 })).toEqual({ baseMs: 0, maxMs: 1_000 });
  });
});
