import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { cli, placeInput } from './support.js';

// `order-lifecycle status` on what Amazon's data brings (issue 19): units shipped, no latest ship date, Pending.
let dir: string;
let db: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-status-amazon-'));
  db = join(dir, 'orders.db');
  const store = new SqliteStore({ filename: db });
  const service = await createOrderService({ store });
  const { latestShipDate: _known, ...withoutDate } = placeInput;
  await service.place({ ...withoutDate, orderId: 'no-date' });
  await service.apply('no-date', { type: 'clock.tick', at: '2026-12-01T10:00:00+08:00' });
  await service.place({ ...placeInput, orderId: 'partial' });
  await service.apply('partial', {
    type: 'marketplace.statusReported',
    at: '2026-12-01T09:01:00+08:00',
    status: 'unshipped',
  });
  await service.apply('partial', {
    type: 'seller.confirmShipment',
    at: '2026-12-01T09:30:00+08:00',
    items: [{ orderItemId: 'A', quantity: 2 }],
  });
  await service.place({ ...placeInput, orderId: 'pending' });
  await service.apply('pending', {
    type: 'marketplace.statusReported',
    at: '2026-12-01T09:01:00+08:00',
    status: 'pending',
  });
  await store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const now = ['--now', '2026-12-01T06:00:00Z'];

describe('order-lifecycle status on Amazon-shaped orders', () => {
  it('should say that an order without a latest ship date has no auto-cancel until Amazon gives one', () => {
    const run = cli(['status', 'no-date', '--db', db, ...now]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/latest ship date +not known yet/);
    expect(run.stdout).toMatch(/next deadline +none \(no auto-cancel until Amazon gives a latest ship date\)/);
    const json = JSON.parse(cli(['status', 'no-date', '--db', db, ...now, '--json']).stdout);
    expect(json).toMatchObject({ latestShipDate: null, nextDeadline: null, noDeadlineBecause: 'noLatestShipDate' });
  });

  it('should show the units shipped of a partly shipped order', () => {
    const run = cli(['status', 'partial', '--db', db, ...now]);
    expect(run.stdout).toMatch(/A \(MUG\): quantity 2, cancelled 0, shipped 2/);
    const zh = cli(['status', 'partial', '--db', db, ...now, '--lang', 'zh-CN']);
    expect(zh.stdout).toContain('已发货 2');
  });

  it('should say that nothing is due while Amazon reports the order Pending', () => {
    const run = cli(['status', 'pending', '--db', db, ...now]);
    expect(run.stdout).toMatch(/next deadline +none \(Amazon reports the order Pending\)/);
    expect(JSON.parse(cli(['status', 'pending', '--db', db, ...now, '--json']).stdout)).toMatchObject({
      noDeadlineBecause: 'marketplacePending',
    });
  });
});
