import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { PostgresStore, SqliteStore } from '../../src/store/index.js';
import { DATABASE_URL, dropSchema, skipPostgres, testSchemaName } from '../support/postgres.js';

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-12-10T00:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();

const cli = (...args: string[]) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'metrics', ...args], { encoding: 'utf8' });

let dir: string;
let db: string;

/** Five orders whose figures the tests below work out by hand. */
async function fill(service: OrderService): Promise<void> {
  const place = (
    orderId: string,
    placedAt: number,
    sku: string,
    extra: { latestShipDate?: number; fulfillmentChannel?: 'AFN' } = {},
  ) =>
    service.place({
      orderId,
      placedAt,
      latestShipDate: extra.latestShipDate ?? placedAt + 2 * DAY,
      items: [{ orderItemId: `${orderId}-A`, sku, quantity: 1 }],
      ...extra,
    });
  await place('o1', NOW - 2 * DAY, 'MUG');
  await service.apply('o1', { type: 'seller.cancel', at: NOW - 2 * DAY + HOUR, reason: 'NoInventory' });
  await place('o2', NOW - 3 * DAY, 'PEN');
  await service.apply('o2', { type: 'seller.confirmShipment', at: NOW - 3 * DAY + HOUR });
  await place('o3', NOW - 4 * DAY, 'PEN', { latestShipDate: NOW - 3 * DAY });
  await service.apply('o3', { type: 'seller.confirmShipment', at: NOW - 2 * DAY });
  await place('o4', NOW - 5 * DAY, 'MUG');
  await service.apply('o4', { type: 'seller.cancel', at: NOW - 5 * DAY + HOUR, reason: 'NoInventory' });
  await place('o5', NOW - DAY, 'MUG', { fulfillmentChannel: 'AFN' });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'metrics-cli-'));
  db = join(dir, 'orders.db');
  const service = await createOrderService({ store: new SqliteStore({ filename: db }) });
  await fill(service);
  await service.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const expected = {
  now: iso(NOW),
  // Seller-fulfilled orders placed in the 7 days: o1, o2, o3, o4 = 4 (o5 is AFN); cancelled: o1, o4 = 2; 2 / 4.
  cancellationRate: {
    rate: 0.5,
    canceled: 2,
    unattributed: 0,
    rateIfAllCounted: 0.5,
    orders: 4,
    from: iso(NOW - 7 * DAY),
    to: iso(NOW),
    target: 0.025,
    healthy: false,
  },
  lateShipmentRate: {
    // Shipped in both windows: o2 (on time), o3 (a day after its latest ship date) = 2; late 1; 1 / 2.
    last10Days: {
      rate: 0.5,
      late: 1,
      orders: 2,
      from: iso(NOW - 10 * DAY),
      to: iso(NOW),
      target: 0.04,
      healthy: false,
    },
    last30Days: {
      rate: 0.5,
      late: 1,
      orders: 2,
      from: iso(NOW - 30 * DAY),
      to: iso(NOW),
      target: 0.04,
      healthy: false,
    },
  },
  // MUG: seller cancels of o4, then o1, with no MUG shipped between.
  suppressionRisks: [
    {
      sku: 'MUG',
      cancellations: [
        { orderId: 'o4', placedAt: iso(NOW - 5 * DAY), at: iso(NOW - 5 * DAY + HOUR), reason: 'NoInventory' },
        { orderId: 'o1', placedAt: iso(NOW - 2 * DAY), at: iso(NOW - 2 * DAY + HOUR), reason: 'NoInventory' },
      ],
    },
  ],
};

describe('order-lifecycle metrics', () => {
  it('should print the figures of a SQLite store as JSON', () => {
    const run = cli('--db', db, '--now', '2026-12-10T08:00:00+08:00', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });

  it('should print a table in English and in Chinese', () => {
    const en = cli('--db', db, '--now', '2026-12-10T00:00:00Z');
    expect(en.status).toBe(0);
    expect(en.stdout).toMatch(
      /^Cancellation Rate +7 days +2026-12-03T00:00:00\.000Z +2026-12-10T00:00:00\.000Z +2 +4 +50\.00% +< 2\.50% +over target$/m,
    );
    expect(en.stdout).toMatch(/^Late Shipment Rate +10 days .* +1 +2 +50\.00% +< 4\.00% +over target$/m);
    expect(en.stdout).toContain('  MUG: 2 in a row (o4, o1)');
    // Nothing cancelled by nobody knows whom: no line about it.
    expect(en.stdout).not.toContain('understated');
    const zh = cli('--db', db, '--now', '2026-12-10T00:00:00Z', '--lang', 'zh-CN');
    expect(zh.status).toBe(0);
    expect(zh.stdout).toMatch(/^取消率 +7 天 .* +2 +4 +50\.00% +< 2\.50% +超出目标$/m);
    expect(zh.stdout).toMatch(/^迟发率 +30 天 .* +1 +2 +50\.00% +< 4\.00% +超出目标$/m);
    expect(zh.stdout).toContain('MUG：连续 2 次（o4、o1）');
    expect(zh.stdout).not.toContain('偏低');
    // The columns line up: every cell (text after two or more spaces) starts at the same terminal column in
    // the header and in each row (Chinese characters are two columns wide).
    const rows = zh.stdout.split('\n').filter((line) => /^(指标|取消率|迟发率)/.test(line));
    const starts = (line: string) => {
      const result: number[] = [];
      let column = 0;
      let spaces = 0;
      for (const ch of line) {
        if (ch !== ' ' && spaces >= 2) result.push(column);
        spaces = ch === ' ' ? spaces + 1 : 0;
        column += /[\u4e00-\u9fff]/.test(ch) ? 2 : 1;
      }
      return result;
    };
    expect(rows).toHaveLength(4);
    expect(starts(rows[0]!)).toHaveLength(8);
    for (const row of rows.slice(1)) expect(starts(row)).toEqual(starts(rows[0]!));
  });

  it.each([
    [['--db', 'DB', '--now', 'yesterday'], /--now must be an ISO-8601 date-time .*"yesterday"/],
    [['--db', 'DB', '--lang', 'fr'], /'fr' is invalid/],
    [['--now', '2026-12-10T00:00:00Z'], /exactly one of --db <file> or --database-url <url>/],
    [['--db', 'missing.db'], /--db file "missing\.db" does not exist/],
    [['--db', 'DB', '--bogus'], /unknown option '--bogus'/],
  ])('should refuse %j in one line with exit code 2', (args, message) => {
    const run = cli(...args.map((arg) => (arg === 'DB' ? db : arg)));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(message);
  });

  it('should describe every option in --help', () => {
    const run = cli('--help');
    expect(run.status).toBe(0);
    for (const option of [
      '--db <file>',
      '--database-url <url>',
      '--schema <name>',
      '--now <iso>',
      '--lang <lang>',
      '--json',
    ])
      expect(run.stdout).toContain(option);
  });
});

describe.skipIf(skipPostgres)('order-lifecycle metrics --database-url', () => {
  const schema = testSchemaName('metrics_cli');

  beforeAll(async () => {
    const service = await createOrderService({ store: new PostgresStore({ connectionString: DATABASE_URL, schema }) });
    await fill(service);
    await service.close();
  });

  afterAll(() => dropSchema(schema));

  it('should print the same figures from a PostgreSQL store', () => {
    const run = cli('--database-url', DATABASE_URL, '--schema', schema, '--now', '2026-12-10T00:00:00Z', '--json');
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(expected);
  });
});

describe('order-lifecycle metrics with cancellations nobody attributed', () => {
  let file: string;

  beforeAll(async () => {
    file = join(dir, 'unattributed.db');
    const service = await createOrderService({ store: new SqliteStore({ filename: file }) });
    const place = (orderId: string) =>
      service.place({
        orderId,
        placedAt: NOW - 2 * DAY,
        latestShipDate: NOW + DAY,
        items: [{ orderItemId: 'A', quantity: 1 }],
      });
    // u1: cancelled by the seller for no inventory (counts); u2, u3: Amazon reports them cancelled without saying
    // by whom (an Orders v0 `Canceled` pull); u4: shipped. 1 of 4 counted, 3 of 4 if both unattributed ones count.
    await place('u1');
    await service.apply('u1', { type: 'seller.cancel', at: NOW - DAY, reason: 'NoInventory' });
    for (const orderId of ['u2', 'u3']) {
      await place(orderId);
      await service.apply(orderId, { type: 'marketplace.orderCanceled', at: NOW - DAY, cancelledBy: 'unknown' });
    }
    await place('u4');
    await service.apply('u4', { type: 'seller.confirmShipment', at: NOW - DAY });
    await service.close();
  });

  it('should say in English and Chinese that the Cancellation Rate may be understated, and by how much', () => {
    const en = cli('--db', file, '--now', '2026-12-10T00:00:00Z');
    expect(en.status).toBe(0);
    expect(en.stdout).toMatch(/^Cancellation Rate +7 days .* +1 +4 +25\.00% +< 2\.50% +over target$/m);
    expect(en.stdout).toContain(
      'Cancellation Rate may be understated: 2 orders were cancelled without saying by whom (not counted); if all counted: 75.00%\n',
    );
    const zh = cli('--db', file, '--now', '2026-12-10T00:00:00Z', '--lang', 'zh-CN');
    expect(zh.status).toBe(0);
    expect(zh.stdout).toContain('取消率可能偏低：2 个订单的取消未说明取消方（未计入）；若全部计入：75.00%\n');
  });

  it('should give the count and the rate if all counted in JSON', () => {
    const run = cli('--db', file, '--now', '2026-12-10T00:00:00Z', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).cancellationRate).toEqual({
      rate: 0.25,
      canceled: 1,
      unattributed: 2,
      rateIfAllCounted: 0.75,
      orders: 4,
      from: iso(NOW - 7 * DAY),
      to: iso(NOW),
      target: 0.025,
      healthy: false,
    });
  });
});

describe('order-lifecycle metrics on more orders than one page', () => {
  it('should read every order of the store, page after page (1,000 ids a page)', async () => {
    const file = join(dir, 'many.db');
    const store = new SqliteStore({ filename: file });
    const service = await createOrderService({ store });
    // 1,001 orders placed a day before now, the last one cancelled by the seller: 1 of 1,001.
    for (let i = 0; i < 1001; i++) {
      await service.place({
        orderId: `m${String(i).padStart(4, '0')}`,
        placedAt: NOW - DAY,
        latestShipDate: NOW + DAY,
        items: [{ orderItemId: 'A', quantity: 1 }],
      });
    }
    await service.apply('m1000', { type: 'seller.cancel', at: NOW - DAY + HOUR, reason: 'NoInventory' });
    await service.close();
    const run = cli('--db', file, '--now', '2026-12-10T00:00:00Z', '--json');
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout).cancellationRate).toMatchObject({ canceled: 1, orders: 1001 });
  });
});
