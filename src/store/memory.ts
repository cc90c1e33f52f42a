import { Mutex } from './mutex.js';
import { compareIds, normalizeListOptions } from './list.js';
import { WriteConflictError } from './types.js';
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

/**
 * An in-process store for tests and demos: the same contract as the database stores, kept in maps, with
 * transactions that undo their writes when they throw.
 * @example
 * const service = await createOrderService({ store: new MemoryStore() });
 */
export class MemoryStore implements OrderStore {
  readonly kind = 'memory';
  private readonly orders = new Map<string, OrderRow>();
  private readonly histories = new Map<string, HistoryRecord[]>();
  private readonly keys = new Map<string, IdempotencyRecord>();
  private readonly outbox: OutboxEntry[] = [];
  private readonly mutex = new Mutex();
  private nextOutboxId = 1;

  async init(): Promise<void> {}

  transaction<T>(fn: (tx: StoreTransaction) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const undo: Array<() => void> = [];
      const tx = this.transactionOn(undo);
      try {
        return await fn(tx);
      } catch (error) {
        for (const step of undo.reverse()) step();
        throw error;
      }
    });
  }

  private transactionOn(undo: Array<() => void>): StoreTransaction {
    return {
      getOrder: async (orderId) => copy(this.orders.get(orderId)),
      claimDue: async (now, limit, exclude) => {
        const skip = new Set(exclude);
        return [...this.orders.values()]
          .filter((row) => row.nextDeadline !== null && row.nextDeadline <= now && !skip.has(row.orderId))
          .sort((a, b) => a.nextDeadline! - b.nextDeadline! || (a.orderId < b.orderId ? -1 : 1))
          .slice(0, limit)
          .map((row) => ({ ...row }));
      },
      insertOrder: async (row) => {
        if (this.orders.has(row.orderId)) return false;
        this.orders.set(row.orderId, { ...row });
        undo.push(() => this.orders.delete(row.orderId));
        return true;
      },
      updateOrder: async (row, expectedSeq) => {
        const previous = this.orders.get(row.orderId);
        if (!previous || previous.seq !== expectedSeq) return false;
        this.orders.set(row.orderId, { ...row });
        undo.push(() => this.orders.set(row.orderId, previous));
        return true;
      },
      getIdempotency: async (orderId, key) => copy(this.keys.get(keyOf(orderId, key))),
      putIdempotency: async (orderId, key, record) => {
        const id = keyOf(orderId, key);
        if (this.keys.has(id))
          throw new WriteConflictError(
            `Idempotency key ${JSON.stringify(key)} of order ${JSON.stringify(orderId)} is already stored.`,
          );
        this.keys.set(id, { ...record });
        undo.push(() => this.keys.delete(id));
      },
      appendHistory: async (row) => {
        const list = this.histories.get(row.orderId) ?? [];
        if (list.some((existing) => existing.seq === row.seq)) {
          throw new WriteConflictError(
            `History row ${row.seq} of order ${JSON.stringify(row.orderId)} is already stored.`,
          );
        }
        list.push({ ...row });
        this.histories.set(row.orderId, list);
        undo.push(() => list.pop());
      },
      findEvent: async (orderId, eventId, event) =>
        copy(this.histories.get(orderId)?.find((row) => row.eventId === eventId && row.event === event)),
      addOutbox: async (rows: readonly OutboxRecord[], availableAt: number) => {
        for (const row of rows) {
          this.outbox.push({
            ...row,
            id: this.nextOutboxId++,
            state: 'pending',
            attempts: 0,
            availableAt,
            lastError: null,
            claim: 0,
          });
          undo.push(() => this.outbox.pop());
        }
      },
    };
  }

  getOrder(orderId: string): Promise<OrderRow | null> {
    return this.mutex.run(() => copy(this.orders.get(orderId)));
  }

  async listOrders(options?: OrderListOptions): Promise<OrderListing[]> {
    const { status, idContains, limit, afterId } = normalizeListOptions(options);
    return this.mutex.run(() =>
      [...this.orders.values()]
        .filter(
          (row) =>
            (status === undefined || row.status === status) &&
            (idContains === undefined || row.orderId.includes(idContains)),
        )
        .filter((row) => afterId === undefined || compareIds(row.orderId, afterId) > 0)
        .sort((a, b) => compareIds(a.orderId, b.orderId))
        .slice(0, limit)
        .map((row) => {
          const last = this.histories.get(row.orderId)?.find((record) => record.seq === row.seq);
          return listing(row.orderId, row.status, row.version, row.nextDeadline, last?.recordedAt);
        }),
    );
  }

  history(orderId: string): Promise<HistoryRecord[]> {
    return this.mutex.run(() =>
      (this.histories.get(orderId) ?? []).map((row) => ({ ...row })).sort((a, b) => a.seq - b.seq),
    );
  }

  countDue(now: number): Promise<number> {
    return this.mutex.run(
      () => [...this.orders.values()].filter((row) => row.nextDeadline !== null && row.nextDeadline <= now).length,
    );
  }

  claimOutbox({ now, batch, leaseMs }: OutboxClaimOptions): Promise<OutboxEntry[]> {
    return this.mutex.run(() => {
      const blocked = new Set<string>();
      const claimed: OutboxEntry[] = [];
      for (const entry of this.outbox) {
        if (claimed.length >= batch) break;
        if (entry.state !== 'pending') continue;
        if (entry.availableAt > now) {
          blocked.add(entry.orderId);
          continue;
        }
        if (blocked.has(entry.orderId)) continue;
        entry.availableAt = now + leaseMs;
        entry.claim++;
        claimed.push({ ...entry });
      }
      return claimed;
    });
  }

  completeOutbox(claim: OutboxClaim): Promise<boolean> {
    return this.mutex.run(() => {
      const entry = this.claimed(claim);
      if (entry) entry.state = 'done';
      return entry !== undefined;
    });
  }

  failOutbox(
    claim: OutboxClaim,
    update: { attempts: number; availableAt: number; parked: boolean; error: string },
  ): Promise<boolean> {
    return this.mutex.run(() => {
      const entry = this.claimed(claim);
      if (!entry) return false;
      entry.attempts = update.attempts;
      entry.availableAt = update.availableAt;
      entry.state = update.parked ? 'parked' : 'pending';
      entry.lastError = update.error;
      return true;
    });
  }

  releaseOutbox(claims: readonly OutboxClaim[], availableAt: number): Promise<number> {
    return this.mutex.run(() => {
      let released = 0;
      for (const claim of claims) {
        const entry = this.claimed(claim);
        if (!entry) continue;
        entry.availableAt = availableAt;
        released++;
      }
      return released;
    });
  }

  /** The pending row `claim` names, when its claim is still the current one. */
  private claimed({ id, claim }: OutboxClaim): OutboxEntry | undefined {
    const entry = this.outbox.find((candidate) => candidate.id === id);
    return entry && entry.claim === claim && entry.state === 'pending' ? entry : undefined;
  }

  outboxEntries(orderId?: string): Promise<OutboxEntry[]> {
    return this.mutex.run(() =>
      this.outbox.filter((entry) => orderId === undefined || entry.orderId === orderId).map((entry) => ({ ...entry })),
    );
  }

  async close(): Promise<void> {}
}

function keyOf(orderId: string, key: string): string {
  return JSON.stringify([orderId, key]);
}

function copy<T extends object>(value: T | undefined): T | null {
  return value ? { ...value } : null;
}

function listing(
  orderId: string,
  status: string,
  version: number,
  nextDeadline: number | null,
  updatedAt: number | undefined,
): OrderListing {
  return {
    orderId,
    status: status as OrderListing['status'],
    version,
    nextDeadline,
    ...(updatedAt === undefined ? {} : { updatedAt }),
  };
}
