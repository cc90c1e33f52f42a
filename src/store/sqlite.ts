import { AsyncResource } from 'node:async_hooks';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import type Database from 'better-sqlite3';
import { loadOptional } from '../domain/index.js';
import { Mutex } from './mutex.js';
import { normalizeListOptions } from './list.js';
import { StoreBusyError, StoreError, StoreFullError, WriteConflictError } from './types.js';
import type {
  HistoryRecord,
  IdempotencyRecord,
  OrderListing,
  OrderListOptions,
  OrderRow,
  OrderStore,
  OutboxClaim,
  OutboxClaimOptions,
  OutboxEntry,
  OutboxRecord,
  StoreTransaction,
} from './types.js';

/** Options of `SqliteStore`. */
export interface SqliteStoreOptions {
  /** The database file (created when missing); `:memory:` for a private in-process database. */
  filename: string;
  /**
   * How long a transaction waits for a lock another connection or process holds before it fails with
   * `StoreBusyError`, in ms (default 30,000). The wait does not block the event loop (except, once, when the
   * constructor switches a file to WAL): the store tries again after pauses that double, with jitter.
   */
  lockTimeoutMs?: number;
  /** @deprecated The former name of `lockTimeoutMs`, read when `lockTimeoutMs` is not given. */
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
  /**
   * Whether transactions that wait for the connection while another runs share its `COMMIT`, each after the
   * first in a savepoint of its own (default true): concurrent requests then pay for one commit per group. Off,
   * every transaction has a `BEGIN`…`COMMIT` of its own and resolves as soon as it committed, rather than after
   * the transactions of its group that run after it; see docs/service.md.
   */
  groupCommit?: boolean;
}

/**
 * The part of a better-sqlite3 `Database` that `SqliteStore.db` shows (declared here, so that the package's types need
 * no `@types/better-sqlite3`; the object is better-sqlite3's own, with all of its methods).
 */
export interface SqliteDatabase {
  /** Whether the connection is open. */
  readonly open: boolean;
  /** Whether a transaction is open on the connection. */
  readonly inTransaction: boolean;
  /** Runs SQL text of one or more statements, without parameters. */
  exec(source: string): unknown;
  /** Compiles one statement. */
  prepare(source: string): SqliteStatement;
  /** Runs a PRAGMA (`pragma('journal_mode')`); `simple` returns the first column of the first row. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  /**
   * Wraps `fn` in BEGIN…COMMIT (ROLLBACK when it throws).
   * @typeParam F - the function run in the transaction; the result takes the same arguments.
   */
  transaction<F extends (...args: never[]) => unknown>(
    fn: F,
  ): (...args: F extends (...args: infer A) => unknown ? A : never) => ReturnType<F>;
  /** Closes the connection. */
  close(): unknown;
}

/** A compiled statement of a {@link SqliteDatabase}. */
export interface SqliteStatement {
  /** Runs the statement; how many rows it changed and the last inserted rowid. */
  run(...parameters: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  /** The first row, or undefined. */
  get(...parameters: unknown[]): unknown;
  /** Every row. */
  all(...parameters: unknown[]): unknown[];
}

/** A `require` for the optional peer dependency, loaded when a store is made (it is CommonJS). */
const require = createRequire(import.meta.url);

/** How long a transaction waits for another connection's lock by default, in ms. */
const DEFAULT_LOCK_TIMEOUT_MS = 30_000;

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
  event_id        TEXT,
  PRIMARY KEY (order_id, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS order_history_event ON order_history (order_id, event_id) WHERE event_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS order_outbox (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  order_id     TEXT NOT NULL,
  version      INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  effect       TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  available_at INTEGER NOT NULL,
  last_error   TEXT,
  claim        INTEGER NOT NULL DEFAULT 0
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
  /** Missing on a file an older version created, until `init()` adds it. */
  claim?: number;
}

/**
 * The embedded default: one SQLite file in WAL mode through better-sqlite3. Several processes may share the
 * file; writes take SQLite's write lock (`BEGIN IMMEDIATE`), so a sweep batch is never claimed twice.
 * Transactions asked for while another runs share its COMMIT (group commit, `groupCommit`, on by default), each
 * after the first in a savepoint of its own. A lock held elsewhere is waited for without blocking the event loop, and reads run on a connection
 * of their own, so they never wait behind writes. Needs the optional peer dependency better-sqlite3: the constructor
 * throws MissingDependencyError without it.
 * @example
 * const service = await createOrderService({ store: new SqliteStore({ filename: 'orders.db', lockTimeoutMs: 10_000 }) });
 */
export class SqliteStore implements OrderStore {
  readonly kind = 'sqlite';
  /** How long a transaction waits for another connection's lock before it fails with StoreBusyError, in ms. */
  readonly lockTimeoutMs: number;
  /** The connection that writes (`db`). */
  private readonly writer: Database.Database;
  /** The connection reads run on: another one to the same file, or `writer` itself for `:memory:` and read-only stores. */
  private readonly reader: Database.Database;
  /** The file as named in errors. */
  private readonly location: string;
  private readonly mutex: Mutex;
  private controlStatements: ReturnType<typeof prepareControl> | undefined;
  private writeStatements?: ReturnType<typeof prepareWrites>;
  private readStatements?: ReturnType<typeof prepareReads>;

  private readonly readOnly: boolean;
  /** At most this many transactions share a COMMIT: GROUP_LIMIT, or 1 without group commit. */
  private readonly groupLimit: number;

  /**
   * The better-sqlite3 connection that writes, for inspection and benchmarks.
   * @example
   * store.db.pragma('wal_checkpoint(TRUNCATE)');
   */
  get db(): SqliteDatabase {
    return this.writer;
  }

  constructor(options: SqliteStoreOptions) {
    this.readOnly = options.readonly === true;
    this.groupLimit = options.groupCommit === false ? 1 : GROUP_LIMIT;
    const inMemory = options.filename === ':memory:' || options.filename === '';
    this.location = inMemory ? ':memory:' : resolve(options.filename);
    this.lockTimeoutMs = Math.max(
      0,
      Math.floor(options.lockTimeoutMs ?? options.busyTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS),
    );
    const Sqlite = loadOptional('better-sqlite3', 'SqliteStore', () => require('better-sqlite3') as typeof Database);
    this.writer = new Sqlite(options.filename, this.readOnly ? { readonly: true, fileMustExist: true } : {});
    // Writes of this process's stores on one file take turns here rather than meet each other's lock.
    this.mutex = sharedMutex(options.filename);
    if (!this.readOnly) {
      // Switching a new file to WAL needs its lock for a moment; this one wait, at open, blocks.
      this.writer.pragma(`busy_timeout = ${this.lockTimeoutMs}`);
      const start = performance.now();
      try {
        this.writer.pragma('journal_mode = WAL');
      } catch (error) {
        this.writer.close();
        throw isBusy(error) ? this.busy(performance.now() - start, 'open', error) : error;
      }
      // WAL with synchronous=NORMAL is durable against process crashes (SIGKILL); a power loss may lose the
      // last commits but never corrupts the file.
      this.writer.pragma('synchronous = NORMAL');
      // The savepoint of each transaction in a group journals the pages it changes: in memory rather than in a
      // temporary file, which every write of a group would otherwise write to.
      this.writer.pragma('temp_store = MEMORY');
      this.writer.pragma(`wal_autocheckpoint = ${Math.max(1, Math.floor(options.checkpointPages ?? 10_000))}`);
      // After a checkpoint the WAL file is cut back to this size rather than kept at its largest.
      this.writer.pragma('journal_size_limit = 67108864');
    }
    // better-sqlite3 would wait out busy_timeout on the event-loop thread, stalling every timer and socket of the
    // process: SQLite answers SQLITE_BUSY at once instead, and the store waits asynchronously (see whenFree).
    this.writer.pragma('busy_timeout = 0');
    if (inMemory || this.readOnly) {
      this.reader = this.writer;
    } else {
      // In WAL mode a reader sees the last commit and never waits for the writer, on a connection of its own.
      this.reader = new Sqlite(options.filename);
      this.reader.pragma('busy_timeout = 0');
      this.reader.pragma('query_only = ON');
    }
  }

  async init(): Promise<void> {
    if (!this.readOnly) {
      await this.write(() => {
        const columns = (table: string) =>
          (this.writer.pragma(`table_info(${table})`) as Array<{ name: string }>).map((column) => column.name);
        // A file an older version created has a history without the event id column (added, and filled in from
        // each row's event, before the schema's index on it) and an outbox without the fencing token.
        const history = columns('order_history');
        if (history.length > 0 && !history.includes('event_id')) {
          this.writer.exec('ALTER TABLE order_history ADD COLUMN event_id TEXT');
          this.writer.exec(
            "UPDATE order_history SET event_id = json_extract(event, '$.eventId') WHERE json_valid(event)",
          );
        }
        this.writer.exec(SQLITE_SCHEMA);
        if (!columns('order_outbox').includes('claim'))
          this.writer.exec('ALTER TABLE order_outbox ADD COLUMN claim INTEGER NOT NULL DEFAULT 0');
      });
    }
    // Prepared now so that a file without the tables fails here; statements of a read-only store on a file an
    // older version wrote never name the claim column.
    this.readStatements ??= prepareReads(this.reader);
  }

  /** BEGIN, COMMIT and the savepoints, prepared on the first transaction (after any wrapping of `db.prepare`). */
  private get control() {
    return (this.controlStatements ??= prepareControl(this.writer));
  }

  private get sql() {
    // A store opened on an existing file may be used without init(); the tables must exist by then.
    return (this.writeStatements ??= prepareWrites(this.writer));
  }

  private get reads() {
    return (this.readStatements ??= prepareReads(this.reader));
  }

  /**
   * Runs `fn` in a transaction of its own, committed together with the transactions that wait for the connection
   * at the same time (group commit; see `runGroup`): a back end's concurrent requests share one COMMIT.
   */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    // Run later by the group, in the caller's async context (AsyncLocalStorage, tracing), as if awaited here. One
    // resource per transaction: AsyncResource.bind (and Node 20's AsyncLocalStorage.snapshot, built on it) costs
    // about 100 times as much, since each call also wraps a function with Node's deprecate().
    const caller = new AsyncResource('OrderLifecycleSqliteTransaction');
    return this.write(async () => {
      const tx = this.txApi(this.sql);
      try {
        return await caller.runInAsyncScope(fn, undefined, tx.api);
      } finally {
        tx.close();
      }
    });
  }

  /** Queues `work` to run in the next group's SQLite transaction; resolves once that transaction committed. */
  private write<T>(work: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({ run: work, resolve: resolve as (value: unknown) => void, reject, since: performance.now() });
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
   * first, which ends the group) and rejected at once, and the group goes on. The others resolve only once the
   * COMMIT has returned; when it fails, or SQLite itself ended the transaction, they all reject and nothing of the
   * group is stored.
   */
  private async runGroup(): Promise<void> {
    const members: Array<{ member: Waiting; result: unknown }> = [];
    try {
      if (!(await this.begin())) return;
      let open = true;
      for (let taken = 0; open && taken < this.groupLimit && this.waiting.length > 0; taken++) {
        const member = this.waiting.shift()!;
        // The first transaction of the SQLite transaction needs no savepoint: rolling back all of it undoes that
        // one alone. A savepoint keeps a copy of every page its transaction changes (megabytes for a sweep batch).
        const guarded = members.length > 0;
        if (guarded) this.control.savepoint.run();
        let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
        try {
          outcome = { ok: true, result: await member.run() };
        } catch (error) {
          outcome = { ok: false, error };
        }
        if (!this.writer.inTransaction) {
          // SQLite ended the whole transaction (SQLITE_FULL, SQLITE_IOERR), even if the callback caught the error:
          // this transaction and the ones before it in the group are gone.
          const error = outcome.ok
            ? new StoreError(
                'SQLite ended the transaction while it ran (a full disk, an I/O error): nothing of it was stored.',
              )
            : outcome.error;
          member.reject(this.failureOf(error));
          throw error;
        }
        if (outcome.ok) {
          if (guarded) this.control.releaseMember.run();
          members.push({ member, result: outcome.result });
          continue;
        }
        member.reject(this.failureOf(outcome.error));
        if (guarded) {
          this.control.rollbackTo.run();
          this.control.releaseMember.run();
        } else {
          // It was alone in the SQLite transaction; the next group, if any wait, begins another.
          this.control.rollback.run();
          open = false;
        }
      }
      if (open) await this.whenFree(() => this.control.commit.run(), 'commit');
      for (const { member, result } of members) member.resolve(result);
    } catch (error) {
      // Nothing of the group is stored: reject first, then roll back what SQLite still holds open.
      for (const { member } of members) member.reject(this.failureOf(error));
      if (this.writer.open && this.writer.inTransaction) this.writer.exec('ROLLBACK');
    } finally {
      this.scheduled = this.waiting.length > 0;
      if (this.scheduled) void this.mutex.run(() => this.runGroup());
    }
  }

  /**
   * Takes the write lock (`BEGIN IMMEDIATE`) for the transactions waiting. While another connection holds it, tries
   * again after a pause that doubles up to BACKOFF_MAX_MS, with jitter, so timers, sockets and reads go on meanwhile;
   * a transaction that waited `lockTimeoutMs` for it (since it was asked for, or since this group met the lock if
   * later) is rejected with StoreBusyError. False when none is left to run.
   */
  private async begin(): Promise<boolean> {
    let metLock: number | undefined;
    for (let attempt = 0; this.waiting.length > 0; attempt++) {
      try {
        this.control.begin.run();
        return true;
      } catch (error) {
        if (!isBusy(error)) {
          // No transaction to begin (a closed store, a read-only file): every transaction waiting would meet the same.
          for (const member of this.waiting.splice(0)) member.reject(error);
          return false;
        }
      }
      const now = performance.now();
      metLock ??= now;
      let untilFirstTimeout = Infinity;
      for (const member of this.waiting.splice(0)) {
        const from = Math.max(member.since, metLock);
        const waited = now - from;
        if (waited >= this.lockTimeoutMs) {
          member.reject(this.busy(waited, 'write'));
          continue;
        }
        this.waiting.push(member);
        untilFirstTimeout = Math.min(untilFirstTimeout, this.lockTimeoutMs - waited);
      }
      if (this.waiting.length === 0) return false;
      await pause(Math.min(backoff(attempt), untilFirstTimeout));
    }
    return false;
  }

  /** Runs `work` (one statement) until SQLite does not answer SQLITE_BUSY, waiting asynchronously in between. */
  private async whenFree<T>(work: () => T, doing: 'read' | 'commit'): Promise<T> {
    const start = performance.now();
    for (let attempt = 0; ; attempt++) {
      try {
        return work();
      } catch (error) {
        if (!isBusy(error)) throw error;
        const waited = performance.now() - start;
        if (waited >= this.lockTimeoutMs) throw this.busy(waited, doing === 'read' ? 'read' : 'write', error);
        await pause(Math.min(backoff(attempt), this.lockTimeoutMs - waited));
      }
    }
  }

  /** The package's error for what SQLite answered a transaction: a lost race on a key, a full disk; others as they are. */
  private failureOf(error: unknown): unknown {
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE') {
      return new WriteConflictError(`A concurrent write took the same key: ${(error as Error).message}.`, {
        cause: error,
      });
    }
    if (code === 'SQLITE_FULL') {
      return new StoreFullError(
        `SQLite database ${JSON.stringify(this.location)} is full (its disk has no space left): nothing of the transaction was stored; free space and send it again.`,
        { cause: error },
      );
    }
    return error;
  }

  private busy(waited: number, doing: 'open' | 'read' | 'write', cause?: unknown): StoreBusyError {
    const outcome = { open: 'it was not opened', read: 'nothing was read', write: 'nothing was written' }[doing];
    return new StoreBusyError(
      `SQLite database ${JSON.stringify(this.location)} stayed locked by another connection for ${Math.round(waited)} ms (lockTimeoutMs ${this.lockTimeoutMs}): ${outcome}.`,
      cause === undefined ? undefined : { cause },
    );
  }

  /** Runs a read on the read connection, outside the write queue; on `:memory:` between groups, on its one connection. */
  private read<T>(work: (sql: ReturnType<typeof prepareReads>) => T): Promise<T> {
    if (this.reader === this.writer && !this.readOnly) return this.mutex.run(() => work(this.reads));
    return this.whenFree(() => work(this.reads), 'read');
  }

  /** The reads and writes of one transaction of a group; after `close()` they throw instead of joining another's. */
  private txApi(sql: ReturnType<typeof prepareWrites>): { api: StoreTransaction; close(): void } {
    let open = true;
    const live = () => {
      if (!open)
        throw new StoreError(
          'This store transaction has ended: use the transaction object only inside its own callback.',
        );
      return sql;
    };
    const api: StoreTransaction = {
      getOrder: async (orderId) => toOrder(live().getOrder.get(orderId)),
      claimDue: async (now, limit, exclude) => {
        if (exclude.length === 0)
          return live()
            .claimDue.all(now, limit)
            .map((row) => toOrder(row)!);
        const skip = new Set(exclude);
        const rows = live()
          .claimDue.all(now, limit + skip.size)
          .filter((row) => !skip.has(row.order_id));
        return rows.slice(0, limit).map((row) => toOrder(row)!);
      },
      insertOrder: async (row) => live().insertOrder.run(row).changes === 1,
      updateOrder: async (row, expectedSeq) => live().updateOrder.run({ ...row, expectedSeq }).changes === 1,
      getIdempotency: async (orderId, key) => live().getKey.get(orderId, key) ?? null,
      putIdempotency: async (orderId, key, record) => {
        live().putKey.run(orderId, key, record.request, record.result);
      },
      appendHistory: async (row) => {
        live().appendHistory.run(row.eventId === undefined ? { ...row, eventId: null } : row);
      },
      findEvent: async (orderId, eventId, event) => {
        const row = live().findEvent.get(orderId, eventId, event);
        return row ? toHistory(row) : null;
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
    return this.read((sql) => toOrder(sql.getOrder.get(orderId)));
  }

  async listOrders(options?: OrderListOptions): Promise<OrderListing[]> {
    const { status, idContains, limit, afterId } = normalizeListOptions(options);
    return this.read((sql) =>
      sql.listOrders
        .all({ status: status ?? null, idContains: idContains ?? null, afterId: afterId ?? null, limit })
        .map((row) => ({
          orderId: row.order_id,
          status: row.status as OrderListing['status'],
          version: row.version,
          nextDeadline: row.next_deadline,
          ...(row.recorded_at === null ? {} : { updatedAt: row.recorded_at }),
        })),
    );
  }

  history(orderId: string): Promise<HistoryRecord[]> {
    return this.read((sql) => sql.history.all(orderId).map(toHistory));
  }

  countDue(now: number): Promise<number> {
    return this.read((sql) => sql.countDue.get(now)!.n);
  }

  claimOutbox({ now, batch, leaseMs }: OutboxClaimOptions): Promise<OutboxEntry[]> {
    return this.write(() => {
      const sql = this.sql;
      const rows = sql.claimCandidates.all({ now, batch });
      for (const row of rows) sql.lease.run(now + leaseMs, row.id);
      return rows.map((row) => toOutbox({ ...row, available_at: now + leaseMs, claim: (row.claim ?? 0) + 1 }));
    });
  }

  completeOutbox({ id, claim }: OutboxClaim): Promise<boolean> {
    return this.write(() => this.sql.complete.run(id, claim).changes === 1);
  }

  failOutbox(
    { id, claim }: OutboxClaim,
    update: { attempts: number; availableAt: number; parked: boolean; error: string },
  ): Promise<boolean> {
    return this.write(
      () =>
        this.sql.fail.run({
          id,
          claim,
          attempts: update.attempts,
          availableAt: update.availableAt,
          state: update.parked ? 'parked' : 'pending',
          error: update.error,
        }).changes === 1,
    );
  }

  releaseOutbox(claims: readonly OutboxClaim[], availableAt: number): Promise<number> {
    if (claims.length === 0) return Promise.resolve(0);
    return this.write(() => {
      let released = 0;
      for (const { id, claim } of claims) released += this.sql.release.run(availableAt, id, claim).changes;
      return released;
    });
  }

  outboxEntries(orderId?: string): Promise<OutboxEntry[]> {
    return this.read((sql) => (orderId === undefined ? sql.outboxAll.all() : sql.outboxOf.all(orderId)).map(toOutbox));
  }

  async close(): Promise<void> {
    await this.mutex.run(() => {
      if (this.reader !== this.writer) this.reader.close();
      this.writer.close();
    });
  }
}

/** BEGIN, COMMIT and the savepoints of a group, prepared once: `exec` would parse them on every transaction. */
function prepareControl(db: Database.Database) {
  return {
    begin: db.prepare('BEGIN IMMEDIATE'),
    commit: db.prepare('COMMIT'),
    rollback: db.prepare('ROLLBACK'),
    savepoint: db.prepare('SAVEPOINT member'),
    releaseMember: db.prepare('RELEASE member'),
    rollbackTo: db.prepare('ROLLBACK TO member'),
  };
}

/** The statements of write transactions, on the connection that writes. */
function prepareWrites(db: Database.Database) {
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
    getKey: db.prepare<[string, string], IdempotencyRecord>(
      'SELECT request, result FROM order_idempotency WHERE order_id = ? AND key = ?',
    ),
    putKey: db.prepare('INSERT INTO order_idempotency (order_id, key, request, result) VALUES (?, ?, ?, ?)'),
    appendHistory: db.prepare(
      'INSERT INTO order_history (order_id, seq, version, event, verdict, effects, status_before, status_after, recorded_at, machine_version, event_id) VALUES (@orderId, @seq, @version, @event, @verdict, @effects, @statusBefore, @statusAfter, @recordedAt, @machineVersion, @eventId)',
    ),
    findEvent: db.prepare<[string, string, string], Record<string, unknown>>(
      'SELECT * FROM order_history WHERE order_id = ? AND event_id = ? AND event = ? ORDER BY seq LIMIT 1',
    ),
    addOutbox: db.prepare(
      'INSERT INTO order_outbox (order_id, version, seq, effect, available_at) VALUES (@orderId, @version, @seq, @effect, @availableAt)',
    ),
    // An earlier pending row of the same order that is reserved or waiting for a retry holds later ones back.
    claimCandidates: db.prepare<[{ now: number; batch: number }], OutboxColumns>(`
      SELECT * FROM order_outbox o
      WHERE o.state = 'pending' AND o.available_at <= @now
        AND NOT EXISTS (
          SELECT 1 FROM order_outbox p
          WHERE p.order_id = o.order_id AND p.state = 'pending' AND p.id < o.id AND p.available_at > @now
        )
      ORDER BY o.id LIMIT @batch`),
    lease: db.prepare('UPDATE order_outbox SET available_at = ?, claim = claim + 1 WHERE id = ?'),
    // An outcome counts only with the claim still current: a drainer whose lease ran out changes nothing.
    complete: db.prepare("UPDATE order_outbox SET state = 'done' WHERE id = ? AND claim = ? AND state = 'pending'"),
    fail: db.prepare(
      "UPDATE order_outbox SET attempts = @attempts, available_at = @availableAt, state = @state, last_error = @error WHERE id = @id AND claim = @claim AND state = 'pending'",
    ),
    release: db.prepare("UPDATE order_outbox SET available_at = ? WHERE id = ? AND claim = ? AND state = 'pending'"),
  };
}

/** The statements of reads, on the read connection. None names the claim column: a read-only store may open an older file. */
function prepareReads(db: Database.Database) {
  return {
    getOrder: db.prepare<[string], OrderColumns>('SELECT * FROM orders WHERE order_id = ?'),
    history: db.prepare<[string], Record<string, unknown>>(
      'SELECT * FROM order_history WHERE order_id = ? ORDER BY seq',
    ),
    // Every filter is in the one statement, switched off by a NULL parameter; order_id uses the primary key.
    listOrders: db.prepare<
      [{ status: string | null; idContains: string | null; afterId: string | null; limit: number }],
      ListingColumns
    >(`
      SELECT o.order_id, o.status, o.version, o.next_deadline, h.recorded_at
      FROM orders o LEFT JOIN order_history h ON h.order_id = o.order_id AND h.seq = o.seq
      WHERE (@status IS NULL OR o.status = @status)
        AND (@idContains IS NULL OR instr(o.order_id, @idContains) > 0)
        AND (@afterId IS NULL OR o.order_id > @afterId)
      ORDER BY o.order_id LIMIT @limit`),
    countDue: db.prepare<[number], { n: number }>(
      'SELECT count(*) AS n FROM orders WHERE next_deadline IS NOT NULL AND next_deadline <= ?',
    ),
    outboxAll: db.prepare<[], OutboxColumns>('SELECT * FROM order_outbox ORDER BY id'),
    outboxOf: db.prepare<[string], OutboxColumns>('SELECT * FROM order_outbox WHERE order_id = ? ORDER BY id'),
  };
}

/** A transaction asked for and not yet run. */
interface Waiting {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** `performance.now()` when it was asked for. */
  since: number;
}

/** At most this many transactions share a COMMIT; the rest wait for the next group. */
const GROUP_LIMIT = 256;

/** The first pause after SQLITE_BUSY, and the longest, in ms: the pauses double in between. */
const BACKOFF_FIRST_MS = 1;
const BACKOFF_MAX_MS = 100;

/** The pause before try `attempt` (0-based) at a busy lock: doubling, capped, with jitter so waiters spread out. */
function backoff(attempt: number): number {
  const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_FIRST_MS * 2 ** attempt);
  return ceiling / 2 + (Math.random() * ceiling) / 2;
}

function pause(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, Math.max(0, ms)));
}

/** SQLITE_BUSY and its extended codes (SQLITE_BUSY_RECOVERY, SQLITE_BUSY_SNAPSHOT, SQLITE_BUSY_TIMEOUT). */
function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/** A unique-key violation is a lost race the caller may retry (`WriteConflictError`); anything else as it is. */

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
  return {
    orderId: row.order_id,
    version: row.version,
    status: row.status,
    nextDeadline: row.next_deadline,
    seq: row.seq,
    snapshot: row.snapshot,
  };
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
    ...(typeof row['event_id'] === 'string' ? { eventId: row['event_id'] } : {}),
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
    claim: row.claim ?? 0,
  };
}
