import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyEvent,
  createOrder,
  serializeOrder,
  type OrderInput,
  type OrderMachine,
  type PolicyOverride,
} from '../../src/index.js';
import { MemoryStore, PostgresStore, SqliteStore, type OrderStore, type OutboxEntry } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';

/** A store under test, and how to open the same data again and clean up. */
export interface OpenedStore {
  store: OrderStore;
  /** A second store on the same data (another connection or pool); null for the memory store. */
  reopen: (() => OrderStore) | null;
  cleanup(): Promise<void>;
}

export interface StoreKind {
  name: 'memory' | 'sqlite' | 'postgres';
  skip: boolean;
  open(): OpenedStore;
}

export const storeKinds: StoreKind[] = [
  {
    name: 'memory',
    skip: false,
    open: () => {
      const store = new MemoryStore();
      return { store, reopen: null, cleanup: async () => store.close() };
    },
  },
  {
    name: 'sqlite',
    skip: false,
    open: () => {
      const dir = mkdtempSync(join(tmpdir(), 'ol-sqlite-'));
      const filename = join(dir, 'orders.db');
      const opened: OrderStore[] = [];
      const make = () => {
        const store = new SqliteStore({ filename });
        opened.push(store);
        return store;
      };
      const store = make();
      return {
        store,
        reopen: make,
        cleanup: async () => {
          for (const each of opened) await each.close().catch(() => {});
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  },
  {
    name: 'postgres',
    skip: skipPostgres,
    open: () => {
      const schema = testSchemaName('store');
      const opened: OrderStore[] = [];
      const make = () => {
        const store = new PostgresStore({ connectionString: DATABASE_URL, schema, max: 4 });
        opened.push(store);
        return store;
      };
      const store = make();
      return {
        store,
        reopen: make,
        cleanup: async () => {
          for (const each of opened) await each.close().catch(() => {});
          await dropSchema(schema);
        },
      };
    },
  },
];

/** Replaces a stored snapshot text directly, as a bad migration or a hand edit would. */
export async function overwriteSnapshot(store: OrderStore, orderId: string, text: string): Promise<void> {
  await store.transaction(async (tx) => {
    const row = await tx.getOrder(orderId);
    if (!row) throw new Error(`no order ${orderId}`);
    if (!(await tx.updateOrder({ ...row, snapshot: text }, row.seq))) throw new Error('order changed');
  });
}

/**
 * Checks the service's agreement for every order in `orderIds`: history seqs 1..n, the stored snapshot equals a
 * replay of the history from `place` with the core's createOrder/applyEvent, every recorded verdict, effect
 * list, status and version matches the replay, and the outbox holds each history row's effects exactly once.
 * Returns the disagreements (empty when all agree).
 */
export async function disagreements(
  store: OrderStore,
  orderIds: readonly string[],
  options: { machine?: OrderMachine; policy?: PolicyOverride } = {},
): Promise<string[]> {
  const problems: string[] = [];
  const outbox = new Map<string, OutboxEntry[]>();
  for (const entry of await store.outboxEntries()) {
    const list = outbox.get(entry.orderId) ?? [];
    list.push(entry);
    outbox.set(entry.orderId, list);
  }
  for (const orderId of orderIds) {
    const row = await store.getOrder(orderId);
    const history = await store.history(orderId);
    if (!row) {
      if (history.length > 0) problems.push(`${orderId}: history without an order`);
      if (outbox.has(orderId)) problems.push(`${orderId}: outbox rows without an order`);
      continue;
    }
    const seqs = history.map((h) => h.seq);
    if (seqs.join() !== seqs.map((_, i) => i + 1).join()) problems.push(`${orderId}: history seqs ${seqs.join()}`);
    if (row.seq !== history.length) problems.push(`${orderId}: row seq ${row.seq} but ${history.length} history rows`);
    const first = JSON.parse(history[0]!.event) as { type: string; input: OrderInput };
    if (first.type !== 'order.place') {
      problems.push(`${orderId}: first history event is ${first.type}`);
      continue;
    }
    const created = createOrder(first.input, options);
    let snapshot = created.snapshot;
    let version = 1;
    const expectedEffects = new Map<number, string[]>([[1, created.effects.map((e) => JSON.stringify(e))]]);
    if (history[0]!.effects !== JSON.stringify(created.effects))
      problems.push(`${orderId}: place effects differ from a replay`);
    for (const record of history.slice(1)) {
      const step = applyEvent(snapshot, JSON.parse(record.event));
      if (serializeOrder(step.snapshot) !== serializeOrder(snapshot)) version++;
      snapshot = step.snapshot;
      if (record.version !== version)
        problems.push(`${orderId}: history seq ${record.seq} version ${record.version}, replay ${version}`);
      if (record.verdict !== JSON.stringify(step.verdict))
        problems.push(`${orderId}: history seq ${record.seq} verdict differs from a replay`);
      if (record.effects !== JSON.stringify(step.effects))
        problems.push(`${orderId}: history seq ${record.seq} effects differ from a replay`);
      expectedEffects.set(
        record.seq,
        step.effects.map((e) => JSON.stringify(e)),
      );
    }
    if (row.snapshot !== serializeOrder(snapshot))
      problems.push(`${orderId}: stored snapshot differs from a replay of its history`);
    if (row.version !== version) problems.push(`${orderId}: stored version ${row.version}, replay ${version}`);
    const stored = new Map<number, string[]>();
    for (const entry of outbox.get(orderId) ?? []) {
      const list = stored.get(entry.seq) ?? [];
      list.push(entry.effect);
      stored.set(entry.seq, list);
    }
    for (const [seq, effects] of expectedEffects) {
      const got = stored.get(seq) ?? [];
      if (JSON.stringify(got) !== JSON.stringify(effects))
        problems.push(`${orderId}: outbox for seq ${seq} has ${got.length} effects, history ${effects.length}`);
      stored.delete(seq);
    }
    for (const seq of stored.keys()) problems.push(`${orderId}: outbox rows for seq ${seq} that is not in the history`);
  }
  return problems;
}
