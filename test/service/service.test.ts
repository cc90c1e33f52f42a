import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createOrder,
  InvalidInputError,
  orderMachine,
  OrderLifecycleError,
  RestoreError,
  serializeOrder,
  type OrderEventInput,
} from '../../src/index.js';
import {
  createOrderService,
  OrderConflictError,
  OrderNotFoundError,
  UnreadableOrderError,
  type OrderService,
  type OutboxItem,
} from '../../src/service/index.js';
import type { OrderStore } from '../../src/store/index.js';
import { autoCancelAt, buyerCancelUntil, minute, orderInput, placedAt } from '../support/orders.js';
import { disagreements, overwriteSnapshot, storeKinds, type OpenedStore } from '../store/stores.js';

function createOrderSnapshot(orderId: string) {
  return createOrder(orderInput({ orderId })).snapshot;
}

const tick = (at: number): OrderEventInput => ({ type: 'clock.tick', at });

describe.each(storeKinds)('the order service on the $name store', (kind) => {
  let opened: OpenedStore;
  let store: OrderStore;
  let service: OrderService;
  let clock: number;
  const ids: string[] = [];

  beforeEach(async () => {
    if (kind.skip) return;
    opened = kind.open();
    store = opened.store;
    clock = placedAt;
    service = await createOrderService({ store, now: () => clock });
    ids.length = 0;
  });
  afterEach(async () => {
    if (kind.skip) return;
    expect(await disagreements(store, ids)).toEqual([]);
    await opened.cleanup();
  });

  const place = async (orderId: string, extra = {}) => {
    ids.push(orderId);
    return service.place(orderInput({ orderId, ...extra }));
  };

  it.skipIf(kind.skip)('should place an order at version 1 with its place row in the history', async () => {
    const placed = await place('o-1');
    expect(placed).toMatchObject({ orderId: 'o-1', status: 'buyer-cancellable', version: 1, effects: [] });
    expect(placed.verdict.accepted).toBe(true);
    const stored = await service.get('o-1');
    expect(stored).toMatchObject({
      orderId: 'o-1',
      status: 'buyer-cancellable',
      version: 1,
      nextDeadline: buyerCancelUntil,
    });
    expect(serializeOrder(stored!.snapshot)).toBe(serializeOrder(createOrderSnapshot('o-1')));
    const history = await service.history('o-1');
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({
      seq: 1,
      version: 1,
      statusBefore: null,
      statusAfter: 'buyer-cancellable',
      recordedAt: placedAt,
    });
    expect(history[0]!.event).toMatchObject({ type: 'order.place', input: { orderId: 'o-1' } });
  });

  it.skipIf(kind.skip)(
    'should count a version for every change, append a history row for every event and put effects in the outbox',
    async () => {
      await place('o-1');
      clock = placedAt + 1;
      const ticked = await service.apply('o-1', tick(buyerCancelUntil));
      expect(ticked).toMatchObject({ status: 'unshipped', version: 2 });
      const labelled = await service.apply('o-1', { type: 'seller.generateLabel', at: minute(40) });
      expect(labelled).toMatchObject({ status: 'label-generated', version: 3 });
      // Refused at the order's own instant: nothing changes, so the version stays, but the event is recorded.
      const refused = await service.apply('o-1', { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' });
      expect(refused.verdict).toMatchObject({ accepted: false, code: 'LABEL_GENERATED' });
      expect(refused.version).toBe(3);
      expect(serializeOrder(refused.snapshot)).toBe(serializeOrder(labelled.snapshot));
      const shipped = await service.apply('o-1', { type: 'seller.confirmShipment', at: minute(50) });
      expect(shipped).toMatchObject({ status: 'shipped', version: 4 });
      expect(shipped.effects.map((e) => e.type)).toEqual(['buyer.notified']);
      const history = await service.history('o-1');
      expect(history.map((h) => [h.seq, h.version, h.statusBefore, h.statusAfter, h.verdict.accepted])).toEqual([
        [1, 1, null, 'buyer-cancellable', true],
        [2, 2, 'buyer-cancellable', 'unshipped', true],
        [3, 3, 'unshipped', 'label-generated', true],
        [4, 3, 'label-generated', 'label-generated', false],
        [5, 4, 'label-generated', 'shipped', true],
      ]);
      expect(history[1]!.recordedAt).toBe(placedAt + 1);
      const outbox = await store.outboxEntries('o-1');
      expect(outbox.map((e) => [e.version, e.seq, JSON.parse(e.effect).type])).toEqual([[4, 5, 'buyer.notified']]);
      expect(await service.get('o-1')).toMatchObject({ version: 4, status: 'shipped', nextDeadline: null });
    },
  );

  it.skipIf(kind.skip)('should throw OrderNotFoundError naming an unknown id, and get null for it', async () => {
    await expect(service.apply('nope', tick(minute(1)))).rejects.toThrow(new OrderNotFoundError('nope'));
    await expect(service.apply('nope', tick(minute(1)))).rejects.toThrow('Order "nope" does not exist.');
    await expect(service.history('nope')).rejects.toBeInstanceOf(OrderNotFoundError);
    expect(new OrderNotFoundError('x')).toBeInstanceOf(OrderLifecycleError);
    expect(await service.get('nope')).toBeNull();
    expect(await store.outboxEntries()).toEqual([]);
  });

  it.skipIf(kind.skip)(
    'should return the stored order when the same input is placed again and refuse a different one',
    async () => {
      await place('o-1');
      await service.apply('o-1', tick(buyerCancelUntil));
      // The same order in another spelling (ISO instead of epoch ms) is the same input.
      const again = await service.place(
        orderInput({ orderId: 'o-1', placedAt: new Date(placedAt).toISOString() as never }),
      );
      expect(again).toMatchObject({ orderId: 'o-1', status: 'unshipped', version: 2 });
      const different = service.place(orderInput({ orderId: 'o-1', items: [{ orderItemId: 'Z', quantity: 9 }] }));
      await expect(different).rejects.toThrow(
        new OrderConflictError('o-1', 'Order "o-1" already exists with a different input.'),
      );
      expect(await service.history('o-1')).toHaveLength(2);
    },
  );

  it.skipIf(kind.skip)('should refuse bad input with a message naming the field and write nothing', async () => {
    await place('o-1');
    await expect(
      service.apply('o-1', { type: 'seller.cancel', at: minute(40), reason: 'Bored' } as never),
    ).rejects.toThrow(InvalidInputError);
    await expect(
      service.apply('o-1', { type: 'seller.cancel', at: minute(40), reason: 'Bored' } as never),
    ).rejects.toThrow(/reason/);
    await expect(service.place(orderInput({ orderId: 'o-2', items: [] }))).rejects.toThrow(/items/);
    await expect(service.apply('o-1', tick(minute(31)), { idempotencyKey: '' })).rejects.toThrow(/idempotencyKey.*""/);
    await expect(service.sweep(Number.NaN)).rejects.toThrow(/now.*null|now/);
    expect(await service.get('o-2')).toBeNull();
    expect(await service.history('o-1')).toHaveLength(1);
    expect((await service.get('o-1'))!.version).toBe(1);
  });

  it.skipIf(kind.skip)(
    'should return the first result for an idempotency key seen before and apply nothing',
    async () => {
      const first = await service.place(orderInput({ orderId: 'o-1' }), { idempotencyKey: 'place-1' });
      ids.push('o-1');
      expect(await service.place(orderInput({ orderId: 'o-1' }), { idempotencyKey: 'place-1' })).toEqual(first);
      const cancel: OrderEventInput = { type: 'buyer.cancel', at: minute(5) };
      const applied = await service.apply('o-1', cancel, { idempotencyKey: 'req-7' });
      expect(applied.effects).toHaveLength(3);
      const repeated = await service.apply('o-1', cancel, { idempotencyKey: 'req-7' });
      expect({ ...repeated, snapshot: serializeOrder(repeated.snapshot) }).toEqual({
        ...applied,
        snapshot: serializeOrder(applied.snapshot),
      });
      expect(await service.history('o-1')).toHaveLength(2);
      expect(await store.outboxEntries('o-1')).toHaveLength(3);
      await expect(service.apply('o-1', tick(minute(6)), { idempotencyKey: 'req-7' })).rejects.toThrow(
        'Idempotency key "req-7" of order "o-1" was first used for a different request.',
      );
      // The same key on another order is another request.
      await place('o-2');
      expect((await service.apply('o-2', cancel, { idempotencyKey: 'req-7' })).version).toBe(2);
    },
  );

  it.skipIf(kind.skip)('should write nothing for an event whose eventId the order has applied', async () => {
    await place('o-1');
    const event = { type: 'seller.generateLabel', at: minute(40), eventId: 'evt-1' } as OrderEventInput;
    const first = await service.apply('o-1', event);
    const again = await service.apply('o-1', { ...event, at: minute(45) } as OrderEventInput);
    expect((again.verdict as { duplicate?: boolean }).duplicate).toBe(true);
    expect(again.version).toBe(first.version);
    expect(serializeOrder(again.snapshot)).toBe(serializeOrder(first.snapshot));
    expect(await service.history('o-1')).toHaveLength(2);
  });

  it.skipIf(kind.skip)(
    'should answer a refused event sent again as it was with its first verdict, even once the order would accept it',
    async () => {
      await place('o-1');
      // Inside the buyer's window a label is refused; after it, the same event would be accepted as a late one.
      const event = { type: 'seller.generateLabel', at: minute(10), eventId: 'evt-early' } as OrderEventInput;
      const first = await service.apply('o-1', event);
      expect(first.verdict).toMatchObject({ accepted: false });
      expect(first.verdict.duplicate).toBeUndefined();
      await service.apply('o-1', tick(buyerCancelUntil));
      const again = await service.apply('o-1', event);
      expect(again.verdict).toEqual({ ...first.verdict, duplicate: true });
      expect(again.effects).toEqual([]);
      expect(again.status).toBe('unshipped');
      const history = await service.history('o-1');
      expect(history.map((row) => row.event.type)).toEqual(['order.place', 'seller.generateLabel', 'clock.tick']);
      // The same id with another instant is another attempt, judged on its own (as the core judges it).
      const later = await service.apply('o-1', { ...event, at: minute(40) } as OrderEventInput);
      expect(later).toMatchObject({ status: 'label-generated', verdict: { accepted: true } });
      expect(later.verdict.duplicate).toBeUndefined();
    },
  );

  it.skipIf(kind.skip)(
    'should let two racing writers both land, one after the other, never both on the same version',
    async () => {
      await place('o-1');
      await service.apply('o-1', tick(buyerCancelUntil));
      const second = opened.reopen ? await createOrderService({ store: opened.reopen() }) : service;
      const [label, cancel] = await Promise.all([
        service.apply('o-1', { type: 'seller.generateLabel', at: minute(40) }),
        second.apply('o-1', { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' }),
      ]);
      // Whichever went second was judged on the first one's snapshot: exactly one of the two is accepted.
      expect([label.verdict.accepted, cancel.verdict.accepted].filter(Boolean)).toHaveLength(1);
      expect(label.version + cancel.version).toBe(3 + 3);
      const history = await service.history('o-1');
      expect(
        history
          .map((h) => h.event.type)
          .slice(2)
          .sort(),
      ).toEqual(['seller.cancel', 'seller.generateLabel']);
      if (second !== service) await second.close();
    },
  );

  it.skipIf(kind.skip)('should apply many concurrent events on one order exactly once each', async () => {
    await place('o-1');
    const second = opened.reopen ? await createOrderService({ store: opened.reopen() }) : service;
    const events = Array.from(
      { length: 12 },
      (_, i): OrderEventInput =>
        ({
          type: 'buyer.requestCancellation',
          at: minute(31 + i),
          source: 'order-flag',
          orderItemIds: ['A'],
        }) as OrderEventInput,
    );
    const results = await Promise.all(
      events.map((event, i) => (i % 2 ? second : service).apply('o-1', event, { idempotencyKey: `k${i}` })),
    );
    expect(results).toHaveLength(12);
    const history = await service.history('o-1');
    expect(history).toHaveLength(13);
    expect(
      history
        .slice(1)
        .map((h) => (h.event as { at: number }).at)
        .sort(),
    ).toEqual(events.map((e) => e.at).sort());
    if (second !== service) await second.close();
  });

  it.skipIf(kind.skip)(
    'should report an unreadable row for that order only, leave it untouched and keep other orders flowing',
    async () => {
      await place('good');
      await place('garbled');
      await place('future');
      ids.splice(ids.indexOf('garbled'), 2);
      await overwriteSnapshot(store, 'garbled', 'not json {');
      const newer = (await store.getOrder('future'))!.snapshot.replace(/"machineVersion":\d+/, '"machineVersion":999');
      await overwriteSnapshot(store, 'future', newer);

      await expect(service.get('garbled')).rejects.toThrow(UnreadableOrderError);
      await expect(service.get('garbled')).rejects.toThrow(
        /^Stored order "garbled" cannot be read: cannot restore an order from text that is not JSON/,
      );
      const error = await service.apply('future', tick(minute(31))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RestoreError);
      expect((error as UnreadableOrderError).orderId).toBe('future');
      expect((error as Error).message).toMatch(/"future".*machine version 999/);

      const swept = await service.sweep(buyerCancelUntil);
      expect(swept.applied).toBe(1);
      expect(swept.failed.map((f) => f.orderId).sort()).toEqual(['future', 'garbled']);
      expect(swept.remaining).toBe(2);
      expect((await service.get('good'))!.status).toBe('unshipped');
      expect((await store.getOrder('garbled'))!.snapshot).toBe('not json {');
      expect((await store.getOrder('future'))!.snapshot).toBe(newer);
      expect((await store.history('future')).length).toBe(1);
    },
  );

  it.skipIf(kind.skip)(
    "should restore with every check a row rewritten at the seq it wrote, though it kept that order's snapshot",
    async () => {
      await place('rewritten');
      ids.pop();
      const stored = (await store.getOrder('rewritten'))!;
      const broken = JSON.parse(stored.snapshot);
      broken.context.buyerCancelUntil = broken.context.placedAt + 1;
      await overwriteSnapshot(store, 'rewritten', JSON.stringify(broken));
      expect((await store.getOrder('rewritten'))!.seq).toBe(stored.seq);
      await expect(service.get('rewritten')).rejects.toThrow(
        /^Stored order "rewritten" cannot be read: .*buyerCancelUntil/,
      );
      await expect(service.apply('rewritten', tick(minute(1)))).rejects.toThrow(UnreadableOrderError);
    },
  );

  it.skipIf(kind.skip)(
    'should read the stored row, not a snapshot a caller changed after apply returned it',
    async () => {
      await place('o-1');
      const applied = await service.apply('o-1', { type: 'buyer.cancel', at: minute(5) });
      const stored = (await store.getOrder('o-1'))!.snapshot;
      (applied.snapshot.context.items[0] as { quantity: number }).quantity = 99;
      expect(serializeOrder((await service.get('o-1'))!.snapshot)).toBe(stored);
      const again = await service.apply('o-1', tick(minute(6)));
      expect(again.snapshot.context.items[0]!.quantity).not.toBe(99);
    },
  );

  it.skipIf(kind.skip)(
    'should sweep on past an order whose step throws on an extended machine, leaving its row as it was',
    async () => {
      const original = orderMachine.implementations.guards['hasBuyerWindowClosed'] as (...args: unknown[]) => boolean;
      const machine = orderMachine.provide({
        guards: {
          hasBuyerWindowClosed: (...args: unknown[]) => {
            if ((args[0] as { context: { orderId: string } }).context.orderId === 'explodes')
              throw new Error('guard exploded');
            return original(...args);
          },
        },
      } as never);
      const extended = await createOrderService({ store, machine });
      await extended.place(orderInput({ orderId: 'explodes' }));
      await extended.place(orderInput({ orderId: 'fine' }));
      const before = (await store.getOrder('explodes'))!;
      const swept = await extended.sweep(buyerCancelUntil);
      expect(swept.applied).toBe(1);
      expect(swept.failed).toEqual([{ orderId: 'explodes', message: expect.stringContaining('guard exploded') }]);
      expect(await store.getOrder('explodes')).toEqual(before);
      expect((await extended.get('fine'))!.status).toBe('unshipped');
      expect(await disagreements(store, ['explodes', 'fine'], { machine })).toEqual([]);
    },
  );

  it.skipIf(kind.skip)('should upgrade an older stored snapshot through migrate', async () => {
    await place('old');
    const current = JSON.parse((await store.getOrder('old'))!.snapshot);
    await overwriteSnapshot(store, 'old', JSON.stringify({ ...current, schemaVersion: current.schemaVersion - 1 }));
    await expect(service.get('old')).rejects.toThrow(UnreadableOrderError);
    const seen: unknown[] = [];
    const upgraded = await createOrderService({
      store: opened.reopen ? opened.reopen() : store,
      migrate: (data) => {
        seen.push(data);
        return { ...data, schemaVersion: current.schemaVersion };
      },
    });
    expect((await upgraded.get('old'))!.status).toBe('buyer-cancellable');
    expect((await upgraded.apply('old', tick(buyerCancelUntil))).version).toBe(2);
    expect(seen.length).toBeGreaterThan(0);
    expect(JSON.parse((await store.getOrder('old'))!.snapshot).schemaVersion).toBe(current.schemaVersion);
  });

  it.skipIf(kind.skip)(
    'should sweep every due order at its own deadline once, in batches, and leave the others',
    async () => {
      for (let i = 0; i < 7; i++) await place(`s-${i}`, { placedAt: placedAt + i * 60_000 });
      await place('shipped');
      await service.apply('shipped', { type: 'seller.confirmShipment', at: minute(45) });
      const now = buyerCancelUntil + 4 * 60_000; // s-0 .. s-4 are due
      const partial = await service.sweep(now, { limit: 2, batch: 1 });
      expect(partial).toEqual({ applied: 2, remaining: 3, failed: [] });
      const rest = await service.sweep(now, { batch: 2 });
      expect(rest).toEqual({ applied: 3, remaining: 0, failed: [] });
      expect(await service.sweep(now)).toEqual({ applied: 0, remaining: 0, failed: [] });
      for (let i = 0; i < 7; i++) {
        const history = await service.history(`s-${i}`);
        const ticks = history.filter((h) => h.event.type === 'clock.tick');
        expect(ticks.map((h) => (h.event as { at: number }).at)).toEqual(i <= 4 ? [buyerCancelUntil + i * 60_000] : []);
        expect((await service.get(`s-${i}`))!.status).toBe(i <= 4 ? 'unshipped' : 'buyer-cancellable');
      }
      // A sweep far ahead applies each deadline that fell due in turn: the buyer window, then auto-cancel.
      const late = await service.sweep(autoCancelAt + 3_600_000);
      expect(late.applied).toBe(5 + 2 * 2);
      expect((await service.get('s-6'))!.status).toBe('auto-canceled');
      expect((await store.outboxEntries('s-6')).map((e) => JSON.parse(e.effect).type)).toEqual([
        'buyer.notified',
        'seller.notified',
        'items.refunded',
      ]);
    },
  );

  it.skipIf(kind.skip)(
    'should drain every effect at least once, in order per order, retry failures and park after maxAttempts',
    async () => {
      await place('a');
      await place('b');
      await place('c');
      await service.apply('a', { type: 'buyer.cancel', at: minute(1) });
      await service.apply('b', { type: 'buyer.cancel', at: minute(2) });
      await service.apply('c', { type: 'buyer.cancel', at: minute(3) });
      const seen: OutboxItem[] = [];
      let aFailures = 0;
      const handler = (item: OutboxItem) => {
        if (item.orderId === 'a' && item.effect.type === 'buyer.notified' && aFailures++ < 1)
          throw new Error('mail server down');
        if (item.orderId === 'c') throw new Error('c is broken');
        seen.push(item);
      };
      const first = await service.outbox.drain(handler, { batch: 2, maxAttempts: 2, backoffMs: 60_000 });
      expect(first.delivered).toBe(3);
      expect(first.failed).toBe(2);
      expect(first.parked).toEqual([]);
      expect(seen.every((item) => item.orderId === 'b')).toBe(true);
      clock += 60_000;
      const second = await service.outbox.drain(handler, { batch: 2, maxAttempts: 2, backoffMs: 60_000 });
      expect(second.parked.map((p) => [p.orderId, p.effect.type, p.attempts, p.error])).toEqual([
        ['c', 'buyer.notified', 2, 'c is broken'],
      ]);
      expect(second.delivered).toBe(3);
      // c's second effect was tried once its first was parked, failed, and waits for its retry time.
      expect(second.failed).toBe(2);
      clock += 60_000;
      const third = await service.outbox.drain(handler, { maxAttempts: 2, backoffMs: 0 });
      expect(third.failed).toBe(3);
      expect(third.parked.map((p) => p.effect.type)).toEqual(['seller.notified', 'items.refunded']);
      const byOrder = (orderId: string) =>
        seen.filter((item) => item.orderId === orderId).map((item) => item.effect.type);
      expect(byOrder('a')).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
      expect(byOrder('b')).toEqual(['buyer.notified', 'seller.notified', 'items.refunded']);
      expect(seen.map((item) => item.version)).toEqual(seen.map(() => 2));
      expect(await service.outbox.drain(handler)).toEqual({ delivered: 0, failed: 0, parked: [] });
      const states = (await store.outboxEntries()).map((e) => `${e.orderId}:${e.state}`);
      expect(states).toEqual([
        'a:done',
        'a:done',
        'a:done',
        'b:done',
        'b:done',
        'b:done',
        'c:parked',
        'c:parked',
        'c:parked',
      ]);
    },
  );
});
