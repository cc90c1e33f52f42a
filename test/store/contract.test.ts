import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/index.js';
import { createOrderService } from '../../src/service/index.js';
import { WriteConflictError, type OrderRow, type OrderStore } from '../../src/store/index.js';
import { orderInput, placedAt } from '../support/orders.js';
import { storeKinds, type OpenedStore } from './stores.js';

const row = (orderId: string, extra: Partial<OrderRow> = {}): OrderRow => ({
  orderId,
  version: 1,
  status: 'buyer-cancellable',
  nextDeadline: 1_000,
  seq: 1,
  snapshot: `{"order":"${orderId}"}`,
  ...extra,
});

const history = (orderId: string, seq: number) => ({
  orderId,
  seq,
  version: seq,
  event: '{"type":"clock.tick","at":1}',
  verdict: '{"accepted":true}',
  effects: '[]',
  statusBefore: null,
  statusAfter: 'unshipped',
  recordedAt: 5,
  machineVersion: 1,
});

describe.each(storeKinds)('the $name store contract', (kind) => {
  let opened: OpenedStore;
  let store: OrderStore;

  beforeEach(async () => {
    opened = kind.open();
    store = opened.store;
    await store.init();
  });
  afterEach(async () => {
    await opened?.cleanup();
  });

  it.skipIf(kind.skip)('should insert an order once and read it back as committed', async () => {
    expect(await store.transaction((tx) => tx.insertOrder(row('a')))).toBe(true);
    expect(await store.transaction((tx) => tx.insertOrder(row('a', { version: 9 })))).toBe(false);
    expect(await store.getOrder('a')).toEqual(row('a'));
    expect(await store.getOrder('b')).toBeNull();
  });

  it.skipIf(kind.skip)(
    'should update only from the expected seq, so the second of two writers from one seq loses',
    async () => {
      await store.transaction((tx) => tx.insertOrder(row('a')));
      // An event that changed nothing keeps the version but moves seq on: the guard still holds.
      const first = await store.transaction((tx) =>
        tx.updateOrder(row('a', { version: 1, seq: 2, snapshot: '"first"' }), 1),
      );
      const second = await store.transaction((tx) =>
        tx.updateOrder(row('a', { version: 1, seq: 2, snapshot: '"second"' }), 1),
      );
      expect([first, second]).toEqual([true, false]);
      expect(
        await store.transaction((tx) => tx.updateOrder(row('a', { version: 2, seq: 3, snapshot: '"third"' }), 2)),
      ).toBe(true);
      expect(await store.getOrder('a')).toEqual(row('a', { version: 2, seq: 3, snapshot: '"third"' }));
    },
  );

  it.skipIf(kind.skip)('should roll back every write of a transaction that throws', async () => {
    await store.transaction((tx) => tx.insertOrder(row('kept')));
    await expect(
      store.transaction(async (tx) => {
        await tx.insertOrder(row('a'));
        await tx.updateOrder(row('kept', { version: 2, seq: 2, snapshot: '"changed"' }), 1);
        await tx.appendHistory(history('a', 1));
        await tx.addOutbox([{ orderId: 'a', version: 1, seq: 1, effect: '{}' }], 0);
        await tx.putIdempotency('a', 'k', { request: 'r', result: 's' });
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await store.getOrder('a')).toBeNull();
    expect((await store.getOrder('kept'))!.snapshot).toBe(row('kept').snapshot);
    expect(await store.history('a')).toEqual([]);
    expect(await store.outboxEntries()).toEqual([]);
    expect(await store.transaction((tx) => tx.getIdempotency('a', 'k'))).toBeNull();
  });

  it.skipIf(kind.skip)(
    'should refuse a second history row with the same seq and a second idempotency key',
    async () => {
      await store.transaction((tx) => tx.appendHistory(history('a', 1)));
      await expect(store.transaction((tx) => tx.appendHistory(history('a', 1)))).rejects.toThrow();
      await store.transaction((tx) => tx.putIdempotency('a', 'k', { request: 'r1', result: 's1' }));
      await expect(
        store.transaction((tx) => tx.putIdempotency('a', 'k', { request: 'r2', result: 's2' })),
      ).rejects.toThrow();
      expect(await store.transaction((tx) => tx.getIdempotency('a', 'k'))).toEqual({ request: 'r1', result: 's1' });
      expect(await store.transaction((tx) => tx.getIdempotency('b', 'k'))).toBeNull();
      expect(await store.history('a')).toEqual([history('a', 1)]);
    },
  );

  it.skipIf(kind.skip)(
    'should claim due orders earliest first, skipping excluded ones, and count what is due',
    async () => {
      await store.transaction(async (tx) => {
        await tx.insertOrder(row('late', { nextDeadline: 300 }));
        await tx.insertOrder(row('early', { nextDeadline: 100 }));
        await tx.insertOrder(row('middle', { nextDeadline: 200 }));
        await tx.insertOrder(row('future', { nextDeadline: 5_000 }));
        await tx.insertOrder(row('final', { nextDeadline: null, status: 'shipped' }));
      });
      const ids = (rows: OrderRow[]) => rows.map((r) => r.orderId);
      expect(ids(await store.transaction((tx) => tx.claimDue(300, 10, [])))).toEqual(['early', 'middle', 'late']);
      expect(ids(await store.transaction((tx) => tx.claimDue(300, 2, [])))).toEqual(['early', 'middle']);
      expect(ids(await store.transaction((tx) => tx.claimDue(300, 2, ['early'])))).toEqual(['middle', 'late']);
      expect(ids(await store.transaction((tx) => tx.claimDue(99, 10, [])))).toEqual([]);
      expect(await store.countDue(300)).toBe(3);
      expect(await store.countDue(10_000)).toBe(4);
    },
  );

  describe('writeStep, for a store that writes a step in one statement', () => {
    const step = (orderId: string, expectedSeq: number, extra: { eventId?: string; effects?: string[] } = {}) => ({
      row: row(orderId, { version: expectedSeq + 1, seq: expectedSeq + 1, snapshot: `"after ${expectedSeq}"` }),
      expectedSeq,
      history: {
        ...history(orderId, expectedSeq + 1),
        ...(extra.eventId === undefined ? {} : { eventId: extra.eventId }),
      },
      effects: extra.effects ?? [],
      availableAt: 7,
    });

    it.skipIf(kind.skip)(
      'should write the row, the history row and the effects in their order from the expected seq, and nothing from another',
      async ({ skip }) => {
        if (!store.writeStep) return skip(`the ${kind.name} store has no writeStep`);
        await store.transaction((tx) => tx.insertOrder(row('a')));
        expect(await store.writeStep(step('a', 1, { effects: ['"first"', '"second"'] }))).toEqual({ written: true });
        expect(await store.writeStep(step('a', 1))).toEqual({ written: false, first: null });
        expect(await store.getOrder('a')).toEqual(step('a', 1).row);
        expect((await store.history('a')).map((h) => h.seq)).toEqual([2]);
        const outbox = await store.outboxEntries('a');
        expect(outbox.map((e) => [e.effect, e.version, e.seq, e.availableAt])).toEqual([
          ['"first"', 2, 2, 7],
          ['"second"', 2, 2, 7],
        ]);
      },
    );

    it.skipIf(kind.skip)(
      'should write nothing for an event the history already recorded, and return that first row',
      async ({ skip }) => {
        if (!store.writeStep) return skip(`the ${kind.name} store has no writeStep`);
        await store.transaction((tx) => tx.insertOrder(row('a')));
        await store.writeStep(step('a', 1, { eventId: 'e-1' }));
        const again = await store.writeStep(step('a', 2, { eventId: 'e-1', effects: ['"again"'] }));
        expect(again).toEqual({ written: false, first: { ...history('a', 2), eventId: 'e-1' } });
        expect((await store.getOrder('a'))!.seq).toBe(2);
        expect(await store.outboxEntries('a')).toEqual([]);
        // The same id with another event text is another event.
        const other = { ...step('a', 2, { eventId: 'e-1' }) };
        other.history = { ...other.history, event: '{"type":"clock.tick","at":2}' };
        expect(await store.writeStep(other)).toEqual({ written: true });
      },
    );

    it.skipIf(kind.skip)(
      'should refuse a step whose history seq is taken with a WriteConflictError and write nothing of it',
      async ({ skip }) => {
        if (!store.writeStep) return skip(`the ${kind.name} store has no writeStep`);
        await store.transaction(async (tx) => {
          await tx.insertOrder(row('a'));
          await tx.appendHistory(history('a', 2));
        });
        await expect(store.writeStep(step('a', 1, { effects: ['"lost"'] }))).rejects.toBeInstanceOf(WriteConflictError);
        expect(await store.getOrder('a')).toEqual(row('a'));
        expect(await store.outboxEntries('a')).toEqual([]);
      },
    );
  });

  it.skipIf(kind.skip)('should keep history in seq order per order', async () => {
    await store.transaction(async (tx) => {
      await tx.appendHistory(history('a', 2));
      await tx.appendHistory(history('b', 1));
      await tx.appendHistory(history('a', 1));
    });
    expect((await store.history('a')).map((h) => h.seq)).toEqual([1, 2]);
    expect((await store.history('b')).map((h) => h.seq)).toEqual([1]);
  });

  it.skipIf(kind.skip)(
    'should find the first history row of an order that recorded the same event, by its id and its text',
    async () => {
      const text = (eventId: string, at = 1) => `{"type":"seller.cancel","at":${at},"eventId":"${eventId}"}`;
      const withId = (orderId: string, seq: number, eventId: string, at = 1) => ({
        ...history(orderId, seq),
        event: text(eventId, at),
        eventId,
      });
      await store.transaction(async (tx) => {
        await tx.appendHistory(history('a', 1));
        await tx.appendHistory(withId('a', 2, 'e1'));
        await tx.appendHistory(withId('a', 3, 'e1'));
        await tx.appendHistory(withId('a', 4, 'e1', 2));
        await tx.appendHistory(withId('b', 1, 'e2'));
      });
      expect(await store.transaction((tx) => tx.findEvent('a', 'e1', text('e1')))).toEqual(withId('a', 2, 'e1'));
      expect(await store.transaction((tx) => tx.findEvent('a', 'e1', text('e1', 2)))).toEqual(withId('a', 4, 'e1', 2));
      expect(await store.transaction((tx) => tx.findEvent('a', 'e1', text('e1', 3)))).toBeNull();
      expect(await store.transaction((tx) => tx.findEvent('a', 'e2', text('e2')))).toBeNull();
      expect(await store.transaction((tx) => tx.findEvent('b', 'e2', text('e2')))).toEqual(withId('b', 1, 'e2'));
      // A row without an id is never found, and keeps no eventId when read back.
      expect((await store.history('a'))[0]).toEqual(history('a', 1));
      expect((await store.history('a'))[0]).not.toHaveProperty('eventId');
    },
  );

  it.skipIf(kind.skip)(
    'should hold back an order’s later outbox rows while an earlier one is reserved or waiting for a retry',
    async () => {
      await store.transaction((tx) =>
        tx.addOutbox(
          [
            { orderId: 'a', version: 2, seq: 2, effect: '"a1"' },
            { orderId: 'b', version: 2, seq: 2, effect: '"b1"' },
            { orderId: 'a', version: 2, seq: 2, effect: '"a2"' },
          ],
          0,
        ),
      );
      const effects = (entries: { effect: string }[]) => entries.map((e) => JSON.parse(e.effect));
      const firstClaim = await store.claimOutbox({ now: 10, batch: 1, leaseMs: 100 });
      expect(effects(firstClaim)).toEqual(['a1']);
      // a1 is reserved until 110: a2 must wait, b1 may go.
      const other = await store.claimOutbox({ now: 20, batch: 10, leaseMs: 100 });
      expect(effects(other)).toEqual(['b1']);
      expect(await store.completeOutbox(other[0]!)).toBe(true);
      expect(
        await store.failOutbox(firstClaim[0]!, { attempts: 1, availableAt: 500, parked: false, error: 'down' }),
      ).toBe(true);
      expect(effects(await store.claimOutbox({ now: 200, batch: 10, leaseMs: 100 }))).toEqual([]);
      const retry = await store.claimOutbox({ now: 500, batch: 10, leaseMs: 100 });
      expect(effects(retry)).toEqual(['a1', 'a2']);
      expect(await store.completeOutbox(retry[0]!)).toBe(true);
      expect(await store.releaseOutbox([retry[1]!], 500)).toBe(1);
      const last = await store.claimOutbox({ now: 500, batch: 10, leaseMs: 100 });
      expect(effects(last)).toEqual(['a2']);
      expect(await store.failOutbox(last[0]!, { attempts: 3, availableAt: 500, parked: true, error: 'gone' })).toBe(
        true,
      );
      const entries = await store.outboxEntries('a');
      expect(entries.map((e) => [JSON.parse(e.effect), e.state, e.attempts, e.lastError])).toEqual([
        ['a1', 'done', 1, 'down'],
        ['a2', 'parked', 3, 'gone'],
      ]);
      expect(await store.claimOutbox({ now: 10_000, batch: 10, leaseMs: 100 })).toEqual([]);
    },
  );

  it.skipIf(kind.skip)(
    'should return a new claim token with every claim of a row, starting from 0 for a row never claimed',
    async () => {
      await store.transaction((tx) => tx.addOutbox([{ orderId: 'a', version: 1, seq: 1, effect: '"a1"' }], 0));
      expect((await store.outboxEntries()).map((e) => e.claim)).toEqual([0]);
      const first = await store.claimOutbox({ now: 10, batch: 10, leaseMs: 100 });
      expect(first.map((e) => [e.claim, e.availableAt])).toEqual([[1, 110]]);
      // The lease ran out: another drainer claims the row again and gets a new token.
      const second = await store.claimOutbox({ now: 200, batch: 10, leaseMs: 100 });
      expect(second.map((e) => [e.claim, e.availableAt])).toEqual([[2, 300]]);
      expect(await store.outboxEntries()).toEqual([
        expect.objectContaining({ id: first[0]!.id, claim: 2, availableAt: 300, state: 'pending' }),
      ]);
    },
  );

  it.skipIf(kind.skip)(
    'should ignore the outcome of a drainer whose claim is stale: a late failure cannot undo a delivery',
    async () => {
      await store.transaction((tx) =>
        tx.addOutbox(
          [
            { orderId: 'a', version: 1, seq: 1, effect: '"a1"' },
            { orderId: 'b', version: 1, seq: 1, effect: '"b1"' },
          ],
          0,
        ),
      );
      const [late, lateB] = await store.claimOutbox({ now: 10, batch: 10, leaseMs: 100 });
      // The first drainer's lease ran out; a second drainer claims both rows.
      const [current, currentB] = await store.claimOutbox({ now: 200, batch: 10, leaseMs: 100 });
      expect([current!.id, currentB!.id]).toEqual([late!.id, lateB!.id]);
      // Stale outcomes change nothing while the row is still the second drainer's.
      expect(await store.failOutbox(late!, { attempts: 1, availableAt: 0, parked: false, error: 'late failure' })).toBe(
        false,
      );
      expect(await store.completeOutbox(lateB!)).toBe(false);
      expect(await store.releaseOutbox([late!, lateB!], 0)).toBe(0);
      const untouched = { state: 'pending', attempts: 0, lastError: null, availableAt: 300, claim: 2 };
      expect(await store.outboxEntries()).toEqual([
        expect.objectContaining(untouched),
        expect.objectContaining(untouched),
      ]);
      expect(await store.claimOutbox({ now: 250, batch: 10, leaseMs: 100 })).toEqual([]);
      // The second drainer delivers a1; the first one's late failure, or a late delivery, cannot make it pending again.
      expect(await store.completeOutbox(current!)).toBe(true);
      expect(await store.failOutbox(late!, { attempts: 1, availableAt: 0, parked: false, error: 'late failure' })).toBe(
        false,
      );
      expect(await store.failOutbox(late!, { attempts: 9, availableAt: 0, parked: true, error: 'late park' })).toBe(
        false,
      );
      expect(await store.completeOutbox(late!)).toBe(false);
      // An outcome counts once: the current drainer's second word on a row it completed changes nothing either.
      expect(await store.failOutbox(current!, { attempts: 1, availableAt: 0, parked: false, error: 'twice' })).toBe(
        false,
      );
      expect(await store.failOutbox(currentB!, { attempts: 1, availableAt: 400, parked: false, error: 'down' })).toBe(
        true,
      );
      const entries = await store.outboxEntries();
      expect(entries.map((e) => [JSON.parse(e.effect), e.state, e.attempts, e.lastError, e.availableAt])).toEqual([
        ['a1', 'done', 0, null, 300],
        ['b1', 'pending', 1, 'down', 400],
      ]);
      expect(await store.claimOutbox({ now: 10_000, batch: 10, leaseMs: 100 })).toEqual([
        expect.objectContaining({ effect: '"b1"', claim: 3 }),
      ]);
    },
  );

  it.skipIf(kind.skip)(
    'should list orders by id in byte order, filtered by status and id text, page by page',
    async () => {
      // Byte order, not locale order: 'Z' < 'a' < 'a-10' < 'a-2' < 'b' < 'é' < U+FFFD < an astral character.
      const ids = ['b', 'é', 'a-2', 'Z', 'a', 'a-10', '\uFFFD', '\u{1D49C}'];
      await store.transaction(async (tx) => {
        for (const [i, id] of ids.entries()) {
          await tx.insertOrder(
            row(id, {
              status: i % 2 === 0 ? 'unshipped' : 'shipped',
              nextDeadline: i % 2 === 0 ? 1_000 + i : null,
              version: i + 1,
              seq: 2,
            }),
          );
          await tx.appendHistory(history(id, 1));
          await tx.appendHistory({ ...history(id, 2), recordedAt: 100 + i });
        }
        await tx.insertOrder(row('no-history'));
      });
      const sorted = ['Z', 'a', 'a-10', 'a-2', 'b', 'no-history', 'é', '\uFFFD', '\u{1D49C}'];
      const all = await store.listOrders();
      expect(all.map((o) => o.orderId)).toEqual(sorted);
      expect(all[0]).toEqual({ orderId: 'Z', status: 'shipped', version: 4, nextDeadline: null, updatedAt: 103 });
      expect(all[4]).toEqual({ orderId: 'b', status: 'unshipped', version: 1, nextDeadline: 1_000, updatedAt: 100 });
      expect(all[5]).toEqual({ orderId: 'no-history', status: 'buyer-cancellable', version: 1, nextDeadline: 1_000 });
      expect((await store.listOrders({ status: 'shipped' })).map((o) => o.orderId)).toEqual([
        'Z',
        'a-10',
        'é',
        '\u{1D49C}',
      ]);
      expect((await store.listOrders({ idContains: 'a-' })).map((o) => o.orderId)).toEqual(['a-10', 'a-2']);
      // Case-sensitive, and LIKE wildcards are plain text.
      expect((await store.listOrders({ idContains: 'A' })).map((o) => o.orderId)).toEqual([]);
      expect((await store.listOrders({ idContains: '%' })).map((o) => o.orderId)).toEqual([]);
      expect((await store.listOrders({ idContains: 'a', status: 'unshipped' })).map((o) => o.orderId)).toEqual([
        'a',
        'a-2',
      ]);
      const pages: string[][] = [];
      let afterId: string | undefined;
      for (;;) {
        const page = await store.listOrders({ limit: 2, ...(afterId === undefined ? {} : { afterId }) });
        if (page.length === 0) break;
        pages.push(page.map((o) => o.orderId));
        afterId = page.at(-1)!.orderId;
      }
      expect(pages).toEqual([['Z', 'a'], ['a-10', 'a-2'], ['b', 'no-history'], ['é', '\uFFFD'], ['\u{1D49C}']]);
      expect((await store.listOrders({ afterId: 'a-1' })).map((o) => o.orderId)[0]).toBe('a-10');
      // Reading changed nothing.
      expect(await store.getOrder('b')).toEqual(row('b', { status: 'unshipped', version: 1, seq: 2 }));
      expect((await store.history('b')).length).toBe(2);
    },
  );

  it.skipIf(kind.skip)('should refuse bad list options with the field and the value', async () => {
    await expect(store.listOrders({ limit: 0 })).rejects.toThrow(InvalidInputError);
    await expect(store.listOrders({ limit: 0 })).rejects.toThrow(/limit.*got 0/);
    await expect(store.listOrders({ limit: 1.5 })).rejects.toThrow(/limit.*got 1\.5/);
    await expect(store.listOrders({ status: 'lost' as never })).rejects.toThrow(/status.*got "lost"/);
    await expect(store.listOrders({ afterId: 3 as never })).rejects.toThrow(/afterId.*got 3/);
  });

  it.skipIf(kind.skip)(
    'should refuse a NUL, a lone surrogate or an overlong id in list options alike on every store, before the database sees it',
    async () => {
      await expect(store.listOrders({ afterId: 'a\u0000b' })).rejects.toThrow(
        /afterId: expected an order id: .* \(got "a\\u0000b"\)/,
      );
      await expect(store.listOrders({ idContains: '\ud800' })).rejects.toThrow(InvalidInputError);
      await expect(store.listOrders({ afterId: 'x'.repeat(129) })).rejects.toThrow(/afterId/);
      await expect(store.listOrders({ idContains: 'x'.repeat(257) })).rejects.toThrow(/idContains/);
    },
  );

  it.skipIf(kind.skip)('should list placed orders through the service', async () => {
    const service = await createOrderService({ store, now: () => placedAt });
    await service.place(orderInput({ orderId: 'order-2' }));
    await service.place(orderInput({ orderId: 'order-1' }));
    const listed = await service.list();
    expect(listed.map((o) => [o.orderId, o.status, o.version, o.updatedAt])).toEqual([
      ['order-1', (await service.get('order-1'))!.status, 1, placedAt],
      ['order-2', (await service.get('order-2'))!.status, 1, placedAt],
    ]);
    expect(listed[0]!.nextDeadline).toBe((await service.get('order-1'))!.nextDeadline);
    expect((await service.list({ idContains: '2' })).map((o) => o.orderId)).toEqual(['order-2']);
  });
});
