/** One stored order: its serialized snapshot and when to wake it (`nextDeadline`). */
export interface StoredOrder {
  id: string;
  snapshot: string;
  wakeAt: number | null;
}

/** The writes a back-end recipe makes inside one transaction. */
export interface Transaction {
  saveOrder(id: string, snapshot: string, wakeAt: number | null): Promise<void>;
  enqueueEffects(effects: readonly object[]): Promise<void>;
}

/** An in-memory database of the shape docs/core.md's back-end recipe assumes, to run the recipe as written. */
export interface MemoryDatabase {
  /** The committed orders by id. */
  readonly orders: Map<string, StoredOrder>;
  /** The committed effects, in order: the outbox. */
  readonly outbox: object[];
  load(orderId: string): Promise<{ id: string; snapshot: string }>;
  transaction(work: (tx: Transaction) => Promise<void>): Promise<void>;
}

/**
 * A database in memory whose transactions commit their orders and effects together, only when their work completes.
 * @example
 * const db = memoryDatabase();
 * await db.transaction(async (tx) => tx.enqueueEffects([{ type: 'buyer.notified' }]));
 * db.outbox.length; // 1
 */
export function memoryDatabase(): MemoryDatabase {
  const orders = new Map<string, StoredOrder>();
  const outbox: object[] = [];
  return {
    orders,
    outbox,
    async load(orderId) {
      const order = orders.get(orderId);
      if (!order) throw new Error(`No stored order has the id "${orderId}".`);
      return { id: order.id, snapshot: order.snapshot };
    },
    async transaction(work) {
      const saved: StoredOrder[] = [];
      const effects: object[] = [];
      await work({
        saveOrder: async (id, snapshot, wakeAt) => void saved.push({ id, snapshot, wakeAt }),
        enqueueEffects: async (more) => void effects.push(...more),
      });
      for (const order of saved) orders.set(order.id, order);
      outbox.push(...effects);
    },
  };
}
