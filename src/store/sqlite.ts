import { AsyncResource } from 'node:async_hooks';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Mutex } from './mutex.js';
import { normalizeListOptions } from './list.js';
import { WriteConflictError } from './types.js';
import type {
  HistoryRecord,
  IdempotencyRecord,
  OrderListing,
  OrderListOptions,
  OrderRow,
  OrderStore,
  OutboxClaimOptions,
  OutboxEntry,
  OutboxRecord,
  StoreTransaction,
} from './types.js';

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /** The database file (created when missing); `:memory:` for a private in-process database. */
  filename: string;
  /** How long a writer waits for another process's write lock before failing, in ms (SQLite `busy_timeout`). */
  busyTimeoutMs?: number;
  /**
   * Open an existing file read-only (the inspector does): no write ever reaches it, `init()` creates nothing,
   * and every write fails with SQLITE_READONLY.
   */
  readonly?: boolean;
  /**
   * WAL pages after which a commit copies the WAL back into the database file (SQLite `wal_autocheckpoint`;
   * default 10,000, about 40 MB). A checkpoint syncs the file: SQLite's own default of 1,000 pages made one every
   * hundred or so service transactions, which then cost three times as much. Durability is the same either way.
   */
  checkpointPages?: number;
}

/** The SQLite schema: one file, WAL journal. Exported for docs/service.md and the tests. */
export const SQLITE_SCHEMA = `
CREATE TABLE IF NOT EXISTS orders (
  order_id      TEXT PRIMARY KEY,
  version       INTEGER NOT NULL,
  status        TEXT NOT NULL,
  next_deadline INTEGER,
  seq           INTEGER NOT NULL,
  snapshot      TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS orders_next_deadline ON orders (next_deadline) WHERE next_deadline IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_status ON orders (status);
CREATE TABLE IF NOT EXISTS order_history (
  order_id        TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  version         INTEGER NOT NULL,
  event           TEXT NOT NULL,
  verdict         TEXT NOT NULL,
  effects         TEXT NOT NULL,
  status_before   TEXT,
  status_after    TEXT NOT NULL,
  recorded_at     INTEGER NOT NULL,
  machine_version INTEGER NOT NULL,
  PRIMARY KEY (order_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS order_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id     TEXT NOT NULL,
  version      INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  effect       TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  last_error   TEXT
);
CREATE INDEX IF NOT EXISTS order_outbox_pending ON order_outbox (id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS order_outbox_order ON order_outbox (order_id, id) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS order_idempotency (
  order_id TEXT NOT NULL,
  key      TEXT NOT NULL,
  request  TEXT NOT NULL,
  result   TEXT NOT NULL,
  PRIMARY KEY (order_id, key)
) WITHOUT ROWID;
`;

interface OrderColumns {
  order_id: string;
  version: number;
  status: string;
  next_deadline: number | null;
  seq: number;
  snapshot: string;
}

interface ListingColumns {
  order_id: string;
  status: string;
  version: number;
  next_deadline: number | null;
  recorded_at: number | null;
}

interface OutboxColumns {
  id: number;
  order_id: string;
  version: number;
  seq: number;
  effect: string;
  state: OutboxEntry['state'];
  attempts: number;
  available_at: number;
  last_error: string | null;
}

/**
 * The embedded default: one SQLite file in WAL mode through better-sqlite3. Several processes may share the
 * file; writes take SQLite's write lock (`BEGIN IMMEDIATE`), so a sweep batch is never claimed twice.
 * Transactions asked for while another runs share its COMMIT (group commit), each after the first in a savepoint
 * of its own.
 * @example
 * const service = await createOrderService({ store: new SqliteStore({ filename: 'orders.db' }) });
 */
export class SqliteStore implements OrderStore {
  readonly kind = 'sqlite';
  /** The better-sqlite3 connection, for inspection and benchmarks. */
  readonly db: Database.Database;
  private readonly mutex: Mutex;
  private statements?: ReturnType<SqliteStore['prepare']>;

  private readonly readOnly: boolean;

  constructor(options: SqliteStoreOptions) {
    this.readOnly = options.readonly === true;
    this.db = new Database(options.filename, this.readOnly ? { readonly: true, fileMustExist: true } : {});
    // better-sqlite3 blocks the thread while it waits for a lock: two connections of one process to one file
    // would wait on each other forever, so they share one mutex.
    this.mutex = sharedMutex(options.filename);
    this.db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 30_000))}`);
    if (this.readOnly) return;
    this.db.pragma('journal_mode = WAL');
    // WAL with synchronous=NORMAL is durable against process crashes (SIGKILL); a power loss may lose the
    // last commits but never corrupts the file.
    this.db.pragma('synchronous = NORMAL');
    // The savepoint of each transaction in a group journals the pages it changes: in memory rather than in a
    // temporary file, which every write of a group would otherwise write to.
    this.db.pragma('temp_store = MEMORY');
    this.db.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(options.checkpointPages ?? 10_000))}`);
    // After a checkpoint the WAL file is cut back to this size rather than kept at its largest.
    this.db.pragma('journal_size_limit = 67108864');
  }

  async init(): Promise<void> {
    await this.mutex.run(() => {
      if (!this.readOnly) this.db.exec(SQLITE_SCHEMA);
      this.statements = this.prepare();
    });
  }

  private prepare() {
    const db = this.db;
    return {
      getOrder: db.prepare<[string], OrderColumns>('SELECT * FROM orders WHERE order_id = ?'),
      claimDue: db.prepare<[number, number], OrderColumns>(
        'SELECT * FROM orders WHERE next_deadline IS NOT NULL AND next_deadline <= ? ORDER BY next_deadline, order_id LIMIT ?',
      ),
      insertOrder: db.prepare(
        'INSERT INTO orders (order_id, version, status, next_deadline, seq, snapshot) VALUES (@orderId, @version, @status, @nextDeadline, @seq, @snapshot) ON CONFLICT (order_id) DO NOTHING',
      ),
      updateOrder: db.prepare(
        'UPDATE orders SET version = @version, status = @status, next_deadline = @nextDeadline, seq = @seq, snapshot = @snapshot WHERE order_id = @orderId AND seq = @expectedSeq',
      ),
      getKey: db.prepare<[string, string], IdempotencyRecord>('SELECT request, result FROM order_idempotency WHERE order_id = ? AND key = ?'),
      putKey: db.prepare('INSERT INTO order_idempotency (order_id, key, request, result) VALUES (?, ?, ?, ?)'),
      appendHistory: db.prepare(
        'INSERT INTO order_history (order_id, seq, version, event, verdict, effects, status_before, status_after, recorded_at, machine_version) VALUES (@orderId, @seq, @version, @event, @verdict, @effects, @statusBefore, @statusAfter, @recordedAt, @machineVersion)',
      ),
      addOutbox: db.prepare('INSERT INTO order_outbox (order_id, version, seq, effect, available_at) VALUES (@orderId, @version, @seq, @effect, @availableAt)'),
      history: db.prepare<[string], Record<string, unknown>>('SELECT * FROM order_history WHERE order_id = ? ORDER BY seq'),
      // Every filter is in the one statement, switched off by a NULL parameter; order_id uses the primary key.
      listOrders: db.prepare<[{ status: string | null; idContains: string | null; afterId: string | null; limit: number }], ListingColumns>(`
        SELECT o.order_id, o.status, o.version, o.next_deadline, h.recorded_at
        FROM orders o LEFT JOIN order_history h ON h.order_id = o.order_id AND h.seq = o.seq
        WHERE (@status IS NULL OR o.status = @status)
          AND (@idContains IS NULL OR instr(o.order_id, @idContains) > 0)
          AND (@afterId IS NULL OR o.order_id > @afterId)
        ORDER BY o.order_id LIMIT @limit`),
      countDue: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM orders WHERE next_deadline IS NOT NULL AND next_deadline <= ?'),
      // An earlier pending row of the same order that is reserved or waiting for a retry holds later ones back.
      claimCandidates: db.prepare<[{ now: number; batch: number }], OutboxColumns>(`
        SELECT * FROM order_outbox o
        WHERE o.state = 'pending' AND o.available_at <= @now
          AND NOT EXISTS (
            SELECT 1 FROM order_outbox p
            WHERE p.order_id = o.order_id AND p.state = 'pending' AND p.id < o.id AND p.available_at > @now
          )
        ORDER BY o.id LIMIT @batch`),
      lease: db.prepare('UPDATE order_outbox SET available_at = ? WHERE id = ?'),
      complete: db.prepare("UPDATE order_outbox SET state = 'done' WHERE id = ?"),
      fail: db.prepare('UPDATE order_outbox SET attempts = @attempts, available_at = @availableAt, state = @state, last_error = @error WHERE id = @id'),
      release: db.prepare("UPDATE order_outbox SET available_at = ? WHERE id = ? AND state = 'pending'"),
      outboxAll: db.prepare<[], OutboxColumns>('SELECT * FROM order_outbox ORDER BY id'),
      outboxOf: db.prepare<[string], OutboxColumns>('SELECT * FROM order_outbox WHERE order_id = ? ORDER BY id'),
      // Prepared once: `exec` would parse these three on every transaction.
      begin: db.prepare('BEGIN IMMEDIATE'),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
      savepoint: db.prepare('SAVEPOINT member'),
      releaseMember: db.prepare('RELEASE member'),
      rollbackTo: db.prepare('ROLLBACK TO member'),
    };
  }

  private get sql() {
    // A store opened on an existing file may be used without init(); the tables must exist by then.
    return (this.statements ??= this.prepare());
  }

  /**
   * Runs `fn` in a transaction of its own, committed together with the transactions that wait for the connection
   * at the same time (group commit; see `runGroup`): a back end's concurrent requests share one COMMIT.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      // Run later by the group, in the caller's async context (AsyncLocalStorage, tracing), as if awaited here.
      this.waiting.push({ fn: AsyncResource.bind(fn), resolve: resolve as (value: unknown) => void, reject });
      if (this.scheduled) return;
      this.scheduled = true;
      void this.mutex.run(() => this.runGroup());
    });
  }

  /** Transactions waiting for the connection, in the order they were asked for. */
  private readonly waiting: Waiting[] = [];
  /** Whether a group is running or waits for the mutex: a new transaction then joins it or the one after. */
  private scheduled = false;

  /**
   * One SQLite transaction (`BEGIN IMMEDIATE` … `COMMIT`) for the transactions waiting now and those asked for
   * while it runs, at most GROUP_LIMIT, one after the other in the order asked; each after the first runs inside a
   * savepoint. One that throws is rolled back (to its savepoint, or the whole SQLite transaction when it was the
   * first) and rejected at once, and the group goes on. The others resolve only once the COMMIT has returned;
   * when it fails, or SQLite itself ended the transaction, they all reject and nothing of the group is stored.
   */
  private async runGroup(): Promise<void> {
    const members: Array<{ member: Waiting; result: unknown }> = [];
    try {
      let sql: ReturnType<SqliteStore['prepare']>;
      try {
        sql = this.sql;
        sql.begin.run();
      } catch (error) {
        // No transaction to begin (a closed store, a file without the tables, another process's lock held past
        // busy_timeout): every transaction waiting now would meet the same.
        for (const member of this.waiting.splice(0)) member.reject(error);
        return;
      }
      let open = true;
      for (let taken = 0; taken < GROUP_LIMIT && this.waiting.length > 0; taken++) {
        if (!open) {
          sql.begin.run();
          open = true;
        }
        const member = this.waiting.shift()!;
        // The first transaction of the SQLite transaction needs no savepoint: rolling back all of it undoes that
        // one alone. A savepoint keeps a copy of every page its transaction changes (megabytes for a sweep batch).
        const guarded = members.length > 0;
        if (guarded) sql.savepoint.run();
        const tx = this.txApi(sql);
        let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, result: await member.fn(tx.api) };
        } catch (error) {
          outcome = { ok: false, error };
        }
        tx.close();
        if (!this.db.inTransaction) {
          // SQLite ended the whole transaction (SQLITE_FULL, SQLITE_IOERR), even if the callback caught the error:
          // this transaction and the ones before it in the group are gone.
          const error = outcome.ok ? new Error('SQLite ended the transaction while it ran (a full disk, an I/O error): nothing of it was stored.') : outcome.error;
          member.reject(conflictOf(error));
          throw error;
        }
        if (outcome.ok) {
          if (guarded) sql.releaseMember.run();
          members.push({ member, result: outcome.result });
          continue;
        }
        member.reject(conflictOf(outcome.error));
        if (guarded) {
          sql.rollbackTo.run();
          sql.releaseMember.run();
        } else {
          // It was alone in the SQLite transaction; the next one, if any, begins another.
          sql.rollback.run();
          open = false;
        }
      }
      if (open) sql.commit.run();
      for (const { member, result } of members) member.resolve(result);
    } catch (error) {
      // Nothing of the group is stored: reject first, then roll back what SQLite still holds open.
      for (const { member } of members) member.reject(conflictOf(error));
      if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
    } finally {
      this.scheduled = this.waiting.length > 0;
      if (this.scheduled) void this.mutex.run(() => this.runGroup());
    }
  }

  /** The reads and writes of one transaction of a group; after `close()` they throw instead of joining another's. */
  private txApi(sql: ReturnType<SqliteStore['prepare']>): { api: StoreTransaction; close(): void } {
    let open = true;
    const live = () => {
      if (!open) throw new Error('This store transaction has ended: use the transaction object only inside its own callback.');
      return sql;
    };
    const api: StoreTransaction = {
      getOrder: async (orderId) => toOrder(live().getOrder.get(orderId)),
      claimDue: async (now, limit, exclude) => {
        if (exclude.length === 0) return live().claimDue.all(now, limit).map((row) => toOrder(row)!);
        const skip = new Set(exclude);
        const rows = live().claimDue.all(now, limit + skip.size).filter((row) => !skip.has(row.order_id));
        return rows.slice(0, limit).map((row) => toOrder(row)!);
      },
      insertOrder: async (row) => live().insertOrder.run(row).changes === 1,
      updateOrder: async (row, expectedSeq) => live().updateOrder.run({ ...row, expectedSeq }).changes === 1,
      getIdempotency: async (orderId, key) => live().getKey.get(orderId, key) ?? null,
      putIdempotency: async (orderId, key, record) => {
        live().putKey.run(orderId, key, record.request, record.result);
      },
      appendHistory: async (row) => {
        live().appendHistory.run(row);
      },
      addOutbox: async (rows: readonly OutboxRecord[], availableAt: number) => {
        const statements = live();
        for (const row of rows) statements.addOutbox.run({ ...row, availableAt });
      },
    };
    return {
      api,
      close: () => {
        open = false;
      },
    };
  }

  getOrder(orderId: string): Promise<OrderRow | null> {
    return this.mutex.run(() => toOrder(this.sql.getOrder.get(orderId)));
  }

  async listOrders(options?: OrderListOptions): Promise<OrderListing[]> {
    const { status, idContains, limit, afterId } = normalizeListOptions(options);
    return this.mutex.run(() =>
      this.sql.listOrders.all({ status: status ?? null, idContains: idContains ?? null, afterId: afterId ?? null, limit }).map((row) => ({
        orderId: row.order_id,
        status: row.status as OrderListing['status'],
        version: row.version,
        nextDeadline: row.next_deadline,
        ...(row.recorded_at === null ? {} : { updatedAt: row.recorded_at }),
      })),
    );
  }

  history(orderId: string): Promise<HistoryRecord[]> {
    return this.mutex.run(() => this.sql.history.all(orderId).map(toHistory));
  }

  countDue(now: number): Promise<number> {
    return this.mutex.run(() => this.sql.countDue.get(now)!.n);
  }

  claimOutbox({ now, batch, leaseMs }: OutboxClaimOptions): Promise<OutboxEntry[]> {
    return this.mutex.run(() => {
      const sql = this.sql;
      return this.db
        .transaction(() => {
          const rows = sql.claimCandidates.all({ now, batch });
          for (const row of rows) sql.lease.run(now + leaseMs, row.id);
          return rows.map(toOutbox);
        })
        .immediate();
    });
  }

  completeOutbox(id: number): Promise<void> {
    return this.mutex.run(() => {
      this.sql.complete.run(id);
    });
  }

  failOutbox(id: number, update: { attempts: number; availableAt: number; parked: boolean; error: string }): Promise<void> {
    return this.mutex.run(() => {
      this.sql.fail.run({ id, attempts: update.attempts, availableAt: update.availableAt, state: update.parked ? 'parked' : 'pending', error: update.error });
    });
  }

  releaseOutbox(ids: readonly number[], availableAt: number): Promise<void> {
    return this.mutex.run(() => {
      this.db.transaction(() => {
        for (const id of ids) this.sql.release.run(availableAt, id);
      })();
    });
  }

  outboxEntries(orderId?: string): Promise<OutboxEntry[]> {
    return this.mutex.run(() => (orderId === undefined ? this.sql.outboxAll.all() : this.sql.outboxOf.all(orderId)).map(toOutbox));
  }

  async close(): Promise<void> {
    await this.mutex.run(() => this.db.close());
  }
}

/** A transaction asked for and not yet run. */
interface Waiting {
  fn: (tx: StoreTransaction) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many transactions share a COMMIT; the rest wait for the next group. */
const GROUP_LIMIT = 256;

/** A unique-key violation is a lost race the caller may retry (`WriteConflictError`); anything else as it is. */
function conflictOf(error: unknown): unknown {
  const code = (error as { code?: string }).code;
  if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
    return new WriteConflictError(`A concurrent write took the same key: ${(error as Error).message}.`, { cause: error });
  }
  return error;
}

const mutexes = new Map<string, Mutex>();
function sharedMutex(filename: string): Mutex {
  if (filename === ':memory:' || filename === '') return new Mutex();
  const key = resolve(filename);
  let mutex = mutexes.get(key);
  if (!mutex) mutexes.set(key, (mutex = new Mutex()));
  return mutex;
}

function toOrder(row: OrderColumns | undefined): OrderRow | null {
  if (!row) return null;
  return { orderId: row.order_id, version: row.version, status: row.status, nextDeadline: row.next_deadline, seq: row.seq, snapshot: row.snapshot };
}

function toHistory(row: Record<string, unknown>): HistoryRecord {
  return {
    orderId: row['order_id'] as string,
    seq: row['seq'] as number,
    version: row['version'] as number,
    event: row['event'] as string,
    verdict: row['verdict'] as string,
    effects: row['effects'] as string,
    statusBefore: row['status_before'] as string | null,
    statusAfter: row['status_after'] as string,
    recordedAt: row['recorded_at'] as number,
    machineVersion: row['machine_version'] as number,
  };
}

function toOutbox(row: OutboxColumns): OutboxEntry {
  return {
    id: row.id,
    orderId: row.order_id,
    version: row.version,
    seq: row.seq,
    effect: row.effect,
    state: row.state,
    attempts: row.attempts,
    availableAt: row.available_at,
    lastError: row.last_error,
  };
}
