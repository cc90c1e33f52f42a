import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import type pg from 'pg';
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
  StepWrite,
  StepWriteOutcome,
  StoreTransaction,
} from './types.js';
import { StoreConnectionError, StoreFullError, WriteConflictError } from './types.js';
import { normalizeListOptions } from './list.js';
import { InvalidInputError, loadOptional } from '../domain/index.js';

/** A `require` for the optional peer dependency, loaded when a store makes its pool (pg is CommonJS). */
const require = createRequire(import.meta.url);

/**
 * The part of a `pg` Pool that `PostgresStore` uses and shows as `pool` (declared here, so that the package's types
 * need no `@types/pg`): a `pg.Pool` is one.
 */
export interface PostgresPool {
  /** Checks a client out of the pool. */
  connect(): Promise<PostgresPoolClient>;
  /** Runs one statement on a client of the pool's. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<PostgresQueryResult<R>>;
  /** Closes every client. */
  end(): Promise<void>;
  /** Listens for the error of an idle client. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Listens for a client connected, checked out, or removed from the pool. */
  on(event: 'connect' | 'acquire' | 'remove', listener: (client: PostgresPoolClient) => void): unknown;
  /** Listens once for the error of an idle client. */
  once(event: 'error', listener: (error: Error) => void): unknown;
  /** Listens once for a client connected, checked out, or removed from the pool. */
  once(event: 'connect' | 'acquire' | 'remove', listener: (client: PostgresPoolClient) => void): unknown;
}

/** A client checked out of a {@link PostgresPool}. */
export interface PostgresPoolClient {
  /** Runs one statement. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    values?: unknown[],
  ): Promise<PostgresQueryResult<R>>;
  /** Runs one named statement: the connection parses and plans it the first time, then only binds its values. */
  query<R extends Record<string, unknown> = Record<string, unknown>>(config: {
    name: string;
    text: string;
    values: unknown[];
  }): Promise<PostgresQueryResult<R>>;
  /** Returns the client to the pool, or closes it when given an error. */
  release(error?: Error | boolean): void;
  /** Listens for the client's connection error. */
  on(event: 'error', listener: (error: Error) => void): unknown;
  /** Stops listening. */
  removeListener(event: 'error', listener: (error: Error) => void): unknown;
}

/** What a statement returned: its rows and how many rows it affected. */
export interface PostgresQueryResult<R extends Record<string, unknown> = Record<string, unknown>> {
  /** The rows, each keyed by column name. */
  rows: R[];
  /** How many rows the statement affected or returned (null for statements that count none). */
  rowCount: number | null;
}

/** Options of `PostgresStore`. */
export interface PostgresStoreOptions {
  /** `postgres://user@host:port/database`; defaults to the `PG*` environment variables, as `pg` does. */
  connectionString?: string;
  /** The schema that holds the tables (created when missing); `public` by default. Tests use one per run. */
  schema?: string;
  /** Connections in the pool (default 10). */
  max?: number;
  /** An existing pool to use instead; `close()` then leaves it open. */
  pool?: PostgresPool;
  /**
   * Read only (the inspector does): `init()` creates nothing and the pool's sessions run with
   * `default_transaction_read_only`, so PostgreSQL refuses every write. Ignored with `pool`.
   */
  readonly?: boolean;
  /**
   * Send the statements of the write path as named statements, which each connection parses and plans once (default
   * true). `false` sends every statement unnamed, parsed and planned on each call. Behind a pooler that moves
   * transactions between server connections without tracking names (PgBouncer in transaction mode before 1.21, or
   * with `max_prepared_statements = 0`), the store turns them off by itself at the first statement the server does
   * not know (that transaction fails as a WriteConflictError, which is retried); `false` avoids that one conflict.
   */
  preparedStatements?: boolean;
}

/** The PostgreSQL schema, with `%s` standing for the quoted schema name. Exported for docs/service.md. */
export const POSTGRES_SCHEMA = `
CREATE TABLE IF NOT EXISTS %s.orders (
  order_id      TEXT PRIMARY KEY,
  version       INTEGER NOT NULL,
  status        TEXT NOT NULL,
  next_deadline BIGINT,
  seq           INTEGER NOT NULL,
  snapshot      TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS orders_next_deadline ON %s.orders (next_deadline) WHERE next_deadline IS NOT NULL;
CREATE INDEX IF NOT EXISTS orders_status ON %s.orders (status);
CREATE TABLE IF NOT EXISTS %s.order_history (
  order_id        TEXT NOT NULL,
  seq             INTEGER NOT NULL,
  version         INTEGER NOT NULL,
  event           TEXT NOT NULL,
  verdict         TEXT NOT NULL,
  effects         TEXT NOT NULL,
  status_before   TEXT,
  status_after    TEXT NOT NULL,
  recorded_at     BIGINT NOT NULL,
  machine_version INTEGER NOT NULL,
  event_id        TEXT,
  PRIMARY KEY (order_id, seq)
);
CREATE INDEX IF NOT EXISTS order_history_event ON %s.order_history (order_id, event_id) WHERE event_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS %s.order_outbox (
  id           BIGSERIAL PRIMARY KEY,
  order_id     TEXT NOT NULL,
  version      INTEGER NOT NULL,
  seq          INTEGER NOT NULL,
  effect       TEXT NOT NULL,
  state        TEXT NOT NULL DEFAULT 'pending',
  attempts     INTEGER NOT NULL DEFAULT 0,
  available_at BIGINT NOT NULL,
  last_error   TEXT,
  claim        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS order_outbox_pending ON %s.order_outbox (id) WHERE state = 'pending';
CREATE INDEX IF NOT EXISTS order_outbox_order ON %s.order_outbox (order_id, id) WHERE state = 'pending';
CREATE TABLE IF NOT EXISTS %s.order_idempotency (
  order_id TEXT NOT NULL,
  key      TEXT NOT NULL,
  request  TEXT NOT NULL,
  result   TEXT NOT NULL,
  PRIMARY KEY (order_id, key)
);
`;

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** The columns of each table, named instead of `*` in named statements: a plan kept by a connection may not change its result's columns when a column is added. */
const ORDER_COLUMNS = 'order_id, version, status, next_deadline, seq, snapshot';
const HISTORY_COLUMNS =
  'order_id, seq, version, event, verdict, effects, status_before, status_after, recorded_at, machine_version, event_id';
const OUTBOX_COLUMNS = 'id, order_id, version, seq, effect, state, attempts, available_at, last_error, claim';

/** A statement of the store's and its name: `ol_<what>_<hash of the text>`, so that stores on other schemas sharing a connection never share a name. */
interface Statement {
  readonly name: string;
  readonly text: string;
}
function statement(what: string, text: string): Statement {
  return { name: `ol_${what}_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`, text };
}
/** The server's answers to a named statement behind a pooler that does not track names: 26000 (no such statement), 42P05 (it exists). */
const UNKNOWN_STATEMENT = new Set(['26000', '42P05']);

/** Serializes outbox claims across processes so that an order's effects are reserved in order. */
const OUTBOX_CLAIM_LOCK = 0x6f6c6f62;

/** An order row's columns in the order the insert and the update statements take them ($1 to $6). */
function orderValues(row: OrderRow): unknown[] {
  return [row.orderId, row.version, row.status, row.nextDeadline, row.seq, row.snapshot];
}

/**
 * PostgreSQL through a `pg` Pool, for many workers on many machines: writes are guarded by the order's
 * version, sweeps claim due orders with `FOR UPDATE SKIP LOCKED`, so workers never process one order twice.
 * Needs the optional peer dependency pg unless given a `pool`: the constructor throws MissingDependencyError without it.
 * @example
 * const store = new PostgresStore({ connectionString: process.env.DATABASE_URL, schema: 'orders' });
 * const service = await createOrderService({ store });
 */
export class PostgresStore implements OrderStore {
  readonly kind = 'postgres';
  /** The connection pool, for inspection and benchmarks. */
  readonly pool: PostgresPool;
  /** The schema name as given (default `public`). */
  readonly schema: string;
  private readonly ownsPool: boolean;
  private readonly readOnly: boolean;
  private readonly t: { orders: string; history: string; outbox: string; keys: string };
  /** The hot statements, with names (see `preparedStatements`). */
  private readonly sql: ReturnType<typeof statements>;
  /** Whether the hot statements are sent named; turned off for good behind a pooler that does not track names. */
  private named: boolean;

  constructor(options: PostgresStoreOptions = {}) {
    const schema = options.schema ?? 'public';
    if (!SCHEMA_NAME.test(schema)) {
      throw new InvalidInputError(
        `schema ${JSON.stringify(schema)}`,
        'use letters, digits and underscores, starting with a letter or underscore.',
      );
    }
    this.schema = schema;
    const q = `"${schema}"`;
    this.t = {
      orders: `${q}.orders`,
      history: `${q}.order_history`,
      outbox: `${q}.order_outbox`,
      keys: `${q}.order_idempotency`,
    };
    this.sql = statements(this.t);
    this.named = options.preparedStatements !== false;
    this.ownsPool = !options.pool;
    this.readOnly = options.readonly === true;
    this.pool =
      options.pool ??
      new (loadOptional('pg', 'PostgresStore', () => require('pg') as typeof pg).Pool)({
        connectionString: options.connectionString,
        max: options.max ?? 10,
        ...(this.readOnly ? { options: '-c default_transaction_read_only=on' } : {}),
      });
    // An idle client that loses its server emits 'error' on the pool; without a listener Node would exit.
    this.pool.on('error', () => {});
    // A client being handed out has neither the pool's idle listener nor yet the store's (see watchClient): a FATAL
    // read together with the ReadyForQuery that completes its connection would end the process. Listened for from
    // the moment it connects; the error is kept for the transaction that gets the client.
    this.pool.on('connect', (client) => {
      client.on('error', (error: Error) => {
        if (!earlyErrors.has(client)) earlyErrors.set(client, error);
      });
    });
  }

  async init(): Promise<void> {
    if (this.readOnly) return;
    await this.inTransaction(async (client) => {
      // Two processes creating the same schema at once would collide on the catalog: take a lock first.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`order-lifecycle:${this.schema}`]);
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      // Tables an older version created lack columns. Looked up first: ALTER TABLE locks the table against every
      // reader and writer even when the column is already there.
      const columns = async (table: string) =>
        (
          await client.query<{ name: string }>(
            `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
            [this.schema, table],
          )
        ).rows.map((row) => row.name);
      // A history without the event id column: added, and filled in from each row's event, before the schema's index on it.
      const history = await columns('order_history');
      if (history.length > 0 && !history.includes('event_id')) {
        await client.query(`ALTER TABLE ${this.t.history} ADD COLUMN event_id TEXT`);
        await client.query(`UPDATE ${this.t.history} SET event_id = event::jsonb ->> 'eventId'`);
      }
      await client.query(POSTGRES_SCHEMA.replaceAll('%s', `"${this.schema}"`));
      // An outbox without the fencing token.
      if (!(await columns('order_outbox')).includes('claim'))
        await client.query(`ALTER TABLE ${this.t.outbox} ADD COLUMN claim INTEGER NOT NULL DEFAULT 0`);
    });
  }

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.inTransaction((client) => fn(this.txOn(client)));
  }

  /**
   * Runs `work` between BEGIN and COMMIT on a client of its own. A lost connection fails this transaction alone
   * with a StoreConnectionError (`committed: 'no'` before COMMIT was sent, `'unknown'` during it) and the client is
   * discarded; the pool and the process go on.
   */
  private async inTransaction<T>(work: (client: PostgresPoolClient) => Promise<T>): Promise<T> {
    const client = await this.connect();
    const watch = watchClient(client);
    let committing = false;
    let discard: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await work(client);
      // pg refuses every query on a client whose connection failed: this COMMIT would not even be sent.
      if (watch.lost) throw watch.lost;
      committing = true;
      await client.query('COMMIT');
      return result;
    } catch (error) {
      const loss = watch.lost ?? (isConnectionLoss(error) ? error : undefined);
      if (loss !== undefined) {
        // The server rolls back what the connection held when it goes; there is nothing to ROLLBACK on.
        discard = asError(loss);
        throw lostConnection(loss, committing ? 'during-commit' : 'before-commit');
      }
      await client.query('ROLLBACK').catch((rollbackError: unknown) => {
        discard = asError(rollbackError);
      });
      throw this.refusal(error);
    } finally {
      // release(error) closes the client instead of returning it to the pool.
      client.release(discard);
      watch.stop();
    }
  }

  /**
   * The error a transaction or a statement the server refused is thrown as: a lost race or a pooler's lost
   * statement names as a WriteConflictError (safe to retry), a full disk as a StoreFullError, anything else as it is.
   */
  private refusal(error: unknown): unknown {
    const code = (error as { code?: string }).code;
    // A named statement the server did not know, or knew already: a pooler handed this transaction to a server
    // connection other than the one the name was prepared on. Nothing was written; the store sends unnamed
    // statements from now on, and the transaction may run again.
    if (this.named && code !== undefined && UNKNOWN_STATEMENT.has(code)) {
      this.named = false;
      return new WriteConflictError(
        `A named statement was not known to the server's connection (a pooler in transaction mode?): ${(error as Error).message}; statements are sent unnamed from now on.`,
        { cause: error },
      );
    }
    // 23505 unique_violation, 40001 serialization_failure, 40P01 deadlock_detected: lost a race; safe to retry.
    if (code === '23505' || code === '40001' || code === '40P01') {
      return new WriteConflictError(`A concurrent write took the same key: ${(error as Error).message}.`, {
        cause: error,
      });
    }
    // 53100 disk_full: the server rolled the transaction back.
    if (code === '53100') {
      return new StoreFullError(
        `PostgreSQL schema "${this.schema}" is full (the server's disk has no space left): nothing of the transaction was stored; free space and send it again.`,
        { cause: error },
      );
    }
    return error;
  }

  /**
   * Runs one statement on a client of its own (autocommit), with the same handling of a lost connection and of a
   * refused write as a transaction; one of the store's own statements is sent named (see `preparedStatements`).
   */
  private async statement(text: string | Statement, values: unknown[], writes: boolean): Promise<PostgresQueryResult> {
    const client = await this.connect();
    const watch = watchClient(client);
    let discard: Error | undefined;
    try {
      return await (typeof text === 'string' ? client.query(text, values) : this.run(client, text, values));
    } catch (error) {
      const loss = watch.lost ?? (isConnectionLoss(error) ? error : undefined);
      if (loss === undefined) throw writes ? this.refusal(error) : error;
      discard = asError(loss);
      throw lostConnection(loss, writes ? 'during-commit' : 'read');
    } finally {
      client.release(discard);
      watch.stop();
    }
  }

  /** A client from the pool; a server that cannot be reached (yet) is a StoreConnectionError, `committed: 'no'`. */
  private async connect(): Promise<PostgresPoolClient> {
    try {
      return await this.pool.connect();
    } catch (error) {
      throw isConnectionLoss(error, true) ? lostConnection(error, 'connect') : error;
    }
  }

  /** Runs one of the store's statements on `client`: named unless turned off (see `preparedStatements`). */
  private run(client: PostgresPoolClient, statement: Statement, values: unknown[]): Promise<PostgresQueryResult> {
    return this.named
      ? client.query({ name: statement.name, text: statement.text, values })
      : client.query(statement.text, values);
  }

  private txOn(client: PostgresPoolClient): StoreTransaction {
    const sql = this.sql;
    const tx: StoreTransaction = {
      getOrder: async (orderId) => toOrder((await this.run(client, sql.getOrder, [orderId])).rows[0]),
      claimDue: async (now, limit, exclude) => {
        const result = await this.run(client, sql.claimDue, [now, limit, exclude]);
        return result.rows.map((row) => toOrder(row)!);
      },
      insertOrder: async (row) => {
        const result = await this.run(client, sql.insertOrder, orderValues(row));
        return result.rowCount === 1;
      },
      updateOrder: async (row, expectedSeq) => {
        const result = await this.run(client, sql.updateOrder, [...orderValues(row), expectedSeq]);
        return result.rowCount === 1;
      },
      getIdempotency: async (orderId, key) =>
        ((await this.run(client, sql.getIdempotency, [orderId, key])).rows[0] as IdempotencyRecord | undefined) ?? null,
      putIdempotency: async (orderId, key, record) => {
        await this.run(client, sql.putIdempotency, [orderId, key, record.request, record.result]);
      },
      appendHistory: async (row) => {
        await this.run(client, sql.appendHistory, [
          row.orderId,
          row.seq,
          row.version,
          row.event,
          row.verdict,
          row.effects,
          row.statusBefore,
          row.statusAfter,
          row.recordedAt,
          row.machineVersion,
          row.eventId ?? null,
        ]);
      },
      findEvent: async (orderId, eventId, event) => {
        const result = await this.run(client, sql.findEvent, [orderId, eventId, event]);
        return result.rows[0] ? toHistory(result.rows[0]) : null;
      },
      addOutbox: async (rows: readonly OutboxRecord[], availableAt: number) => {
        if (rows.length === 0) return;
        // Arrays, so one text (and one name) for any number of rows.
        await this.run(client, sql.addOutbox, [
          rows.map((r) => r.orderId),
          rows.map((r) => r.version),
          rows.map((r) => r.seq),
          rows.map((r) => r.effect),
          rows.map(() => availableAt),
        ]);
      },
    };
    return tx;
  }

  async getOrder(orderId: string): Promise<OrderRow | null> {
    return toOrder((await this.statement(this.sql.getOrder, [orderId], false)).rows[0]);
  }

  /**
   * Writes one applied event in one statement (see `OrderStore.writeStep`): the history's earlier row of the same
   * event, the order's update behind its `seq`, the history row and the outbox rows, all in one round trip.
   */
  async writeStep(step: StepWrite): Promise<StepWriteOutcome> {
    const { row, history: h } = step;
    const result = await this.statement(
      this.sql.writeStep,
      [
        row.orderId,
        row.version,
        row.status,
        row.nextDeadline,
        row.seq,
        row.snapshot,
        step.expectedSeq,
        h.event,
        h.verdict,
        h.effects,
        h.statusBefore,
        h.recordedAt,
        h.machineVersion,
        h.eventId ?? null,
        step.effects,
        step.availableAt,
        h.statusAfter,
        h.seq,
        h.version,
      ],
      true,
    );
    const answer = result.rows[0] as Row;
    if (answer['written'] === 1) return { written: true };
    return { written: false, first: answer['seq'] === null ? null : toHistory(answer) };
  }

  async listOrders(options?: OrderListOptions): Promise<OrderListing[]> {
    const { status, idContains, limit, afterId } = normalizeListOptions(options);
    // COLLATE "C": ids sort by their bytes, as in SQLite and the memory store, whatever the database's locale.
    const result = await this.statement(
      `SELECT o.order_id, o.status, o.version, o.next_deadline, h.recorded_at
       FROM ${this.t.orders} o LEFT JOIN ${this.t.history} h ON h.order_id = o.order_id AND h.seq = o.seq
       WHERE ($1::text IS NULL OR o.status = $1)
         AND ($2::text IS NULL OR strpos(o.order_id, $2) > 0)
         AND ($3::text IS NULL OR o.order_id COLLATE "C" > $3::text COLLATE "C")
       ORDER BY o.order_id COLLATE "C" LIMIT $4`,
      [status ?? null, idContains ?? null, afterId ?? null, limit],
      false,
    );
    return result.rows.map((row: Row) => ({
      orderId: row['order_id'] as string,
      status: row['status'] as OrderListing['status'],
      version: row['version'] as number,
      nextDeadline: num(row['next_deadline']),
      ...(row['recorded_at'] === null || row['recorded_at'] === undefined
        ? {}
        : { updatedAt: Number(row['recorded_at']) }),
    }));
  }

  async history(orderId: string): Promise<HistoryRecord[]> {
    const result = await this.statement(
      `SELECT * FROM ${this.t.history} WHERE order_id = $1 ORDER BY seq`,
      [orderId],
      false,
    );
    return result.rows.map(toHistory);
  }

  async countDue(now: number): Promise<number> {
    const result = await this.statement(
      `SELECT count(*)::int AS n FROM ${this.t.orders} WHERE next_deadline <= $1`,
      [now],
      false,
    );
    return result.rows[0]!['n'] as number;
  }

  claimOutbox({ now, batch, leaseMs }: OutboxClaimOptions): Promise<OutboxEntry[]> {
    return this.inTransaction(async (client) => {
      // Claims are short and serialized, so "an earlier row of the order is reserved" is always seen.
      await this.run(client, this.sql.outboxLock, [OUTBOX_CLAIM_LOCK]);
      const result = await this.run(client, this.sql.claimOutbox, [now, now + leaseMs, batch]);
      return result.rows.map(toOutbox).sort((a, b) => a.id - b.id);
    });
  }

  async completeOutbox({ id, claim }: OutboxClaim): Promise<boolean> {
    const result = await this.statement(
      `UPDATE ${this.t.outbox} SET state = 'done' WHERE id = $1 AND claim = $2 AND state = 'pending'`,
      [id, claim],
      true,
    );
    return result.rowCount === 1;
  }

  async failOutbox(
    { id, claim }: OutboxClaim,
    update: { attempts: number; availableAt: number; parked: boolean; error: string },
  ): Promise<boolean> {
    const result = await this.statement(
      `UPDATE ${this.t.outbox} SET attempts = $3, available_at = $4, state = $5, last_error = $6 WHERE id = $1 AND claim = $2 AND state = 'pending'`,
      [id, claim, update.attempts, update.availableAt, update.parked ? 'parked' : 'pending', update.error],
      true,
    );
    return result.rowCount === 1;
  }

  async releaseOutbox(claims: readonly OutboxClaim[], availableAt: number): Promise<number> {
    if (claims.length === 0) return 0;
    const result = await this.statement(
      `UPDATE ${this.t.outbox} o SET available_at = $3 FROM unnest($1::bigint[], $2::int[]) AS c (id, claim)
       WHERE o.id = c.id AND o.claim = c.claim AND o.state = 'pending'`,
      [claims.map((c) => c.id), claims.map((c) => c.claim), availableAt],
      true,
    );
    return result.rowCount ?? 0;
  }

  async outboxEntries(orderId?: string): Promise<OutboxEntry[]> {
    const result =
      orderId === undefined
        ? await this.statement(`SELECT * FROM ${this.t.outbox} ORDER BY id`, [], false)
        : await this.statement(`SELECT * FROM ${this.t.outbox} WHERE order_id = $1 ORDER BY id`, [orderId], false);
    return result.rows.map(toOutbox);
  }

  async close(): Promise<void> {
    if (this.ownsPool) await this.pool.end();
  }
}

/** The statements of the write path, the sweep's claim and the outbox claim, for the tables `t` (schema included). */
function statements(t: { orders: string; history: string; outbox: string; keys: string }) {
  return {
    getOrder: statement('get_order', `SELECT ${ORDER_COLUMNS} FROM ${t.orders} WHERE order_id = $1`),
    claimDue: statement(
      'claim_due',
      `SELECT ${ORDER_COLUMNS} FROM ${t.orders} WHERE next_deadline <= $1 AND NOT (order_id = ANY($3::text[]))
       ORDER BY next_deadline, order_id LIMIT $2 FOR UPDATE SKIP LOCKED`,
    ),
    insertOrder: statement(
      'insert_order',
      `INSERT INTO ${t.orders} (order_id, version, status, next_deadline, seq, snapshot) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (order_id) DO NOTHING`,
    ),
    updateOrder: statement(
      'update_order',
      `UPDATE ${t.orders} SET version = $2, status = $3, next_deadline = $4, seq = $5, snapshot = $6 WHERE order_id = $1 AND seq = $7`,
    ),
    getIdempotency: statement('get_key', `SELECT request, result FROM ${t.keys} WHERE order_id = $1 AND key = $2`),
    putIdempotency: statement(
      'put_key',
      `INSERT INTO ${t.keys} (order_id, key, request, result) VALUES ($1, $2, $3, $4)`,
    ),
    appendHistory: statement(
      'append_history',
      `INSERT INTO ${t.history} (${HISTORY_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
    ),
    // One applied event, outside a transaction: nothing when the history already recorded this very event (the
    // earlier row is returned), else the order's update behind its seq and, only if it matched, the history row and
    // the outbox rows (in the effects' order), all or nothing.
    writeStep: statement(
      'write_step',
      `WITH first AS (
         SELECT ${HISTORY_COLUMNS} FROM ${t.history}
         WHERE order_id = $1::text AND event_id = $14::text AND event = $8::text ORDER BY seq LIMIT 1
       ), updated AS (
         UPDATE ${t.orders} SET version = $2::int, status = $3::text, next_deadline = $4::bigint, seq = $5::int, snapshot = $6::text
         WHERE order_id = $1::text AND seq = $7::int AND NOT EXISTS (SELECT 1 FROM first) RETURNING 1
       ), history AS (
         INSERT INTO ${t.history} (${HISTORY_COLUMNS})
         SELECT $1::text, $18::int, $19::int, $8::text, $9::text, $10::text, $11::text, $17::text, $12::bigint, $13::int, $14::text
         FROM updated
       ), outbox AS (
         INSERT INTO ${t.outbox} (order_id, version, seq, effect, available_at)
         SELECT $1::text, $19::int, $18::int, e.effect, $16::bigint
         FROM updated, unnest($15::text[]) WITH ORDINALITY AS e(effect, n) ORDER BY e.n
       )
       SELECT (SELECT count(*) FROM updated)::int AS written, f.*
       FROM (SELECT 1) AS one LEFT JOIN first f ON true`,
    ),
    findEvent: statement(
      'find_event',
      `SELECT ${HISTORY_COLUMNS} FROM ${t.history} WHERE order_id = $1 AND event_id = $2 AND event = $3 ORDER BY seq LIMIT 1`,
    ),
    addOutbox: statement(
      'add_outbox',
      `INSERT INTO ${t.outbox} (order_id, version, seq, effect, available_at)
       SELECT * FROM unnest($1::text[], $2::int[], $3::int[], $4::text[], $5::bigint[])`,
    ),
    outboxLock: statement('outbox_lock', 'SELECT pg_advisory_xact_lock($1)'),
    claimOutbox: statement(
      'claim_outbox',
      `UPDATE ${t.outbox} SET available_at = $2, claim = claim + 1 WHERE id IN (
         SELECT o.id FROM ${t.outbox} o
         WHERE o.state = 'pending' AND o.available_at <= $1
           AND NOT EXISTS (
             SELECT 1 FROM ${t.outbox} p
             WHERE p.order_id = o.order_id AND p.state = 'pending' AND p.id < o.id AND p.available_at > $1
           )
         ORDER BY o.id LIMIT $3
       ) RETURNING ${OUTBOX_COLUMNS}`,
    ),
  };
}

type Row = Record<string, unknown>;
const num = (value: unknown) => (value === null || value === undefined ? null : Number(value));

function toOrder(row: Row | undefined): OrderRow | null {
  if (!row) return null;
  return {
    orderId: row['order_id'] as string,
    version: row['version'] as number,
    status: row['status'] as string,
    nextDeadline: num(row['next_deadline']),
    seq: row['seq'] as number,
    snapshot: row['snapshot'] as string,
  };
}

function toHistory(row: Row): HistoryRecord {
  return {
    orderId: row['order_id'] as string,
    seq: row['seq'] as number,
    version: row['version'] as number,
    event: row['event'] as string,
    verdict: row['verdict'] as string,
    effects: row['effects'] as string,
    statusBefore: row['status_before'] as string | null,
    statusAfter: row['status_after'] as string,
    recordedAt: Number(row['recorded_at']),
    machineVersion: row['machine_version'] as number,
    ...(typeof row['event_id'] === 'string' ? { eventId: row['event_id'] } : {}),
  };
}

function toOutbox(row: Row): OutboxEntry {
  return {
    id: Number(row['id']),
    orderId: row['order_id'] as string,
    version: row['version'] as number,
    seq: row['seq'] as number,
    effect: row['effect'] as string,
    state: row['state'] as OutboxEntry['state'],
    attempts: row['attempts'] as number,
    availableAt: Number(row['available_at']),
    lastError: (row['last_error'] as string | null) ?? null,
    // A read-only store on tables an older version created has no claim column.
    claim: (row['claim'] as number | undefined) ?? 0,
  };
}

/** Why a connection was given up, for the message of its StoreConnectionError. */
type LossPhase = 'connect' | 'read' | 'before-commit' | 'during-commit';

/** Socket errors: the connection to the server is gone or could not be made. */
const SOCKET_ERRORS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN',
]);
/** Server errors that end or refuse a session and that a later attempt may not meet: shutdown, restart, too many connections. */
const SESSION_ENDED = new Set(['57P01', '57P02', '57P03', '53300']);

/**
 * Whether `error` means the connection is gone (or, `connecting`, could not be made for a passing reason), not that
 * the server refused a statement. A FATAL error ends the session; while connecting, a FATAL such as a wrong password
 * or a missing database is a configuration error that no retry mends.
 */
function isConnectionLoss(error: unknown, connecting = false): boolean {
  const { code, severity } = (error ?? {}) as { code?: unknown; severity?: unknown };
  if (typeof code === 'string' && (SOCKET_ERRORS.has(code) || code.startsWith('08') || SESSION_ENDED.has(code)))
    return true;
  if (!connecting && (severity === 'FATAL' || severity === 'PANIC')) return true;
  // pg's own errors for a connection that ended or cannot be used, which carry no code.
  const message = error instanceof Error ? error.message : '';
  return (
    message.startsWith('Connection terminated') ||
    message.includes('is not queryable') ||
    message.startsWith('timeout exceeded when trying to connect')
  );
}

function lostConnection(loss: unknown, phase: LossPhase): StoreConnectionError {
  const reason = JSON.stringify(asError(loss).message);
  const options = { cause: loss };
  switch (phase) {
    case 'connect':
      return new StoreConnectionError(
        `Could not connect to PostgreSQL (${reason}): nothing was written.`,
        'no',
        options,
      );
    case 'read':
      return new StoreConnectionError(
        `The PostgreSQL connection was lost during a read (${reason}): nothing was written.`,
        'no',
        options,
      );
    case 'before-commit':
      return new StoreConnectionError(
        `The PostgreSQL connection was lost before COMMIT was sent (${reason}): the transaction was rolled back.`,
        'no',
        options,
      );
    case 'during-commit':
      return new StoreConnectionError(
        `The PostgreSQL connection was lost while a commit was in flight (${reason}): it may or may not have been stored.`,
        'unknown',
        options,
      );
  }
}

function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** The first error of each client the store's pool connected, kept by the listener put on it at connect. */
const earlyErrors = new WeakMap<PostgresPoolClient, Error>();

/**
 * Listens for 'error' on a client checked out of the pool, which has no listener of the pool's meanwhile: without
 * one, a connection the server drops (pg_terminate_backend, a failover, a pooler restart) would end the process.
 */
function watchClient(client: PostgresPoolClient): { readonly lost: Error | undefined; stop(): void } {
  let lost: Error | undefined = earlyErrors.get(client);
  const onError = (error: Error) => {
    lost ??= error;
  };
  client.on('error', onError);
  return {
    get lost() {
      return lost;
    },
    // After release the pool's own listener is back on the client.
    stop: () => client.removeListener('error', onError),
  };
}
