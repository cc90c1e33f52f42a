import { OrderLifecycleError, type OrderStatus } from '../domain/index.js';

/**
 * The base class of a store's errors: the database failed the transaction, or refused a misuse of the store, and
 * the failure concerns the store rather than one order.
 * @example
 * try { await service.apply(orderId, event); } catch (e) { if (e instanceof StoreError) retryLater(); else throw e; }
 */
export class StoreError extends OrderLifecycleError {
  override name = 'StoreError';
}

/**
 * Thrown by a store when a transaction lost a race on a unique key (history seq, idempotency key, order id):
 * the transaction was rolled back, and the caller may retry it on fresh reads.
 */
export class WriteConflictError extends StoreError {
  override name = 'WriteConflictError';
}

/**
 * Thrown by a store when the database connection was lost during a transaction (a terminated backend, a failover,
 * a pooler restart). `committed` says whether the transaction may have committed: `'no'` when the loss came before
 * COMMIT was sent (safe to retry), `'unknown'` when it came during COMMIT (retry only what is idempotent).
 */
export class StoreConnectionError extends StoreError {
  override name = 'StoreConnectionError';
  constructor(
    message: string,
    readonly committed: 'no' | 'unknown',
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Thrown by a store when the database stayed locked by another connection or process for longer than the store's
 * lock timeout: nothing was written; the message names the database and how long it waited.
 */
export class StoreBusyError extends StoreError {
  override name = 'StoreBusyError';
}

/**
 * Thrown by a store when the database's disk (or its size limit) is full: nothing of the transaction was stored,
 * reads go on, and the same request succeeds once space is freed. The message names the database.
 */
export class StoreFullError extends StoreError {
  override name = 'StoreFullError';
}

/** The stored row of one order: its `serializeOrder` text and the columns the service queries. */
export interface OrderRow {
  orderId: string;
  /** 1 after place, one more for every event that changed the serialized snapshot. */
  version: number;
  /** `orderStatus` of the snapshot, indexed for queries. */
  status: string;
  /** Epoch ms at which time alone changes the order; null when nothing is due. Indexed: the sweeper's key. */
  nextDeadline: number | null;
  /** The `seq` of the order's last history row. */
  seq: number;
  /** `serializeOrder` text. */
  snapshot: string;
}

/** One history row as stored: JSON columns are text so that a bad row is a per-row error, not a store error. */
export interface HistoryRecord {
  orderId: string;
  seq: number;
  version: number;
  event: string;
  verdict: string;
  effects: string;
  statusBefore: string | null;
  statusAfter: string;
  recordedAt: number;
  machineVersion: number;
  /**
   * The `eventId` the event carried, if any: `findEvent` looks rows up by it. Rows an older version wrote get it
   * from their event when `init()` adds the column.
   */
  eventId?: string;
}

/** One effect written to the outbox with the event that produced it. */
export interface OutboxRecord {
  orderId: string;
  version: number;
  /** The history `seq` of the event that produced the effect. */
  seq: number;
  effect: string;
}

/** An outbox row as stored. */
export interface OutboxEntry extends OutboxRecord {
  id: number;
  state: 'pending' | 'done' | 'parked';
  attempts: number;
  availableAt: number;
  lastError: string | null;
  /**
   * The row's fencing token: how many times it was claimed (0: never). `claimOutbox` adds one and returns the new
   * value; an outcome (`completeOutbox`, `failOutbox`, `releaseOutbox`) counts only with the value still stored.
   */
  claim: number;
}

/** A claimed outbox row as its drainer names it: the row's id and the `claim` token `claimOutbox` returned with it. */
export interface OutboxClaim {
  id: number;
  claim: number;
}

/** The first result of a request made with an idempotency key, and the request it answered. */
export interface IdempotencyRecord {
  request: string;
  result: string;
}

/** Filters and page of `OrderStore.listOrders`. */
export interface OrderListOptions {
  /** Only orders in this status. */
  status?: OrderStatus;
  /** Only orders whose id contains this text (case-sensitive). */
  idContains?: string;
  /** At most this many orders, 1 to 1000; 50 by default. */
  limit?: number;
  /** Only orders whose id sorts after this one: pass the last id of a page to get the next page. */
  afterId?: string;
}

/** One order as `listOrders` returns it: the indexed columns, never the snapshot. */
export interface OrderListing {
  orderId: string;
  status: OrderStatus;
  version: number;
  nextDeadline: number | null;
  /** `recordedAt` of the order's last history row, when the store has it. */
  updatedAt?: number;
}

/** What one transaction can read and write. Every method runs inside the transaction that made it. */
export interface StoreTransaction {
  /** The order's row, or null. */
  getOrder(orderId: string): Promise<OrderRow | null>;
  /**
   * Due orders (`nextDeadline <= now`), earliest first, locked for this transaction; orders locked by another
   * transaction are skipped (PostgreSQL `FOR UPDATE SKIP LOCKED`), ids in `exclude` too.
   */
  claimDue(now: number, limit: number, exclude: readonly string[]): Promise<OrderRow[]>;
  /** Inserts a new order; false when the id exists. */
  insertOrder(row: OrderRow): Promise<boolean>;
  /**
   * Replaces the order when its stored `seq` is `expectedSeq`; false otherwise (another writer won). The guard is
   * `seq`, which every applied event moves on, because `version` stays put for an event that changed nothing.
   */
  updateOrder(row: OrderRow, expectedSeq: number): Promise<boolean>;
  /** The request and first result stored under an idempotency key, or null. */
  getIdempotency(orderId: string, key: string): Promise<IdempotencyRecord | null>;
  /** Stores the request and result of a key's first use. */
  putIdempotency(orderId: string, key: string, record: IdempotencyRecord): Promise<void>;
  /** Appends one history row. */
  appendHistory(row: HistoryRecord): Promise<void>;
  /**
   * The order's first history row that recorded this very event, or null: its `eventId` and its `event` text
   * are these. The service answers an event sent again with the verdict it got then.
   */
  findEvent(orderId: string, eventId: string, event: string): Promise<HistoryRecord | null>;
  /** Adds effects to the outbox, deliverable from `availableAt`. */
  addOutbox(rows: readonly OutboxRecord[], availableAt: number): Promise<void>;
}

/**
 * One applied event as `OrderStore.writeStep` writes it: the order's new row, its history row and its effects.
 * @example
 * const outcome = await store.writeStep?.({ row, expectedSeq: row.seq - 1, history, effects: [], availableAt: Date.now() });
 */
export interface StepWrite {
  /** The order's new row. */
  row: OrderRow;
  /** The row is replaced only while its stored `seq` is this one. */
  expectedSeq: number;
  /** The history row of the event; with an `eventId`, it is also what an earlier row of the same event is matched on. */
  history: HistoryRecord;
  /** Each effect's JSON: one outbox row each, in this order, with the history row's `version` and `seq`. */
  effects: readonly string[];
  /** When the outbox rows become deliverable, epoch ms. */
  availableAt: number;
}

/**
 * What `OrderStore.writeStep` did: wrote the step; or wrote nothing because the order's history already recorded
 * this very event (`first` is that row); or wrote nothing because another writer moved the order on (`first` null).
 */
export type StepWriteOutcome = { written: true } | { written: false; first: HistoryRecord | null };

/** Outbox bookkeeping for `outbox.drain`. */
export interface OutboxClaimOptions {
  now: number;
  batch: number;
  /** How long a claimed row stays reserved for its drainer before another may take it (at least once). */
  leaseMs: number;
}

/**
 * Where the service keeps orders, history, outbox and idempotency keys. `MemoryStore`, `SqliteStore` and
 * `PostgresStore` implement it and pass the same contract suite.
 */
export interface OrderStore {
  /** `memory`, `sqlite` or `postgres`. */
  readonly kind: string;
  /** Creates the tables when they are missing. Idempotent. */
  init(): Promise<void>;
  /** Runs `fn` in one transaction: commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T>;
  /** The order's row as committed, or null. */
  getOrder(orderId: string): Promise<OrderRow | null>;
  /**
   * Optional: writes one applied event in a single atomic statement of its own, outside any transaction. When the
   * history row has an `eventId` and the order's history already holds a row with that `eventId` and the same
   * `event` text, nothing is written and that first row is returned; otherwise, when the order's stored `seq` is
   * `expectedSeq`, the row is replaced, the history row appended and the effects added to the outbox, all or
   * nothing. A store that has it (`PostgresStore`) lets `service.apply` read the order and write the step in two
   * round trips instead of a transaction of six; requests with an idempotency key still run in a transaction.
   * A lost race on a unique key is a `WriteConflictError`, as in a transaction; a connection lost during the
   * statement is a `StoreConnectionError` with `committed: 'unknown'`.
   * @example
   * const outcome = await store.writeStep?.({ row, expectedSeq: row.seq - 1, history, effects, availableAt: Date.now() });
   * if (outcome && !outcome.written && !outcome.first) retryOnFreshRead();
   */
  writeStep?(step: StepWrite): Promise<StepWriteOutcome>;
  /**
   * Stored orders, ordered by id (UTF-8 byte order), filtered by status and id text, one page at a time.
   * Reads rows only; never writes.
   * @example
   * const page = await store.listOrders({ status: 'unshipped', limit: 20 });
   * const next = await store.listOrders({ status: 'unshipped', limit: 20, afterId: page.at(-1)?.orderId });
   */
  listOrders(options?: OrderListOptions): Promise<OrderListing[]>;
  /** The order's history, oldest first. */
  history(orderId: string): Promise<HistoryRecord[]>;
  /** How many orders are due at `now`. */
  countDue(now: number): Promise<number>;
  /**
   * Reserves up to `batch` pending outbox rows available at `now`, oldest first, never a row while an earlier
   * pending row of the same order is reserved or waiting for a retry. Each claimed row's `claim` goes up by one:
   * the token its outcome must carry.
   */
  claimOutbox(options: OutboxClaimOptions): Promise<OutboxEntry[]>;
  /**
   * Marks a delivered row done, if `claim` is still the row's current claim and the row is pending; false (nothing
   * changed) when another drainer claimed the row since or it is no longer pending.
   */
  completeOutbox(claim: OutboxClaim): Promise<boolean>;
  /**
   * Records a failed delivery (back to pending at `availableAt`, or parked), under the same condition as
   * `completeOutbox`; false when the claim is stale and nothing changed.
   */
  failOutbox(
    claim: OutboxClaim,
    update: { attempts: number; availableAt: number; parked: boolean; error: string },
  ): Promise<boolean>;
  /**
   * Makes reserved rows available again at `availableAt` (a drainer skipped them to keep an order's effects in
   * order); rows whose claim is stale or that are no longer pending are left as they are. Returns how many it released.
   */
  releaseOutbox(claims: readonly OutboxClaim[], availableAt: number): Promise<number>;
  /** Outbox rows, oldest first, of one order or of all orders. */
  outboxEntries(orderId?: string): Promise<OutboxEntry[]>;
  /** Releases connections and file handles. */
  close(): Promise<void>;
}
