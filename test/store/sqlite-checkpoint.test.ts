import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/store/index.js';

const row = (i: number) => ({ orderId: `o-${i}`, version: 1, status: 'unshipped', nextDeadline: null, seq: 1, snapshot: 'x'.repeat(400) });

describe('SqliteStore checkpoints on a worker thread', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const file = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-ckpt-'));
    dirs.push(dir);
    return join(dir, 'orders.db');
  };

  /**
   * 8,000 one-row transactions back to back, never yielding to the event loop; how many bytes the WAL file grew
   * by over the last 6,000 (the first 2,000 give the worker thread time to start).
   */
  async function writeMany(store: SqliteStore, filename: string): Promise<number> {
    let before = 0;
    for (let i = 0; i < 8000; i++) {
      if (i === 2000) before = statSync(`${filename}-wal`).size;
      await store.transaction(async (tx) => tx.insertOrder(row(i)));
    }
    return statSync(`${filename}-wal`).size - before;
  }

  it('should keep the WAL near its checkpoint size while a writer commits without pause, and lose no commit', async () => {
    const filename = file();
    const store = new SqliteStore({ filename, checkpointPages: 100 });
    await store.init();
    const grown = await writeMany(store, filename);
    await store.close();
    // 6,000 commits write well over 6,000 pages (24 MB) to the WAL: checkpoints let it start again from the beginning, so it grows by less than half that.
    expect(grown).toBeLessThan(3_000 * 4_096);
    const reopened = new SqliteStore({ filename, readonly: true });
    expect(reopened.db.prepare('SELECT count(*) AS n FROM orders').get()).toEqual({ n: 8000 });
    await reopened.close();
  });

  it('should see the WAL grow past that bound when nothing checkpoints (the control of the test above)', async () => {
    const filename = file();
    const store = new SqliteStore({ filename, checkpointPages: 100, backgroundCheckpoints: false });
    await store.init();
    store.db.pragma('wal_autocheckpoint = 0');
    expect(await writeMany(store, filename)).toBeGreaterThan(6_000 * 4_096);
    await store.close();
  });
});
