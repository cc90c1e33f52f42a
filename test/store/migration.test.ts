import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { POSTGRES_SCHEMA, PostgresStore, SQLITE_SCHEMA, SqliteStore, type OrderStore } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, pgQuery, skipPostgres, testSchemaName } from '../support/postgres.js';

/** The schema as the version before fencing tokens created it: the outbox without its `claim` column. */
const withoutClaim = (schema: string) => {
  const old = schema.replace(/,\n\s*claim\s+INTEGER NOT NULL DEFAULT 0\n/, '\n');
  expect(old).not.toContain('claim');
  return old;
};

/** Two outbox rows an older version wrote, one of them claimed by a drainer of that version. */
const oldRows = (outbox: string) => `
  INSERT INTO ${outbox} (order_id, version, seq, effect, available_at) VALUES ('a', 2, 2, '"a1"', 0), ('b', 2, 2, '"b1"', 500);`;

async function checkMigrated(store: OrderStore): Promise<void> {
  expect((await store.outboxEntries()).map((e) => [e.effect, e.claim])).toEqual([
    ['"a1"', 0],
    ['"b1"', 0],
  ]);
  const [claimed] = await store.claimOutbox({ now: 10, batch: 10, leaseMs: 100 });
  expect(claimed).toMatchObject({ effect: '"a1"', claim: 1 });
  expect(await store.completeOutbox({ id: claimed!.id, claim: 0 })).toBe(false);
  expect(await store.completeOutbox(claimed!)).toBe(true);
  expect((await store.outboxEntries()).map((e) => e.state)).toEqual(['done', 'pending']);
}

describe('an outbox written by the version before fencing tokens', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should get its claim column from SqliteStore.init(), keep its rows, and be read by a read-only store before that', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-migrate-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'orders.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(withoutClaim(SQLITE_SCHEMA));
    db.exec(oldRows('order_outbox'));
    db.close();
    // The inspector opens files read-only and migrates nothing: it still reads the outbox.
    const readOnly = new SqliteStore({ filename: file, readonly: true });
    cleanups.push(() => readOnly.close());
    await readOnly.init();
    expect((await readOnly.outboxEntries()).map((e) => e.claim)).toEqual([0, 0]);
    const store = new SqliteStore({ filename: file });
    cleanups.push(() => store.close());
    await store.init();
    await store.init();
    await checkMigrated(store);
  });

  it.skipIf(skipPostgres)(
    'should get its claim column from PostgresStore.init(), keep its rows, and be read by a read-only store before that',
    async () => {
      const schema = testSchemaName('migrate');
      cleanups.push(() => dropSchema(schema));
      await pgQuery(
        `CREATE SCHEMA "${schema}"; ${withoutClaim(POSTGRES_SCHEMA).replaceAll('%s', `"${schema}"`)} ${oldRows(`"${schema}".order_outbox`)}`,
      );
      const readOnly = new PostgresStore({ connectionString: DATABASE_URL, schema, readonly: true, max: 1 });
      cleanups.push(() => readOnly.close());
      expect((await readOnly.outboxEntries()).map((e) => e.claim)).toEqual([0, 0]);
      const store = new PostgresStore({ connectionString: DATABASE_URL, schema, max: 2 });
      cleanups.push(() => store.close());
      await store.init();
      await store.init();
      await checkMigrated(store);
    },
  );
});

/** The schema as the version before event ids created it: the history without its `event_id` column and index. */
const withoutEventId = (schema: string) => {
  const old = schema
    .replace(/\n\s*event_id\s+TEXT,/, '')
    .replace(/CREATE INDEX IF NOT EXISTS order_history_event[^\n]*\n/, '');
  expect(old).not.toContain('event_id');
  return old;
};

/** History rows an older version wrote: a place, an event with an id, one without. */
const oldHistory = (history: string) => `
  INSERT INTO ${history} (order_id, seq, version, event, verdict, effects, status_before, status_after, recorded_at, machine_version) VALUES
    ('a', 1, 1, '{"type":"order.place"}', '{"accepted":true}', '[]', NULL, 'unshipped', 1, 2),
    ('a', 2, 1, '{"type":"seller.generateLabel","at":5,"eventId":"e1"}', '{"accepted":false}', '[]', 'unshipped', 'unshipped', 2, 2),
    ('a', 3, 2, '{"type":"clock.tick","at":9}', '{"accepted":true}', '[]', 'unshipped', 'unshipped', 3, 2);`;

async function checkEventIds(store: OrderStore): Promise<void> {
  expect((await store.history('a')).map((row) => row.eventId)).toEqual([undefined, 'e1', undefined]);
  expect(
    (await store.transaction((tx) => tx.findEvent('a', 'e1', '{"type":"seller.generateLabel","at":5,"eventId":"e1"}')))
      ?.seq,
  ).toBe(2);
  expect(
    await store.transaction((tx) => tx.findEvent('a', 'e2', '{"type":"seller.generateLabel","at":5,"eventId":"e2"}')),
  ).toBeNull();
}

describe('a history written by the version before event ids', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should get its event_id column from SqliteStore.init(), filled in from each row’s event, and be read by a read-only store before that', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-migrate-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'orders.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.exec(withoutEventId(SQLITE_SCHEMA));
    db.exec(oldHistory('order_history'));
    db.close();
    const readOnly = new SqliteStore({ filename: file, readonly: true });
    cleanups.push(() => readOnly.close());
    await readOnly.init();
    expect((await readOnly.history('a')).map((row) => row.seq)).toEqual([1, 2, 3]);
    const store = new SqliteStore({ filename: file });
    cleanups.push(() => store.close());
    await store.init();
    await store.init();
    await checkEventIds(store);
  });

  it.skipIf(skipPostgres)(
    'should get its event_id column from PostgresStore.init(), filled in from each row’s event',
    async () => {
      const schema = testSchemaName('migrate');
      cleanups.push(() => dropSchema(schema));
      await pgQuery(
        `CREATE SCHEMA "${schema}"; ${withoutEventId(POSTGRES_SCHEMA).replaceAll('%s', `"${schema}"`)} ${oldHistory(`"${schema}".order_history`)}`,
      );
      const store = new PostgresStore({ connectionString: DATABASE_URL, schema, max: 2 });
      cleanups.push(() => store.close());
      await store.init();
      await store.init();
      await checkEventIds(store);
    },
  );
});
