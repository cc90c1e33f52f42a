import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createOrderService } from '../../src/service/index.js';
import { SqliteStore, StoreFullError } from '../../src/store/index.js';
import { disagreements } from './stores.js';
import { orderInput } from '../support/orders.js';

/**
 * SQLite's `max_page_count` makes a file full at its current size: SQLite then answers SQLITE_FULL exactly as it
 * does on a full disk (the chaos suite's full-disk drill fills a real tmpfs).
 */
const limitPages = (store: SqliteStore, pages: number | 'current') => {
  const db = (store as unknown as { db: Database.Database }).db;
  const count = pages === 'current' ? (db.pragma('page_count', { simple: true }) as number) : pages;
  db.pragma(`max_page_count = ${count}`);
};

describe('the SQLite store on a full disk', () => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  it('should refuse writes with StoreFullError naming the file, store nothing of them, serve reads, and write again once there is room', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-full-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'orders.db');
    const store = new SqliteStore({ filename: file });
    const service = await createOrderService({ store });
    cleanups.push(() => service.close());
    await service.place(orderInput({ orderId: 'kept' }));
    limitPages(store, 'current');
    // Orders of many items need new pages: the file cannot grow.
    const big = (orderId: string) =>
      orderInput({
        orderId,
        items: Array.from({ length: 40 }, (_, i) => ({
          orderItemId: `I-${i}`,
          sku: `SKU-${i}-${'x'.repeat(80)}`,
          quantity: 1,
        })),
      });
    const errors: unknown[] = [];
    for (let i = 0; i < 20 && errors.length === 0; i++)
      await service.place(big(`full-${i}`)).catch((error: unknown) => errors.push(error));
    expect(errors).toHaveLength(1);
    const error = errors[0] as StoreFullError;
    expect(error).toBeInstanceOf(StoreFullError);
    expect(error.message).toBe(
      `SQLite database ${JSON.stringify(file)} is full (its disk has no space left): nothing of the transaction was stored; free space and send it again.`,
    );
    const refusedId = `full-${(await store.listOrders({ idContains: 'full-', limit: 1000 })).length}`;
    expect(await service.get(refusedId)).toBeNull();
    expect(await service.get('kept')).toMatchObject({ orderId: 'kept', version: 1 });
    limitPages(store, 1_000_000);
    expect(await service.place(big(refusedId))).toMatchObject({ orderId: refusedId, version: 1 });
    const ids = (await store.listOrders({ limit: 1000 })).map((listing) => listing.orderId);
    expect(await disagreements(store, ids)).toEqual([]);
  });
});
