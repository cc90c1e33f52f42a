import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, type OrderRow, type StoreTransaction } from '../../src/store/index.js';

const row = (orderId: string): OrderRow => ({
  orderId,
  version: 1,
  status: 'unshipped',
  nextDeadline: null,
  seq: 1,
  snapshot: `{"order":"${orderId}"}`,
});

/** A promise and the function that settles it: a transaction that waits on it holds its group open. */
function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('SqliteStore group commit', () => {
  let dir: string;
  let file: string;
  let store: SqliteStore;
  /** Another connection to the file, outside the store's mutex: it sees only what was committed. */
  let reader: Database.Database;
  const committed = () =>
    (reader.prepare('SELECT order_id FROM orders ORDER BY order_id').all() as Array<{ order_id: string }>).map(
      (r) => r.order_id,
    );
  /** A transaction that stores `orderId` and then waits for `open()`: the transactions asked for meanwhile join its group. */
  const holding = (orderId: string) => {
    const held = gate();
    const first = store.transaction(async (tx) => {
      await tx.insertOrder(row(orderId));
      await held.opened;
    });
    return { first, open: held.open };
  };
  const history = (orderId: string) => ({
    orderId,
    seq: 1,
    version: 1,
    event: '{}',
    verdict: '{}',
    effects: '[]',
    statusBefore: null,
    statusAfter: 'unshipped',
    recordedAt: 1,
    machineVersion: 1,
  });

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'group-commit-'));
    file = join(dir, 'orders.db');
    store = new SqliteStore({ filename: file });
    await store.init();
    reader = new Database(file, { readonly: true });
  });
  afterEach(async () => {
    reader.close();
    await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should commit transactions asked for while another runs together, and resolve none before that commit', async () => {
    const held = gate();
    const resolved: string[] = [];
    const storedWhileRunning: string[][] = [];
    const resolvedWhileRunning: number[] = [];
    const first = store.transaction(async (tx) => {
      await tx.insertOrder(row('a'));
      await held.opened;
      return 'a';
    });
    const others = ['b', 'c', 'd'].map((id) =>
      store.transaction(async (tx) => {
        await tx.insertOrder(row(id));
        storedWhileRunning.push(committed());
        // A turn of the event loop: an earlier transaction resolved before the COMMIT would show here.
        await new Promise((done) => setImmediate(done));
        resolvedWhileRunning.push(resolved.length);
        return id;
      }),
    );
    for (const promise of [first, ...others]) void promise.then((id) => resolved.push(id));
    // Let the first transaction start and wait; the others queue behind it.
    await new Promise((done) => setTimeout(done, 20));
    expect(committed()).toEqual([]);
    held.open();
    expect(await Promise.all([first, ...others])).toEqual(['a', 'b', 'c', 'd']);
    expect(resolved).toEqual(['a', 'b', 'c', 'd']);
    // b, c and d ran in a's transaction: none of them saw a committed, nor any transaction resolved.
    expect(storedWhileRunning).toEqual([[], [], []]);
    expect(resolvedWhileRunning).toEqual([0, 0, 0]);
    expect(committed()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('should commit each transaction on its own with groupCommit: false', async () => {
    const single = new SqliteStore({ filename: file, groupCommit: false });
    const held = gate();
    const storedWhileRunning: string[][] = [];
    const first = single.transaction(async (tx) => {
      await tx.insertOrder(row('a'));
      await held.opened;
    });
    const others = ['b', 'c'].map((id) =>
      single.transaction(async (tx) => {
        await tx.insertOrder(row(id));
        storedWhileRunning.push(committed());
      }),
    );
    await new Promise((done) => setTimeout(done, 20));
    held.open();
    await Promise.all([first, ...others]);
    // Each ran after the one before it had committed.
    expect(storedWhileRunning).toEqual([['a'], ['a', 'b']]);
    await single.close();
  });

  it('should roll back only the transaction that throws and commit the others of its group', async () => {
    const { first, open } = holding('a');
    const failing = store.transaction(async (tx) => {
      await tx.insertOrder(row('b'));
      await tx.appendHistory(history('b'));
      throw new Error('refused by the caller');
    });
    const last = store.transaction(async (tx) => {
      await tx.insertOrder(row('c'));
    });
    open();
    await expect(failing).rejects.toThrow('refused by the caller');
    await Promise.all([first, last]);
    expect(committed()).toEqual(['a', 'c']);
    expect(await store.history('b')).toEqual([]);
  });

  it('should roll back the first transaction of a group alone when it throws, and run the others in a new one', async () => {
    const held = gate();
    const failing = store.transaction(async (tx) => {
      await tx.insertOrder(row('a'));
      await held.opened;
      throw new Error('refused by the caller');
    });
    const others = ['b', 'c'].map((id) =>
      store.transaction(async (tx) => {
        await tx.insertOrder(row(id));
      }),
    );
    held.open();
    await expect(failing).rejects.toThrow('refused by the caller');
    await Promise.all(others);
    expect(committed()).toEqual(['b', 'c']);
  });

  it('should report a unique-key violation in a group as a WriteConflictError and keep the others', async () => {
    const { first, open } = holding('a');
    const twice = store.transaction(async (tx) => {
      await tx.appendHistory(history('a'));
      await tx.appendHistory(history('a'));
    });
    open();
    await expect(twice).rejects.toMatchObject({ name: 'WriteConflictError' });
    await first;
    expect(committed()).toEqual(['a']);
    expect(await store.history('a')).toEqual([]);
  });

  it('should reject every transaction of the group when SQLite ends the whole transaction, and run the next group', async () => {
    const { first, open } = holding('a');
    const ending = store.transaction(async () => {
      // What SQLITE_FULL or an I/O error can do: the transaction is gone, not just this savepoint.
      store.db.exec('ROLLBACK');
      throw new Error('the disk is full');
    });
    open();
    await expect(ending).rejects.toThrow('the disk is full');
    await expect(first).rejects.toThrow('the disk is full');
    expect(committed()).toEqual([]);
    await store.transaction(async (tx) => tx.insertOrder(row('b')));
    expect(committed()).toEqual(['b']);
  });

  it('should reject every transaction of the group and store nothing when its COMMIT fails, and run the next group', async () => {
    // A deferred foreign key is checked at COMMIT: a real COMMIT that fails and leaves the transaction open.
    store.db.exec('CREATE TABLE notes (order_id TEXT REFERENCES orders (order_id) DEFERRABLE INITIALLY DEFERRED)');
    const { first, open } = holding('a');
    const dangling = store.transaction(async (tx) => {
      await tx.insertOrder(row('b'));
      store.db.prepare("INSERT INTO notes (order_id) VALUES ('no-such-order')").run();
    });
    open();
    await expect(first).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    await expect(dangling).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    expect(committed()).toEqual([]);
    await store.transaction(async (tx) => tx.insertOrder(row('c')));
    expect(committed()).toEqual(['c']);
  });

  it('should reject a transaction that returned after SQLite ended the whole transaction, and run the rest in a new one', async () => {
    const held = gate();
    const swallowed = store.transaction(async (tx) => {
      await tx.insertOrder(row('a'));
      await held.opened;
      // What a callback that catches SQLITE_FULL and returns would leave behind.
      store.db.exec('ROLLBACK');
    });
    const next = store.transaction(async (tx) => tx.insertOrder(row('b')));
    held.open();
    await expect(swallowed).rejects.toThrow(
      'SQLite ended the transaction while it ran (a full disk, an I/O error): nothing of it was stored.',
    );
    await next;
    expect(committed()).toEqual(['b']);
  });

  it('should reject the transactions of a store whose file has no tables yet (no init) instead of waiting forever', async () => {
    const bare = new SqliteStore({ filename: join(dir, 'empty.db') });
    await expect(bare.transaction(async (tx) => tx.getOrder('a'))).rejects.toThrow(/no such table/);
    await expect(bare.transaction(async (tx) => tx.getOrder('a'))).rejects.toThrow(/no such table/);
    await bare.close();
  });

  it('should take at most 256 transactions in one group and run the rest in the next', async () => {
    const { first, open } = holding('o-000');
    const seenBefore: number[] = [];
    const rest = Array.from({ length: 299 }, (_, i) =>
      store.transaction(async (tx) => {
        await tx.insertOrder(row(`o-${String(i + 1).padStart(3, '0')}`));
        seenBefore.push(committed().length);
      }),
    );
    open();
    await Promise.all([first, ...rest]);
    // The first group (the held one and 255 more) committed together; the 44 after it saw those 256 stored.
    expect(seenBefore.slice(0, 255).every((count) => count === 0)).toBe(true);
    expect(seenBefore.slice(255).every((count) => count === 256)).toBe(true);
    expect(committed()).toHaveLength(300);
  });

  it("should run each transaction in its caller's async context", async () => {
    const context = new AsyncLocalStorage<string>();
    const held = gate();
    const seen: Array<string | undefined> = [];
    const runs = ['request-1', 'request-2', 'request-3'].map((name, i) =>
      context.run(name, () =>
        store.transaction(async () => {
          if (i === 0) await held.opened;
          seen.push(context.getStore());
        }),
      ),
    );
    held.open();
    await Promise.all(runs);
    expect(seen).toEqual(['request-1', 'request-2', 'request-3']);
  });

  it('should refuse a transaction object used after its callback ended, instead of writing into another transaction', async () => {
    let kept: StoreTransaction | undefined;
    await store.transaction(async (tx) => {
      kept = tx;
    });
    await expect(kept!.insertOrder(row('late'))).rejects.toThrow(
      'This store transaction has ended: use the transaction object only inside its own callback.',
    );
    expect(committed()).toEqual([]);
  });

  it('should reject the transactions of a closed store instead of waiting forever', async () => {
    await store.close();
    await expect(store.transaction(async (tx) => tx.insertOrder(row('a')))).rejects.toThrow(/not open/);
  });
});
