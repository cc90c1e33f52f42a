import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrderService } from '../../src/service/index.js';
import { PostgresStore } from '../../src/store/index.js';
import { buyerCancelUntil, minute, orderInput } from '../support/orders.js';
import { DATABASE_URL, dropSchema, pgQuery, skipPostgres, testSchemaName } from '../support/postgres.js';
import { disagreements } from '../store/stores.js';

describe('two writers racing on one order on PostgreSQL', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it.skipIf(skipPostgres)(
    'should let both read the same version, let one win, and have the loser retry on the new snapshot',
    async () => {
      const schema = testSchemaName('race');
      const url = `${DATABASE_URL}${DATABASE_URL.includes('?') ? '&' : '?'}application_name=${schema}`;
      const stores = [0, 1].map(() => new PostgresStore({ connectionString: url, schema, max: 2 }));
      cleanups.push(() => dropSchema(schema));
      cleanups.push(async () => {
        for (const store of stores) await store.close();
      });
      const [a, b] = await Promise.all(stores.map((store) => createOrderService({ store })));
      await a!.place(orderInput({ orderId: 'r-1' }));
      await a!.apply('r-1', { type: 'clock.tick', at: buyerCancelUntil });

      // Hold the order row so that both writers read it, step, and then wait at their guarded UPDATE.
      const holder = new pg.Client({ connectionString: DATABASE_URL });
      await holder.connect();
      cleanups.push(() => holder.end());
      await holder.query('BEGIN');
      await holder.query(`SELECT 1 FROM "${schema}".orders WHERE order_id = 'r-1' FOR UPDATE`);
      const label = a!.apply('r-1', { type: 'seller.generateLabel', at: minute(40) });
      const cancel = b!.apply('r-1', { type: 'seller.cancel', at: minute(40), reason: 'NoInventory' });
      for (;;) {
        const waiting = await pgQuery<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
          [schema],
        );
        if (waiting.rows[0]!.n === 2) break;
      }
      await holder.query('COMMIT');
      const [labelled, cancelled] = await Promise.all([label, cancel]);

      // Both were stepped on version 2; whichever committed second was judged again on the winner's snapshot.
      const accepted = [labelled.verdict.accepted, cancelled.verdict.accepted];
      expect(accepted.filter(Boolean)).toHaveLength(1);
      if (labelled.verdict.accepted) {
        expect(cancelled.verdict.code).toBe('LABEL_GENERATED');
        expect(cancelled.status).toBe('label-generated');
      } else {
        expect(cancelled.status).toBe('canceled');
        expect(labelled.status).toBe('canceled');
      }
      const history = await a!.history('r-1');
      expect(history.map((h) => h.seq)).toEqual([1, 2, 3, 4]);
      expect(
        history
          .slice(2)
          .map((h) => h.event.type)
          .sort(),
      ).toEqual(['seller.cancel', 'seller.generateLabel']);
      expect(await disagreements(stores[0]!, ['r-1'])).toEqual([]);
    },
  );
});
