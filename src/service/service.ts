import { MACHINE_VERSION, type OrderMachine } from '../../machines/order/index.js';
import {
  checkIdempotencyKey,
  checkOrderId,
  InvalidInputError,
  RestoreError,
  type Effect,
  type OrderEventInput,
  type OrderEvent,
  type OrderInput,
  type OrderStatus,
  type PolicyOverride,
  type Verdict,
} from '../domain/index.js';
import {
  createOrder,
  nextDeadline,
  orderStatus,
  parseEvent,
  serializeOrder,
  stepParsed,
  type MigrateOrder,
  type OrderSnapshot,
  type StepResult,
} from '../runtime/index.js';
import {
  StoreConnectionError,
  WriteConflictError,
  type OrderListOptions,
  type OrderListing,
  type OrderRow,
  type HistoryRecord,
  type OrderStore,
  type OutboxEntry,
  type StepWrite,
  type StoreTransaction,
} from '../store/index.js';
import { OrderConflictError, OrderNotFoundError, UnreadableOrderError } from './errors.js';
import { mayRetry, resolveBackoff, retryDelay, sleep, type RetryBackoff } from './retry.js';
import { prepareStep, rowReader, tickDue, type PreparedStep, type Restored } from './step-rows.js';

/** Options of `createOrderService`. */
export interface OrderServiceOptions {
  store: OrderStore;
  /** An extended machine (`orderMachine.provide(...)`) to create and restore orders on. */
  machine?: OrderMachine;
  /** Policy override for every placed order. */
  policy?: PolicyOverride;
  /** Upgrades an older persisted envelope, e.g. `upgradeOrderSnapshot`; passed to the core's `restoreOrder(text, { migrate })`. */
  migrate?: MigrateOrder;
  /** The service's own clock, epoch ms: `recordedAt` of history rows and outbox retry times. Default `Date.now`. */
  now?: () => number;
  /**
   * How many times a transaction is retried after it lost a race on an order (on the new snapshot) or lost its
   * connection where a retry is safe (default 50); then the error is thrown. `StoreBusyError` is never retried.
   */
  maxRetries?: number;
  /**
   * The wait before each retry: a random time from 0 to `min(maxMs, baseMs · 2^retry)` (full jitter; defaults
   * `baseMs` 5, `maxMs` 1,000), so that writers that lost the same race spread out instead of meeting again.
   */
  retryBackoff?: RetryBackoff;
  /**
   * How many orders' last written snapshots the service keeps in memory (default 10,000; 0 keeps none). A row
   * read back whose `seq`, `version`, `status`, `next_deadline` and text are exactly those this service wrote is not
   * parsed again: the kept snapshot is re-serialized and compared byte for byte with the row, and any difference
   * restores the row with every check. Set 0 where memory is tight or other processes make most writes
   * (docs/service.md, Performance).
   */
  snapshotCache?: number;
}

/** Per-call options of `place` and `apply`. */
export interface RequestOptions {
  /** A request seen before with this key returns its first result and applies nothing. */
  idempotencyKey?: string;
}

/** What `place` returns. */
export interface PlaceResult {
  orderId: string;
  status: OrderStatus;
  version: number;
  verdict: Verdict;
  effects: Effect[];
}

/** What `apply` returns: the order after the event. */
export interface ApplyResult extends PlaceResult {
  snapshot: OrderSnapshot;
}

/** What `get` returns. */
export interface StoredOrder {
  orderId: string;
  status: OrderStatus;
  version: number;
  snapshot: OrderSnapshot;
  nextDeadline: number | null;
}

/** The event of the first history row: the input `place` was given. */
export interface PlaceEvent {
  type: 'order.place';
  input: OrderInput;
}

/** One row of an order's history: one per event applied (accepted or refused), appended, never rewritten. */
export interface HistoryRow {
  seq: number;
  /** The order's version after the event. */
  version: number;
  event: PlaceEvent | OrderEvent;
  verdict: Verdict;
  effects: Effect[];
  statusBefore: OrderStatus | null;
  statusAfter: OrderStatus;
  recordedAt: number;
  machineVersion: number;
}

/** What `sweep` returns; `failed` lists due orders whose rows could not be read (left untouched). */
export interface SweepResult {
  applied: number;
  remaining: number;
  failed: Array<{ orderId: string; message: string }>;
}

/** An effect handed to an outbox handler. */
export interface OutboxItem {
  id: number;
  orderId: string;
  version: number;
  effect: Effect;
}

/** Options of `outbox.drain`. */
export interface DrainOptions {
  /** Rows claimed per round (default 100). */
  batch?: number;
  /** Failures after which an effect is parked (default 5). */
  maxAttempts?: number;
  /** First retry delay in ms, doubled per failure, at most an hour (default 1,000; 0 retries in the same drain). */
  backoffMs?: number;
  /** How long a claimed row is reserved for this drainer (default 60,000 ms). */
  leaseMs?: number;
}

/** What `outbox.drain` returns: counts of deliveries and failed attempts, and the items parked by this drain. */
export interface DrainResult {
  delivered: number;
  failed: number;
  parked: Array<OutboxItem & { attempts: number; error: string }>;
}

/** The durable order service. */
export interface OrderService {
  /** Places an order (validated first; InvalidInputError writes nothing). The same id with the same input returns the stored order; another input is an OrderConflictError. */
  place(input: OrderInput, options?: RequestOptions): Promise<PlaceResult>;
  /** Applies one event in one transaction guarded by the order's version; a refused event is recorded too. OrderNotFoundError for an unknown id. */
  apply(orderId: string, event: OrderEventInput, options?: RequestOptions): Promise<ApplyResult>;
  /** The stored order with its status, version and next deadline, or null. */
  get(orderId: string): Promise<StoredOrder | null>;
  /** Every event applied to the order (accepted or refused), oldest first, starting with the place. */
  history(orderId: string): Promise<HistoryRow[]>;
  /**
   * Stored orders by id, filtered by status and id text, one page at a time (`afterId`: the last id of the
   * previous page). Reads the store's rows only.
   * @example
   * const page = await service.list({ status: 'unshipped', idContains: '114-', limit: 20 });
   */
  list(options?: OrderListOptions): Promise<OrderListing[]>;
  /** Applies a `clock.tick` at each due order's own deadline (due: at or before `now`), `batch` orders per transaction, until nothing is due or `limit` orders were applied. */
  sweep(now: number, options?: { limit?: number; batch?: number }): Promise<SweepResult>;
  outbox: {
    /** Hands each pending effect to `handler`, at least once and in order per order; a throw retries it later, and after `maxAttempts` parks it. */
    drain(handler: (item: OutboxItem) => unknown, options?: DrainOptions): Promise<DrainResult>;
  };
  /** Closes the store. */
  close(): Promise<void>;
}

function check(subject: string, path: string, ok: boolean, value: unknown, expected: string): void {
  if (!ok)
    throw new InvalidInputError(subject, [
      { path, message: `expected ${expected} (got ${JSON.stringify(value) ?? String(value)})` },
    ]);
}

/** Every outcome of one attempt at a write transaction. */
type Attempt<T> = { kind: 'done'; result: T } | { kind: 'conflict' };

/**
 * A durable order service on a store: load, step and save in one transaction guarded by the order's version,
 * idempotency keys, a transactional outbox and a due-deadline sweeper.
 * @example
 * const service = await createOrderService({ store: new SqliteStore({ filename: 'orders.db' }) });
 * const { orderId } = await service.place(input, { idempotencyKey: 'req-1' });
 * await service.apply(orderId, { type: 'seller.generateLabel', at: Date.now() });
 */
export async function createOrderService(options: OrderServiceOptions): Promise<OrderService> {
  const { store, machine, policy, migrate } = options;
  const now = options.now ?? Date.now;
  const maxRetries = Math.max(0, Math.floor(options.maxRetries ?? 50));
  const backoff = resolveBackoff(options.retryBackoff);
  const pause = (retry: number) => sleep(retryDelay(retry, backoff, Math.random));
  await store.init();

  const reader = rowReader({ ...(machine ? { machine } : {}), ...(migrate ? { migrate } : {}) });
  const restoreRow = reader.snapshotOf;
  const cache = new SnapshotCache(Math.max(0, Math.floor(options.snapshotCache ?? 10_000)));
  /** The row's snapshot and its canonical text: the kept one when the row is exactly what this service wrote. */
  const restore = (row: OrderRow): Restored => {
    const kept = cache.get(row);
    return kept ? { snapshot: kept, text: row.snapshot } : reader.restored(row);
  };
  const create = (input: OrderInput) =>
    createOrder(input, { ...(policy ? { policy } : {}), ...(machine ? { machine } : {}) });

  /** Runs a read again after a lost connection (a read writes nothing, so it is always safe to), with backoff. */
  async function read<T>(run: () => Promise<T>): Promise<T> {
    for (let retry = 0; ; retry++) {
      try {
        return await run();
      } catch (error) {
        if (!(error instanceof StoreConnectionError) || retry >= maxRetries) throw error;
      }
      await pause(retry);
    }
  }

  /**
   * The order's error when its row is behind its history (a restore from an older backup, a hand edit): every
   * write would then take a history `seq` that is already there. The history is read before the row, so a writer
   * that moves the order on in between cannot make a sound order look behind.
   */
  async function behindHistory(orderId: string): Promise<UnreadableOrderError | undefined> {
    const last = (await read(() => store.history(orderId))).at(-1)?.seq;
    const row = await read(() => store.getOrder(orderId));
    if (!row || last === undefined || last <= row.seq) return undefined;
    return new UnreadableOrderError(
      orderId,
      new RestoreError(
        `Its row is at seq ${row.seq} but its history goes on to seq ${last}, so no event can be recorded after it until the row is repaired.`,
      ),
    );
  }

  /**
   * Runs a write transaction until it does not lose a race, with backoff between attempts. A lost race rolled back
   * everything, and so did a connection lost before COMMIT; a connection lost during COMMIT (`committed:
   * 'unknown'`) is retried only for an `idempotent` request, which a second run cannot apply twice. A conflict
   * that comes from the order's row being behind its history is that order's `UnreadableOrderError`, at once.
   * `withoutTransaction`, when given, is the attempt instead (a read and a store's single-statement `writeStep`).
   */
  async function write<T>(
    orderId: string,
    idempotent: boolean,
    attempt: (tx: StoreTransaction) => Promise<Attempt<T>>,
    withoutTransaction?: () => Promise<Attempt<T>>,
  ): Promise<T> {
    for (let retry = 0; ; retry++) {
      let failure: unknown;
      try {
        const outcome = await (withoutTransaction ? withoutTransaction() : store.transaction(attempt));
        if (outcome.kind === 'done') return outcome.result;
      } catch (error) {
        if (!mayRetry(error, idempotent)) throw error;
        if (error instanceof WriteConflictError) {
          const behind = await behindHistory(orderId);
          if (behind) throw behind;
        }
        failure = error;
      }
      if (retry >= maxRetries) {
        if (failure instanceof StoreConnectionError) throw failure;
        throw new OrderConflictError(
          orderId,
          `Order ${JSON.stringify(orderId)} kept changing while an event was applied, ${maxRetries + 1} attempts in a row.`,
        );
      }
      await pause(retry);
    }
  }

  /** What a prepared step writes after `row`: the order's next row (its `seq` one on) and the history row. */
  function stepWrite(row: OrderRow, step: PreparedStep): StepWrite {
    const version = step.changed ? row.version + 1 : row.version;
    const seq = row.seq + 1;
    return {
      row: {
        orderId: row.orderId,
        version,
        status: step.status,
        nextDeadline: step.nextDeadline,
        seq,
        snapshot: step.text,
      },
      expectedSeq: row.seq,
      history: historyRow(row.orderId, seq, version, step),
      effects: step.effects,
      availableAt: now(),
    };
  }

  /** Writes a prepared step: order row (guarded by its seq), history row and effects, in the caller's transaction. */
  async function saveStep(
    tx: StoreTransaction,
    row: OrderRow,
    step: PreparedStep,
  ): Promise<{ ok: boolean; written: OrderRow }> {
    const write = stepWrite(row, step);
    const ok = await tx.updateOrder(write.row, write.expectedSeq);
    if (ok) await record(tx, write.history, write.effects, write.availableAt);
    return { ok, written: write.row };
  }

  /** The history row of a step. */
  function historyRow(orderId: string, seq: number, version: number, step: HistoryFields): HistoryRecord {
    return {
      orderId,
      seq,
      version,
      event: step.event,
      verdict: step.verdict,
      effects: `[${step.effects.join(',')}]`,
      statusBefore: step.statusBefore,
      statusAfter: step.status,
      recordedAt: now(),
      machineVersion: MACHINE_VERSION,
      ...(step.eventId === undefined ? {} : { eventId: step.eventId }),
    };
  }

  /** Appends a step's history row and its effects to the outbox, in the caller's transaction. */
  async function record(
    tx: StoreTransaction,
    history: HistoryRecord,
    effects: readonly string[],
    availableAt: number,
  ): Promise<void> {
    await tx.appendHistory(history);
    const { orderId, version, seq } = history;
    await tx.addOutbox(
      effects.map((effect) => ({ orderId, version, seq, effect })),
      availableAt,
    );
  }

  async function place(input: OrderInput, request: RequestOptions = {}): Promise<PlaceResult> {
    checkKey(request);
    const created = create(input); // throws InvalidInputError before anything is written
    const orderId = created.snapshot.context.orderId;
    const placedText = serializeOrder(created.snapshot);
    const key = request.idempotencyKey;
    const fingerprint = key === undefined ? '' : JSON.stringify(['place', placedText]);
    let placed: OrderRow | undefined;
    // Always safe to run again: a place that did commit leaves the id taken, and the same input placed again is
    // answered with the stored order (or, with a key, the stored first result); it is never placed twice.
    const outcome = await write<PlaceResult | { exists: OrderRow }>(orderId, true, async (tx) => {
      placed = undefined;
      if (key !== undefined) {
        const stored = await tx.getIdempotency(orderId, key);
        if (stored) return { kind: 'done', result: replayed(orderId, key, stored, fingerprint) };
      }
      const status = orderStatus(created.snapshot);
      const row: OrderRow = {
        orderId,
        version: 1,
        status,
        nextDeadline: nextDeadline(created.snapshot),
        seq: 1,
        snapshot: placedText,
      };
      if (!(await tx.insertOrder(row))) {
        if (key !== undefined) {
          const stored = await tx.getIdempotency(orderId, key);
          if (stored) return { kind: 'done', result: replayed(orderId, key, stored, fingerprint) };
        }
        const existing = await tx.getOrder(orderId);
        return existing ? { kind: 'done', result: { exists: existing } } : { kind: 'conflict' };
      }
      const event: PlaceEvent = { type: 'order.place', input: JSON.parse(JSON.stringify(input)) };
      const effects = created.effects.map((effect) => JSON.stringify(effect));
      const history = historyRow(orderId, 1, 1, {
        status,
        statusBefore: null,
        event: JSON.stringify(event),
        verdict: JSON.stringify(created.verdict),
        effects,
      });
      await record(tx, history, effects, now());
      const result: PlaceResult = { orderId, status, version: 1, verdict: created.verdict, effects: created.effects };
      if (key !== undefined)
        await tx.putIdempotency(orderId, key, { request: fingerprint, result: JSON.stringify(result) });
      placed = row;
      return { kind: 'done', result };
    });
    // Kept once committed: a rolled-back write must not evict what the store holds.
    if (placed) cache.set(placed, created.snapshot);
    if (!('exists' in outcome)) return outcome;
    // The id is taken: the same input is the same order, placed again; anything else is a conflict.
    const first = (await read(() => store.history(orderId)))[0];
    const firstEvent = first ? (JSON.parse(first.event) as PlaceEvent) : undefined;
    let same = false;
    try {
      same = firstEvent?.type === 'order.place' && serializeOrder(create(firstEvent.input).snapshot) === placedText;
    } catch {
      same = false;
    }
    if (!same || !first)
      throw new OrderConflictError(orderId, `Order ${JSON.stringify(orderId)} already exists with a different input.`);
    const { snapshot } = restore(outcome.exists);
    const result: PlaceResult = {
      orderId,
      status: orderStatus(snapshot),
      version: outcome.exists.version,
      verdict: JSON.parse(first.verdict),
      effects: JSON.parse(first.effects),
    };
    return key === undefined ? result : remember(orderId, key, fingerprint, result);
  }

  /**
   * Stores `result` as the first result of `key` when the key has none yet, and returns the key's first result:
   * a key is remembered whatever its first request did, so that it never answers for another request later.
   */
  async function remember<T>(orderId: string, key: string, fingerprint: string, result: T): Promise<T> {
    return write<T>(orderId, true, async (tx) => {
      const stored = await tx.getIdempotency(orderId, key);
      if (stored) return { kind: 'done', result: replayed<T>(orderId, key, stored, fingerprint) };
      await tx.putIdempotency(orderId, key, { request: fingerprint, result: JSON.stringify(result) });
      return { kind: 'done', result };
    });
  }

  function replayed<T>(
    orderId: string,
    key: string,
    stored: { request: string; result: string },
    fingerprint: string,
  ): T {
    if (stored.request !== fingerprint) {
      throw new OrderConflictError(
        orderId,
        `Idempotency key ${JSON.stringify(key)} of order ${JSON.stringify(orderId)} was first used for a different request.`,
      );
    }
    return JSON.parse(stored.result) as T;
  }

  async function apply(orderId: string, event: OrderEventInput, request: RequestOptions = {}): Promise<ApplyResult> {
    checkOrderId(orderId);
    checkKey(request);
    const parsed = parseEvent(event); // throws InvalidInputError before anything is read or written
    // The event as the history records it, worked out once for the lookup and the write; `stored` is its JSON's value.
    const eventText = JSON.stringify(parsed);
    const stored = JSON.parse(eventText) as Record<string, unknown>;
    const key = request.idempotencyKey;
    // What a key's first use is compared with; only a request with a key needs it.
    const fingerprint = key === undefined ? '' : JSON.stringify(['apply', stored]);
    // A result computed here carries the snapshot it stepped to; one replayed from the store carries text to restore.
    // Safe to run again after a COMMIT of unknown outcome only when a second run cannot apply the event twice: the
    // key then answers with the first result, or the order knows the eventId and records nothing.
    const idempotent = key !== undefined || parsed.eventId !== undefined;
    type Answer = Omit<ApplyResult, 'snapshot'> & { snapshot: string; stepped?: OrderSnapshot; written?: OrderRow };
    /** The answer to an event the order (`first` null) or its history (`first`) already knows: nothing was written. */
    const known = (row: OrderRow, before: Restored, step: StepResult, first: HistoryRecord | null): Answer => ({
      orderId,
      status: orderStatus(before.snapshot),
      version: row.version,
      verdict: first ? { ...(JSON.parse(first.verdict) as Verdict), duplicate: true } : step.verdict,
      effects: first ? [] : step.effects,
      snapshot: row.snapshot,
    });
    /** The answer to an event whose step was written as `written`. */
    const applied = (step: StepResult, written: OrderRow): Answer => ({
      orderId,
      status: orderStatus(step.snapshot),
      version: written.version,
      verdict: step.verdict,
      effects: step.effects,
      snapshot: written.snapshot,
    });
    /** The order's row and its step by the event; the row's absence is the order's error. */
    const stepRow = (row: OrderRow | null) => {
      if (!row) throw new OrderNotFoundError(orderId);
      const before = restore(row);
      return { row, before, step: stepParsed(before.snapshot, parsed) };
    };
    const writeStep = store.writeStep?.bind(store);
    const result = await write<Answer>(
      orderId,
      idempotent,
      async (tx) => {
        // The order is read before the key: a writer that commits the key in between also moves the order on,
        // so this attempt then loses on the guard and retries, and sees the key.
        const row = await tx.getOrder(orderId);
        if (row && key !== undefined) {
          const previous = await tx.getIdempotency(orderId, key);
          if (previous) return { kind: 'done', result: replayed(orderId, key, previous, fingerprint) };
        }
        const { row: current, before, step } = stepRow(row);
        // An event is judged once. The order remembers the ids it accepted (the core answers them as duplicates);
        // the history also holds the events it refused, so that one sent again as it was after an answer that was
        // lost (a killed client, a COMMIT of unknown outcome) gets its first verdict, not a second judgement.
        const first =
          step.verdict.duplicate !== true && parsed.eventId !== undefined
            ? await tx.findEvent(orderId, parsed.eventId, eventText)
            : null;
        if (step.verdict.duplicate === true || first) {
          // Nothing is written to the order: it is answered as it is, with the verdict the id first got.
          const result = known(current, before, step, first);
          // The key is remembered all the same, or a later request with it would apply whatever that one carries.
          if (key !== undefined)
            await tx.putIdempotency(orderId, key, { request: fingerprint, result: JSON.stringify(result) });
          return { kind: 'done', result };
        }
        const saved = await saveStep(tx, current, prepareStep(before, step, stored, eventText));
        if (!saved.ok) return { kind: 'conflict' };
        const result = applied(step, saved.written);
        if (key !== undefined)
          await tx.putIdempotency(orderId, key, { request: fingerprint, result: JSON.stringify(result) });
        return { kind: 'done', result: { ...result, stepped: step.snapshot, written: saved.written } };
      },
      // A store that writes a step in one statement: read the order, then write behind its seq, with no
      // transaction around them. The seq guard makes a writer that came in between lose, as in a transaction, and
      // the statement itself looks for the event's earlier history row. A request with a key needs the key's row
      // in the same transaction, so it takes the transaction.
      writeStep && key === undefined
        ? async () => {
            const { row, before, step } = stepRow(await store.getOrder(orderId));
            if (step.verdict.duplicate === true) return { kind: 'done', result: known(row, before, step, null) };
            const write = stepWrite(row, prepareStep(before, step, stored, eventText));
            const outcome = await writeStep(write);
            if (outcome.written)
              return {
                kind: 'done',
                result: { ...applied(step, write.row), stepped: step.snapshot, written: write.row },
              };
            return outcome.first
              ? { kind: 'done', result: known(row, before, step, outcome.first) }
              : { kind: 'conflict' };
          }
        : undefined,
    );
    const { stepped, written, ...rest } = result;
    if (stepped && written) cache.set(written, stepped);
    // The snapshot this call stepped to is the one it wrote: restoring its own text again would check nothing new.
    return { ...rest, snapshot: stepped ?? restoreRow({ orderId, snapshot: result.snapshot }) };
  }

  async function get(orderId: string): Promise<StoredOrder | null> {
    checkOrderId(orderId);
    const row = await read(() => store.getOrder(orderId));
    if (!row) return null;
    const { snapshot } = restore(row);
    return {
      orderId,
      status: orderStatus(snapshot),
      version: row.version,
      snapshot,
      nextDeadline: nextDeadline(snapshot),
    };
  }

  async function history(orderId: string): Promise<HistoryRow[]> {
    checkOrderId(orderId);
    const rows = await read(() => store.history(orderId));
    if (rows.length === 0 && !(await read(() => store.getOrder(orderId)))) throw new OrderNotFoundError(orderId);
    return rows.map((row) => ({
      seq: row.seq,
      version: row.version,
      event: JSON.parse(row.event),
      verdict: JSON.parse(row.verdict),
      effects: JSON.parse(row.effects),
      statusBefore: row.statusBefore as OrderStatus | null,
      statusAfter: row.statusAfter as OrderStatus,
      recordedAt: row.recordedAt,
      machineVersion: row.machineVersion,
    }));
  }

  async function sweep(at: number, sweepOptions: { limit?: number; batch?: number } = {}): Promise<SweepResult> {
    check('sweep', 'now', Number.isFinite(at), at, 'epoch milliseconds');
    const limit = sweepOptions.limit ?? Number.POSITIVE_INFINITY;
    check('sweep options', 'limit', limit > 0, sweepOptions.limit, 'a positive number');
    const batch = Math.max(1, Math.floor(sweepOptions.batch ?? 100));
    const failed: SweepResult['failed'] = [];
    const exclude: string[] = [];
    let applied = 0;
    let retry = 0;
    while (applied < limit) {
      const size = Math.min(batch, limit - applied);
      // The order being written when the batch's transaction threw, if it threw while writing one.
      const writing: { orderId?: string } = {};
      let claimed;
      try {
        claimed = await store.transaction(async (tx) => {
          writing.orderId = undefined;
          const rows = await tx.claimDue(at, size, exclude);
          let done = 0;
          const skipped: SweepResult['failed'] = [];
          const kept: Array<[OrderRow, OrderSnapshot]> = [];
          for (const row of rows) {
            const tick = tickDue(row, restore);
            if ('failed' in tick) {
              skipped.push({ orderId: tick.orderId, message: tick.failed });
              continue;
            }
            // Claimed rows are locked for this transaction, so the version guard holds; checked all the same.
            writing.orderId = row.orderId;
            const saved = await saveStep(tx, row, tick.prepared);
            writing.orderId = undefined;
            if (saved.ok) {
              done++;
              kept.push([saved.written, tick.snapshot]);
            }
          }
          return { count: rows.length, done, skipped, kept };
        });
      } catch (error) {
        // A batch is always safe to run again, even after a COMMIT of unknown outcome: it claims what is due now
        // and ticks each order at its own stored deadline, so an order a lost COMMIT did tick is not due there again.
        if (!mayRetry(error, true)) throw error;
        const orderId = writing.orderId;
        const behind =
          error instanceof WriteConflictError && orderId !== undefined ? await behindHistory(orderId) : undefined;
        if (behind) {
          // That order's failure alone: the batch runs again without it.
          failed.push({ orderId: orderId!, message: behind.message });
          exclude.push(orderId!);
          continue;
        }
        if (retry >= maxRetries) throw error;
        await pause(retry++);
        continue;
      }
      retry = 0;
      for (const [row, snapshot] of claimed.kept) cache.set(row, snapshot);
      applied += claimed.done;
      for (const skip of claimed.skipped) {
        failed.push(skip);
        exclude.push(skip.orderId);
      }
      if (claimed.count === 0) break;
    }
    return { applied, remaining: await read(() => store.countDue(at)), failed };
  }

  async function drain(handler: (item: OutboxItem) => unknown, drainOptions: DrainOptions = {}): Promise<DrainResult> {
    const batch = Math.max(1, Math.floor(drainOptions.batch ?? 100));
    const maxAttempts = Math.max(1, Math.floor(drainOptions.maxAttempts ?? 5));
    const backoffMs = Math.max(0, drainOptions.backoffMs ?? 1_000);
    const leaseMs = Math.max(1, drainOptions.leaseMs ?? 60_000);
    const result: DrainResult = { delivered: 0, failed: 0, parked: [] };
    for (;;) {
      const at = now();
      const entries = await store.claimOutbox({ now: at, batch, leaseMs });
      if (entries.length === 0) return result;
      const held = new Set<string>();
      const skipped: OutboxEntry[] = [];
      for (const [index, entry] of entries.entries()) {
        if (held.has(entry.orderId)) {
          skipped.push(entry);
          continue;
        }
        const item = toItem(entry);
        // Each outcome carries the entry's claim token: it counts only while no other drainer claimed the row since.
        let current: boolean | undefined;
        try {
          await handler(item);
        } catch (error) {
          const attempts = entry.attempts + 1;
          const parked = attempts >= maxAttempts;
          const message = error instanceof Error ? error.message : String(error);
          const delay = Math.min(backoffMs * 2 ** (attempts - 1), 3_600_000);
          current = await store.failOutbox(entry, { attempts, availableAt: now() + delay, parked, error: message });
          result.failed++;
          if (parked && current) result.parked.push({ ...item, attempts, error: message });
          // Later effects of this order wait until this one is delivered or parked.
          held.add(entry.orderId);
        }
        if (current === undefined) {
          current = await store.completeOutbox(entry);
          result.delivered++;
        }
        if (!current) {
          // The lease ran out and another drainer claimed the row: the rest of the batch, claimed with it, may be
          // that drainer's too. Hand out none of it; claim afresh.
          skipped.push(...entries.slice(index + 1));
          break;
        }
      }
      await store.releaseOutbox(skipped, at);
    }
  }

  return {
    place,
    apply,
    get,
    history,
    list: (listOptions?: OrderListOptions) => read(() => store.listOrders(listOptions)),
    sweep,
    outbox: { drain },
    close: () => store.close(),
  };
}

/** What a history row and its outbox rows take from a step. */
type HistoryFields = Pick<PreparedStep, 'status' | 'statusBefore' | 'event' | 'verdict' | 'effects' | 'eventId'>;

function checkKey(request: RequestOptions): void {
  checkIdempotencyKey(request.idempotencyKey);
}

function toItem(entry: OutboxEntry): OutboxItem {
  return { id: entry.id, orderId: entry.orderId, version: entry.version, effect: JSON.parse(entry.effect) as Effect };
}

/**
 * The last snapshot this service wrote per order, with the row it wrote it in, at most `max` orders, least
 * recently used out first. An entry answers only a row with its `seq`, `version`, `status` and `nextDeadline`
 * whose text is byte for byte the entry's own snapshot serialized now.
 */
class SnapshotCache {
  private readonly entries = new Map<string, { row: Omit<OrderRow, 'snapshot'>; snapshot: OrderSnapshot }>();

  constructor(private readonly max: number) {}

  get(row: OrderRow): OrderSnapshot | undefined {
    const entry = this.entries.get(row.orderId);
    if (!entry || entry.row.seq !== row.seq) return undefined;
    const written = entry.row;
    // Serialized again rather than compared with the text it was written as: a caller that changed the shared
    // snapshot object since cannot slip the change past this check. Columns changed by hand miss too.
    if (
      written.version !== row.version ||
      written.status !== row.status ||
      written.nextDeadline !== row.nextDeadline ||
      serializeOrder(entry.snapshot) !== row.snapshot
    ) {
      this.entries.delete(row.orderId);
      return undefined;
    }
    this.entries.delete(row.orderId);
    this.entries.set(row.orderId, entry);
    return entry.snapshot;
  }

  set(row: OrderRow, snapshot: OrderSnapshot): void {
    if (this.max === 0) return;
    const { orderId, version, status, nextDeadline, seq } = row;
    this.entries.delete(orderId);
    this.entries.set(orderId, { row: { orderId, version, status, nextDeadline, seq }, snapshot });
    if (this.entries.size <= this.max) return;
    // The oldest sixteenth goes at once: a Map walks past every key deleted from its front, so evicting one
    // entry per write would cost more the longer the cache runs.
    let evict = this.entries.size - this.max + (this.max >> 4);
    for (const key of this.entries.keys()) {
      if (evict-- <= 0) break;
      this.entries.delete(key);
    }
  }
}
