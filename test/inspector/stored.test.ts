import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import {
  openStoredOrders,
  PAGE_SOCKET_PATH,
  startInspector,
  type Inspector,
  type OrderView,
  type StoredOrders,
} from '../../src/inspector/index.js';
import { createOrderService, type HistoryRow } from '../../src/service/index.js';
import { PostgresStore, SqliteStore } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

/** Every file of the directory (the database, and its -wal/-shm if any) with a hash of its bytes. */
function fingerprint(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((name) => [
        name,
        createHash('sha256')
          .update(readFileSync(join(dir, name)))
          .digest('hex'),
      ]),
  );
}

/** Sends `openStored` on the page socket and resolves with the id of the view the server says it loaded. */
function openFromPage(inspector: Inspector, orderId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${inspector.socketUrl}${PAGE_SOCKET_PATH}`, { origin: inspector.url.replace(/\/$/, '') });
    ws.on('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'openStored', orderId })));
    ws.on('message', (data) => {
      for (const message of JSON.parse(String(data)) as Array<{ type: string; ids?: string[]; message?: string }>) {
        if (message.type === 'loaded') resolve(message.ids![0]!);
        else if (message.type === 'error') reject(new Error(message.message));
        else continue;
        ws.close();
      }
    });
  });
}

describe('the inspector on a SQLite order store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ol-inspect-db-'));
  const filename = join(dir, 'orders.db');
  const histories = new Map<string, HistoryRow[]>();
  let before: Record<string, string>;
  let stored: StoredOrders;
  let inspector: Inspector;

  beforeAll(async () => {
    const service = await createOrderService({ store: new SqliteStore({ filename }), now: () => placedAt });
    await service.place(orderInput({ orderId: '114-0000001' }));
    await service.place(orderInput({ orderId: '114-0000002' }));
    await service.apply('114-0000002', { type: 'clock.tick', at: placedAt + 31 * MINUTE });
    await service.apply('114-0000002', { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE });
    await service.apply('114-0000002', { type: 'buyer.cancel', at: placedAt + 45 * MINUTE });
    await service.place(orderInput({ orderId: '205-0000003' }));
    await service.apply('205-0000003', { type: 'buyer.cancel', at: placedAt + 10 * MINUTE });
    for (const id of ['114-0000001', '114-0000002', '205-0000003']) histories.set(id, await service.history(id));
    await service.close();
    before = fingerprint(dir);
    stored = await openStoredOrders({ db: filename });
    inspector = await startInspector({ port: 0, stored, log: () => {} });
  });
  afterAll(async () => {
    await inspector?.close();
    await stored?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = async (query = '') => {
    const response = await fetch(`${inspector.url}api/stored${query}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { orders: Array<{ orderId: string; status: string }> }).orders;
  };

  it('should list the stored orders by id, searchable by id and state', async () => {
    const all = await list();
    expect(all.map((o) => o.orderId)).toEqual(['114-0000001', '114-0000002', '205-0000003']);
    for (const order of all) expect(order.status).toBe(histories.get(order.orderId)!.at(-1)!.statusAfter);
    expect((await list('?id=114')).map((o) => o.orderId)).toEqual(['114-0000001', '114-0000002']);
    expect((await list('?status=canceled')).map((o) => o.orderId)).toEqual(['205-0000003']);
    expect((await list('?limit=1&after=114-0000001')).map((o) => o.orderId)).toEqual(['114-0000002']);
    const bad = await fetch(`${inspector.url}api/stored?status=lost`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('"lost"');
  });

  it('should open a stored order as a recording whose steps carry the stored verdicts, effects and states', async () => {
    const id = await openFromPage(inspector, '114-0000002');
    const view = inspector.orders().find((order: OrderView) => order.id === id)!;
    const rows = histories.get('114-0000002')!;
    expect(view.source).toBe('recording');
    expect(view.orderId).toBe('114-0000002');
    expect(view.steps.map((step) => step.verdict)).toEqual(rows.map((row) => row.verdict));
    expect(view.steps.map((step) => step.effects)).toEqual(rows.map((row) => row.effects));
    expect(view.steps.map((step) => step.status)).toEqual(rows.map((row) => row.statusAfter));
    expect(view.steps.some((step) => !step.verdict.accepted)).toBe(true);
    expect(view.steps[2]!.changes.length).toBeGreaterThan(0);
    // Opening it again shows the same view.
    expect(await openFromPage(inspector, '114-0000002')).toBe(id);
    await expect(openFromPage(inspector, 'no-such-order')).rejects.toThrow(/no-such-order/);
  });

  it('should leave the database files byte for byte as they were', async () => {
    await list('?id=2');
    await openFromPage(inspector, '205-0000003');
    const after = fingerprint(dir);
    expect(after['orders.db']).toBe(before['orders.db']);
    // A WAL reader may leave SQLite's shared-memory index (-shm) and an empty -wal beside the file: no data.
    if (after['orders.db-wal'] !== undefined) expect(readFileSync(`${filename}-wal`).length).toBe(0);
    expect(
      Object.keys(after).filter((name) => !['orders.db', 'orders.db-wal', 'orders.db-shm'].includes(name)),
    ).toEqual([]);
    // And a write through the inspector's connection is refused.
    const readOnly = new SqliteStore({ filename, readonly: true });
    await expect(
      readOnly.transaction((tx) =>
        tx.insertOrder({ orderId: 'x', version: 1, status: 'unshipped', nextDeadline: null, seq: 1, snapshot: '{}' }),
      ),
    ).rejects.toThrow(/readonly/i);
    await readOnly.close();
    expect(fingerprint(dir)['orders.db']).toBe(before['orders.db']);
  });
});

describe('the inspector on a PostgreSQL order store', () => {
  it.skipIf(skipPostgres)(
    'should list and open stored orders through read-only sessions that refuse writes',
    async () => {
      const schema = testSchemaName('inspect');
      try {
        const service = await createOrderService({
          store: new PostgresStore({ connectionString: DATABASE_URL, schema, max: 2 }),
          now: () => placedAt,
        });
        await service.place(orderInput({ orderId: '114-0000009' }));
        await service.apply('114-0000009', { type: 'buyer.cancel', at: placedAt + 10 * MINUTE });
        const rows = await service.history('114-0000009');
        await service.close();
        const stored = await openStoredOrders({ databaseUrl: DATABASE_URL, schema });
        try {
          expect((await stored.list({ idContains: '0009' })).map((o) => [o.orderId, o.status])).toEqual([
            ['114-0000009', rows.at(-1)!.statusAfter],
          ]);
          expect(await stored.history('114-0000009')).toEqual(rows);
          const readOnly = new PostgresStore({ connectionString: DATABASE_URL, schema, readonly: true, max: 1 });
          await expect(
            readOnly.transaction((tx) =>
              tx.insertOrder({
                orderId: 'x',
                version: 1,
                status: 'unshipped',
                nextDeadline: null,
                seq: 1,
                snapshot: '{}',
              }),
            ),
          ).rejects.toThrow(/read-only/);
          await readOnly.close();
          expect((await stored.list()).map((o) => o.orderId)).toEqual(['114-0000009']);
        } finally {
          await stored.close();
        }
        await expect(openStoredOrders({ databaseUrl: DATABASE_URL, schema: `${schema}_missing` })).rejects.toThrow(
          /Cannot read stored orders from/,
        );
      } finally {
        await dropSchema(schema);
      }
    },
  );
});
