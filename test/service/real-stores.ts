import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import {
  PostgresStore,
  SqliteStore,
  StoreBusyError,
  StoreConnectionError,
  type OrderStore,
  type StepWrite,
  type StepWriteOutcome,
  type StoreTransaction,
} from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';

/** A database store under test, a way to open more stores on the same data, and SQL straight to its tables. */
export interface SqlStore {
  store: OrderStore;
  /** Another store (connection or pool) on the same data. */
  reopen(options?: { max?: number }): OrderStore;
  /** Runs one statement on the store's tables through a connection of its own; `?` placeholders. */
  sql(statement: string, ...values: unknown[]): Promise<void>;
  cleanup(): Promise<void>;
}

export interface SqlStoreKind {
  name: 'sqlite' | 'postgres';
  skip: boolean;
  open(): SqlStore;
}

/** SQLite in a file of its own, PostgreSQL in a schema of its own; both removed by `cleanup`. */
export const sqlStoreKinds: SqlStoreKind[] = [
  {
    name: 'sqlite',
    skip: false,
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'ol-service-'));
      const filename = join(dir, 'orders.db');
      const opened: OrderStore[] = [];
      const reopen = () => {
        const store = new SqliteStore({ filename });
        opened.push(store);
        return store;
      };
      return {
        store: reopen(),
        reopen,
        sql: async (statement, ...values) => {
          const db = new Database(filename);
          try {
            db.prepare(statement).run(...values);
          } finally {
            db.close();
          }
        },
        cleanup: async () => {
          for (const store of opened) await store.close().catch(() => {});
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: skipPostgres,
    open: () => {
      const schema = testSchemaName('service');
      const opened: OrderStore[] = [];
      const reopen = (options: { max?: number } = {}) => {
        const store = new PostgresStore({ connectionString: DATABASE_URL, schema, max: options.max ?? 4 });
        opened.push(store);
        return store;
      };
      return {
        store: reopen(),
        reopen,
        sql: async (statement, ...values) => {
          const client = new pg.Client({ connectionString: DATABASE_URL, options: `-c search_path=${schema}` });
          await client.connect();
          try {
            let n = 0;
            await client.query(
              statement.replace(/\?/g, () => `$${++n}`),
              values,
            );
          } finally {
            await client.end();
          }
        },
        cleanup: async () => {
          for (const store of opened) await store.close().catch(() => {});
          await dropSchema(schema);
        },
      };
    },
  },
];

/**
 * What a `FaultyStore` does to one transaction: a connection lost before COMMIT (the real transaction rolls back),
 * one lost during COMMIT after the real one committed (`unknown`, stored) or before it did (`unknown`, rolled
 * back), or a lock held past the timeout (nothing run).
 */
export type Fault =
  'lost before commit' | 'lost during commit, committed' | 'lost during commit, not committed' | 'busy';

/** A real store whose transactions (and single-statement steps) meet queued faults; see `faultyStore`. */
export type FaultyStore = OrderStore & {
  /** Faults for the next transactions, first one first; an empty queue passes every transaction through. */
  faults: Fault[];
  /** Transactions asked for, faulty or not, single-statement steps (`writeStep`) included. */
  transactions: number;
};

/**
 * A real store whose transactions meet the faults queued in `faults`, one per transaction, as a dropped connection
 * or a held lock would. The database stays real: every read and write goes to it.
 */
export function faultyStore(inner: OrderStore): FaultyStore {
  const state = { faults: [] as Fault[], transactions: 0 };
  async function transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    state.transactions++;
    const fault = state.faults.shift();
    if (fault === undefined) return inner.transaction(fn);
    if (fault === 'busy') throw new StoreBusyError('The database stayed locked by another connection for 5000 ms.');
    if (fault === 'lost during commit, committed') {
      await inner.transaction(fn);
      throw new StoreConnectionError('The connection was lost during COMMIT.', 'unknown');
    }
    return inner.transaction(async (tx) => {
      await fn(tx);
      throw new StoreConnectionError('The connection was lost.', fault === 'lost before commit' ? 'no' : 'unknown');
    });
  }
  // A store that writes a step in one statement (PostgresStore) meets the same faults there: the statement is its
  // transaction, lost before it was sent (nothing stored), during it (stored or not, the outcome unknown) or kept
  // waiting on a lock.
  async function writeStep(step: StepWrite): Promise<StepWriteOutcome> {
    state.transactions++;
    const fault = state.faults.shift();
    if (fault === undefined) return inner.writeStep!(step);
    if (fault === 'busy') throw new StoreBusyError('The database stayed locked by another connection for 5000 ms.');
    if (fault === 'lost before commit') throw new StoreConnectionError('The connection was lost.', 'no');
    if (fault === 'lost during commit, committed') await inner.writeStep!(step);
    throw new StoreConnectionError('The connection was lost during the write.', 'unknown');
  }
  // A proxy rather than a class: every other method reaches the real store as it is, whatever its signature.
  return new Proxy(inner, {
    get(target, property) {
      if (property === 'transaction') return transaction;
      if (property === 'writeStep' && inner.writeStep) return writeStep;
      if (property === 'faults') return state.faults;
      if (property === 'transactions') return state.transactions;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as FaultyStore;
}
