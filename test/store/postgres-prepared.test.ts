import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { PostgresStore, WriteConflictError, type OrderRow, type StoreTransaction } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';

const row = (orderId: string, seq: number, snapshot: string): OrderRow => ({
  orderId,
  version: seq,
  status: 'Pending',
  nextDeadline: 1_000 + seq,
  seq,
  snapshot,
});

/** One event's writes, as the service makes them: read, guarded update, history, outbox, idempotency key. */
async function writeEvent(tx: StoreTransaction, orderId: string, label: string): Promise<OrderRow> {
  const before = (await tx.getOrder(orderId))!;
  const after = row(orderId, before.seq + 1, `${label}-${before.seq + 1}`);
  expect(await tx.updateOrder(after, before.seq)).toBe(true);
  await tx.appendHistory({
    orderId,
    seq: after.seq,
    version: after.version,
    event: `{"type":"${label}"}`,
    verdict: '{}',
    effects: '[]',
    statusBefore: before.status,
    statusAfter: after.status,
    recordedAt: 5,
    machineVersion: 1,
    eventId: `${label}-${after.seq}`,
  });
  await tx.addOutbox([{ orderId, version: after.version, seq: after.seq, effect: `{"e":"${label}"}` }], 7);
  await tx.putIdempotency(orderId, `key-${after.seq}`, { request: label, result: 'ok' });
  return after;
}

/** The names of the statements prepared on the pool's one connection. */
async function preparedNames(pool: pg.Pool): Promise<string[]> {
  const result = await pool.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
  return result.rows.map((r) => r.name);
}

describe.skipIf(skipPostgres)('PostgresStore named statements', () => {
  const schemas: string[] = [];
  const pools: pg.Pool[] = [];
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.end()));
    await Promise.all(schemas.splice(0).map((schema) => dropSchema(schema)));
  });

  /** A pool of one connection, so that every statement of every store on it runs on the same server session. */
  const onePool = () => {
    const pool = new pg.Pool({ connectionString: DATABASE_URL, max: 1 });
    pools.push(pool);
    return pool;
  };
  const storeOn = async (pool: pg.Pool, options: { preparedStatements?: boolean } = {}) => {
    const schema = testSchemaName('prepared');
    schemas.push(schema);
    const store = new PostgresStore({ pool, schema, ...options });
    await store.init();
    return store;
  };

  it('should keep two stores on other schemas apart on one connection: each statement is named per schema', async () => {
    const pool = onePool();
    const a = await storeOn(pool);
    const b = await storeOn(pool);
    await a.transaction(async (tx) => expect(await tx.insertOrder(row('O-1', 1, 'a-1'))).toBe(true));
    await b.transaction(async (tx) => expect(await tx.insertOrder(row('O-1', 1, 'b-1'))).toBe(true));
    // Interleaved, three times each: the second and third run only bind the statements the first prepared.
    for (let i = 0; i < 3; i++) {
      await a.transaction((tx) => writeEvent(tx, 'O-1', 'a'));
      await b.transaction((tx) => writeEvent(tx, 'O-1', 'b'));
    }

    expect(await a.getOrder('O-1')).toMatchObject({ seq: 4, snapshot: 'a-4' });
    expect(await b.getOrder('O-1')).toMatchObject({ seq: 4, snapshot: 'b-4' });
    expect((await a.history('O-1')).map((h) => h.eventId)).toEqual(['a-2', 'a-3', 'a-4']);
    expect((await b.history('O-1')).map((h) => h.eventId)).toEqual(['b-2', 'b-3', 'b-4']);
    expect((await a.outboxEntries('O-1')).map((e) => e.effect)).toEqual(Array(3).fill('{"e":"a"}'));
    expect((await b.outboxEntries('O-1')).map((e) => e.effect)).toEqual(Array(3).fill('{"e":"b"}'));
    await a.transaction(async (tx) => {
      expect(await tx.findEvent('O-1', 'a-3', '{"type":"a"}')).toMatchObject({ seq: 3, eventId: 'a-3' });
      expect(await tx.findEvent('O-1', 'b-3', '{"type":"b"}')).toBeNull();
      expect(await tx.getIdempotency('O-1', 'key-2')).toEqual({ request: 'a', result: 'ok' });
    });
    await b.transaction(async (tx) => {
      expect(await tx.getIdempotency('O-1', 'key-2')).toEqual({ request: 'b', result: 'ok' });
      expect((await tx.claimDue(10_000, 10, [])).map((r) => r.snapshot)).toEqual(['b-4']);
    });
    expect((await a.claimOutbox({ now: 10, batch: 10, leaseMs: 1_000 })).map((e) => e.effect)).toEqual(
      Array(3).fill('{"e":"a"}'),
    );

    // One connection holds both stores' statements, under names that differ by the schema in their text.
    const names = await preparedNames(pool);
    const updates = names.filter((name) => name.startsWith('ol_update_order_'));
    expect(updates).toHaveLength(2);
    expect(names.every((name) => name.length <= 63)).toBe(true);
  });

  it('should send unnamed statements with preparedStatements: false', async () => {
    const pool = onePool();
    const store = await storeOn(pool, { preparedStatements: false });
    await store.transaction(async (tx) => expect(await tx.insertOrder(row('O-1', 1, 's-1'))).toBe(true));
    await store.transaction((tx) => writeEvent(tx, 'O-1', 's'));
    expect(await store.getOrder('O-1')).toMatchObject({ seq: 2 });
    expect(await preparedNames(pool)).toEqual([]);
  });

  it('should turn named statements off when the connection no longer knows them (a pooler in transaction mode), failing that one transaction as a conflict', async () => {
    const pool = onePool();
    const store = await storeOn(pool);
    await store.transaction(async (tx) => expect(await tx.insertOrder(row('O-1', 1, 's-1'))).toBe(true));
    await store.transaction((tx) => writeEvent(tx, 'O-1', 's'));
    // What a server connection other than the one that prepared them looks like: the names are gone.
    await pool.query('DEALLOCATE ALL');

    const error = await store.transaction((tx) => writeEvent(tx, 'O-1', 's')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WriteConflictError);
    expect(await store.getOrder('O-1')).toMatchObject({ seq: 2 }); // rolled back

    // The retry goes through, unnamed.
    await store.transaction((tx) => writeEvent(tx, 'O-1', 's'));
    expect(await store.getOrder('O-1')).toMatchObject({ seq: 3, snapshot: 's-3' });
    expect(await preparedNames(pool)).toEqual([]);
  });
});
