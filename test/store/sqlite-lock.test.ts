import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteStore, StoreBusyError, type OrderRow } from '../../src/store/index.js';

const root = resolve(import.meta.dirname, '../..');
const row = (orderId: string): OrderRow => ({
  orderId,
  version: 1,
  status: 'unshipped',
  nextDeadline: null,
  seq: 1,
  snapshot: `{"order":"${orderId}"}`,
});

/** Another process that holds the file's write lock (`BEGIN IMMEDIATE`) until told to let go. */
interface LockHolder {
  /** Rolls back and exits; resolves once the process is gone, so the lock is free. */
  release(): Promise<void>;
  child: ChildProcess;
}

const holderScript = `
const Database = require('better-sqlite3');
const db = new Database(process.argv[1]);
// Exclusive locking mode keeps every other connection out, readers and openers too, until this one closes.
if (process.argv[2] === 'exclusive') db.pragma('locking_mode = EXCLUSIVE');
db.exec('BEGIN IMMEDIATE');
db.prepare("INSERT INTO orders (order_id, version, status, next_deadline, seq, snapshot) VALUES ('held', 1, 'unshipped', NULL, 1, '{}')").run();
process.stdout.write('locked\\n');
process.stdin.once('data', () => {
  db.exec('ROLLBACK');
  db.close();
  process.exit(0);
});
`;

async function holdLock(filename: string, mode: 'write' | 'exclusive' = 'write'): Promise<LockHolder> {
  const child = spawn(process.execPath, ['-e', holderScript, filename, mode], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  await new Promise<void>((done, fail) => {
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      if (chunk.includes('locked')) done();
    });
    void exited.then((code) =>
      fail(new Error(`the lock holder exited with ${code} before it held the lock: ${stderr}`)),
    );
  });
  return {
    child,
    release: async () => {
      child.stdin!.write('go\n');
      expect(await exited, stderr).toBe(0);
    },
  };
}

/** Whether `error` is one of SQLite's own busy errors (better-sqlite3's SqliteError), rather than the store's. */
function rawBusy(error: unknown): boolean {
  return String((error as { code?: unknown }).code).startsWith('SQLITE_BUSY');
}

describe('SqliteStore while another process holds the write lock', () => {
  let dir: string;
  let file: string;
  const stores: SqliteStore[] = [];
  const holders: LockHolder[] = [];
  const open = async (options: { lockTimeoutMs?: number } = {}) => {
    const store = new SqliteStore({ filename: file, ...options });
    stores.push(store);
    await store.init();
    return store;
  };
  const lock = async (mode?: 'write' | 'exclusive') => {
    const holder = await holdLock(file, mode);
    holders.push(holder);
    return holder;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sqlite-lock-'));
    file = join(dir, 'orders.db');
  });
  afterEach(async () => {
    for (const holder of holders.splice(0)) if (holder.child.exitCode === null) holder.child.kill('SIGKILL');
    for (const store of stores.splice(0)) await store.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('should let timers, callbacks and reads run while a write waits for the lock, and commit the write once it is free', async () => {
    const store = await open();
    await store.transaction((tx) => tx.insertOrder(row('a')));
    const holder = await lock();
    const events: string[] = [];
    // The group begins in a microtask: by the first timer callback the write has met the lock.
    const write = store.transaction((tx) => tx.insertOrder(row('b'))).then(() => events.push('write committed'));
    await new Promise<void>((done) =>
      setTimeout(() => {
        events.push('setTimeout 0');
        done();
      }, 0),
    );
    await new Promise<void>((done) =>
      setImmediate(() => {
        events.push('setImmediate');
        done();
      }),
    );
    expect(await store.getOrder('a')).toEqual(row('a'));
    expect(await store.getOrder('b')).toBeNull();
    expect((await store.listOrders()).map((o) => o.orderId)).toEqual(['a']);
    expect(await store.countDue(Number.MAX_SAFE_INTEGER)).toBe(0);
    events.push('reads done');
    // Still waiting: it can commit only after the holder lets go.
    events.push('releasing the lock');
    await holder.release();
    await write;
    expect(events).toEqual(['setTimeout 0', 'setImmediate', 'reads done', 'releasing the lock', 'write committed']);
    expect((await store.listOrders()).map((o) => o.orderId)).toEqual(['a', 'b']);
  });

  it('should run the transactions asked for while the lock was held together, in one commit, once it is free', async () => {
    const store = await open();
    const holder = await lock();
    const reader = new Database(file, { readonly: true });
    const committedSeen: number[] = [];
    const writes = ['a', 'b', 'c'].map((id) =>
      store.transaction(async (tx) => {
        await tx.insertOrder(row(id));
        committedSeen.push((reader.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n);
      }),
    );
    await new Promise((done) => setImmediate(done));
    await holder.release();
    await Promise.all(writes);
    reader.close();
    // None of the three saw another committed: they ran in one SQLite transaction.
    expect(committedSeen).toEqual([0, 0, 0]);
    expect((await store.listOrders()).map((o) => o.orderId)).toEqual(['a', 'b', 'c']);
  });

  it('should fail a write with StoreBusyError naming the file and the time waited after lockTimeoutMs, and work again once the lock is free', async () => {
    const store = await open({ lockTimeoutMs: 50 });
    await store.transaction(async (tx) => {
      await tx.insertOrder(row('a'));
      await tx.addOutbox([{ orderId: 'a', version: 1, seq: 1, effect: '"a1"' }], 0);
    });
    const [claimed] = await store.claimOutbox({ now: 0, batch: 1, leaseMs: 10 });
    const holder = await lock();
    const error = await store.transaction((tx) => tx.insertOrder(row('b'))).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreBusyError);
    const message = (error as Error).message;
    expect(message).toMatch(
      /^SQLite database ".*" stayed locked by another connection for (\d+) ms \(lockTimeoutMs 50\): nothing was written\.$/,
    );
    expect(message).toContain(JSON.stringify(file));
    expect(Number(/for (\d+) ms/.exec(message)![1])).toBeGreaterThanOrEqual(50);
    expect(rawBusy(error)).toBe(false);
    // Every write meets the same, the outbox's too; reads go on.
    const outboxWrites = [
      store.claimOutbox({ now: 100, batch: 1, leaseMs: 10 }),
      store.completeOutbox(claimed!),
      store.failOutbox(claimed!, { attempts: 1, availableAt: 0, parked: false, error: 'down' }),
      store.releaseOutbox([claimed!], 0),
    ];
    for (const failed of await Promise.allSettled(outboxWrites)) {
      expect(failed.status).toBe('rejected');
      expect((failed as PromiseRejectedResult).reason).toBeInstanceOf(StoreBusyError);
      expect(rawBusy((failed as PromiseRejectedResult).reason)).toBe(false);
    }
    expect(await store.getOrder('a')).toEqual(row('a'));
    await holder.release();
    await store.transaction((tx) => tx.insertOrder(row('b')));
    expect((await store.listOrders()).map((o) => o.orderId)).toEqual(['a', 'b']);
    expect(await store.completeOutbox(claimed!)).toBe(true);
  });

  it('should fail init() with StoreBusyError, not SQLITE_BUSY, while the lock is held, and succeed once it is free', async () => {
    await (await open()).close();
    const holder = await lock();
    const store = new SqliteStore({ filename: file, lockTimeoutMs: 20 });
    stores.push(store);
    const error = await store.init().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreBusyError);
    expect(rawBusy(error)).toBe(false);
    await holder.release();
    await store.init();
    await store.transaction((tx) => tx.insertOrder(row('a')));
    expect(await store.getOrder('a')).toEqual(row('a'));
  });

  it('should refuse to open, with StoreBusyError and not SQLITE_BUSY, a file another process holds in exclusive locking mode', async () => {
    await (await open()).close();
    const holder = await lock('exclusive');
    let error: unknown;
    try {
      stores.push(new SqliteStore({ filename: file, lockTimeoutMs: 20 }));
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreBusyError);
    expect((error as Error).message).toMatch(
      /stayed locked by another connection for \d+ ms \(lockTimeoutMs 20\): it was not opened\.$/,
    );
    expect(rawBusy(error)).toBe(false);
    await holder.release();
    const store = await open();
    expect(await store.getOrder('held')).toBeNull();
  });

  it('should let reads through while its own write transaction waits in a group', async () => {
    const store = await open();
    let release!: () => void;
    const held = new Promise<void>((done) => (release = done));
    const write = store.transaction(async (tx) => {
      await tx.insertOrder(row('a'));
      await held;
    });
    // A read does not queue behind the open write transaction, and sees only what was committed.
    expect(await store.getOrder('a')).toBeNull();
    expect(await store.outboxEntries()).toEqual([]);
    release();
    await write;
    expect(await store.getOrder('a')).toEqual(row('a'));
  });
});
