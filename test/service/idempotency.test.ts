import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { serializeOrder, type OrderEventInput } from '../../src/index.js';
import { createOrderService, OrderConflictError, type OrderService } from '../../src/service/index.js';
import type { OrderStore } from '../../src/store/index.js';
import { buyerCancelUntil, minute, orderInput, placedAt } from '../support/orders.js';
import { disagreements, storeKinds, type OpenedStore } from '../store/stores.js';

describe.each(storeKinds)('idempotency keys on the $name store', (kind) => {
  let opened: OpenedStore;
  let store: OrderStore;
  let service: OrderService;

  beforeEach(async () => {
    if (kind.skip) return;
    opened = kind.open();
    store = opened.store;
    service = await createOrderService({ store });
  });
  afterEach(async () => {
    if (kind.skip) return;
    expect(await disagreements(store, ['o-1'])).toEqual([]);
    await opened.cleanup();
  });

  it.skipIf(kind.skip)(
    'should remember a key whose first request repeated an eventId, and refuse it for another request',
    async () => {
      await service.place(orderInput({ orderId: 'o-1' }));
      const label = { type: 'seller.generateLabel', at: minute(40), eventId: 'evt-1' } as OrderEventInput;
      await service.apply('o-1', label);
      const duplicate = await service.apply('o-1', label, { idempotencyKey: 'k-1' });
      expect(duplicate.verdict).toMatchObject({ duplicate: true });
      const before = await store.getOrder('o-1');

      const other = service.apply('o-1', { type: 'seller.confirmShipment', at: minute(50) }, { idempotencyKey: 'k-1' });
      await expect(other).rejects.toThrow(
        new OrderConflictError('o-1', 'Idempotency key "k-1" of order "o-1" was first used for a different request.'),
      );
      expect(await store.getOrder('o-1')).toEqual(before);
      expect(await service.history('o-1')).toHaveLength(2);

      const again = await service.apply('o-1', label, { idempotencyKey: 'k-1' });
      expect({ ...again, snapshot: serializeOrder(again.snapshot) }).toEqual({
        ...duplicate,
        snapshot: serializeOrder(duplicate.snapshot),
      });
    },
  );

  it.skipIf(kind.skip)(
    'should remember a key whose first request was refused, and refuse it for another request',
    async () => {
      await service.place(orderInput({ orderId: 'o-1' }));
      const refused = await service.apply(
        'o-1',
        { type: 'seller.cancel', at: placedAt, reason: 'NoInventory' },
        { idempotencyKey: 'k-2' },
      );
      expect(refused.verdict.accepted).toBe(false);
      await expect(
        service.apply('o-1', { type: 'buyer.cancel', at: minute(5) }, { idempotencyKey: 'k-2' }),
      ).rejects.toThrow(OrderConflictError);
      expect((await service.get('o-1'))!.status).toBe('buyer-cancellable');
    },
  );

  it.skipIf(kind.skip)(
    'should remember a key whose first place found the order already placed, and answer with that first result',
    async () => {
      await service.place(orderInput({ orderId: 'o-1' }));
      await service.apply('o-1', { type: 'clock.tick', at: buyerCancelUntil });
      const first = await service.place(orderInput({ orderId: 'o-1' }), { idempotencyKey: 'p-1' });
      expect(first).toMatchObject({ orderId: 'o-1', status: 'unshipped', version: 2 });
      await service.apply('o-1', { type: 'seller.generateLabel', at: minute(40) });
      expect(await service.place(orderInput({ orderId: 'o-1' }), { idempotencyKey: 'p-1' })).toEqual(first);
    },
  );
});
