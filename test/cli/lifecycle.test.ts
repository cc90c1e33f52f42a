import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { formatCount, renderCli } from '../../src/domain/locales/cli.js';
import { createOrder, formatDateTime } from '../../src/index.js';
import { someIds } from '../../src/cli/metrics.js';
import { timeLeft } from '../../src/cli/simulate.js';
import { cli, oneLine, ORDER, sqliteRows, sqliteStore } from './support.js';

const EXAMPLE = '114-3941689-8772232';
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'order-lifecycle-lifecycle-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('order-lifecycle place', () => {
  it('should place the shipped example order, print its status, verdict and next deadline, and report it placed once', () => {
    const db = join(dir, 'place.db');
    const run = cli(['place', 'docs/examples/order.json', '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(`${EXAMPLE}  placed\n`);
    expect(run.stdout).toMatch(/status +buyer-cancellable \(pending\)/);
    expect(run.stdout).toMatch(/verdict +accepted: Order 114-3941689-8772232 placed/);
    expect(run.stdout).toMatch(/next deadline +2026-12-01 09:30:00 GMT\+8 \(the buyer's cancel window closes\)/);
    expect(run.stdout).toContain(`npx order-lifecycle status ${EXAMPLE} --db ${db}`);

    const again = cli(['place', '--db', db, '--json'], readFileSync('docs/examples/order.json', 'utf8'));
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ orderId: EXAMPLE, placed: false, version: 1 });

    const status = cli(['status', EXAMPLE, '--db', db, '--now', '2026-12-01T09:10:00+08:00', '--json']);
    expect(JSON.parse(status.stdout).status).toBe('buyer-cancellable');
  });

  it('should place an SP-API order payload and JSON lines, and refuse another input under a taken id in one line with exit 2', () => {
    const db = join(dir, 'sp-api.db');
    const run = cli(['place', 'docs/examples/sp-api-order.json', '--db', db, '--json']);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      orderId: '113-1234567-1234567',
      placed: true,
      status: 'buyer-cancellable',
    });

    const lines = [
      { orderId: 'L-1', placedAt: '2026-12-01T09:00:00Z', items: [{ orderItemId: 'A', quantity: 1 }] },
      { orderId: '113-1234567-1234567', placedAt: '2026-12-01T09:00:00Z', items: [{ orderItemId: 'A', quantity: 1 }] },
    ].map((order) => JSON.stringify(order));
    const conflict = cli(['place', '-', '--db', db], `${lines.join('\n')}\n`);
    expect(conflict.status).toBe(2);
    expect(oneLine(conflict.stderr)).toBe(true);
    expect(conflict.stderr).toBe(
      'error: place: line 2: order "113-1234567-1234567" is already in the store with a different input; it was left as it is\n',
    );
    expect(conflict.stdout).toContain('L-1  placed');
  });

  it('should refuse an invalid order in one line naming the field and the value, with exit 2, and write nothing', async () => {
    const db = join(dir, 'invalid.db');
    await sqliteStore(db);
    const before = sqliteRows(db);
    const orders = [
      { orderId: 'ok-1', placedAt: '2026-12-01T09:00:00Z', items: [{ orderItemId: 'A', quantity: 1 }] },
      { orderId: 'bad-1', placedAt: 'yesterday', items: [{ orderItemId: 'A', quantity: 1 }] },
    ];
    const run = cli(['place', '-', '--db', db], JSON.stringify(orders));
    expect(run.status).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/^error: place: order 2: order: placedAt: .*\(got "yesterday"\); nothing was placed\n$/);
    expect(sqliteRows(db)).toEqual(before);
  });
});

describe('instants for people', () => {
  it("should write the buyer's cancel deadline of an order placed at +08:00 as formatDateTime does, in the verdict message and the status, in English and Chinese", () => {
    const db = join(dir, 'instants.db');
    const until = formatDateTime(Date.parse('2026-12-01T09:30:00+08:00'), { offsetMinutes: 480 });
    expect(until).toBe('2026-12-01 09:30:00 GMT+8');
    const { verdict } = createOrder(JSON.parse(readFileSync('docs/examples/order.json', 'utf8')));
    expect(verdict.message.en).toBe(`Order ${EXAMPLE} placed; the buyer may cancel it until ${until}.`);
    expect(verdict.message['zh-CN']).toBe(`订单 ${EXAMPLE} 已下单；买家可在 ${until} 之前自行取消。`);
    const placed = cli(['place', 'docs/examples/order.json', '--db', db]);
    expect(placed.stdout).toContain(verdict.message.en);
    for (const lang of ['en', 'zh-CN'] as const) {
      const status = cli(['status', EXAMPLE, '--db', db, '--now', '2026-12-01T09:10:00+08:00', '--lang', lang]);
      expect(status.status).toBe(0);
      const deadline = status.stdout
        .split('\n')
        .find((line) => line.trimStart().startsWith(renderCli(lang, 'cli.status.deadline')));
      expect(deadline).toContain(until);
      // No ISO-8601 instant is left beside it for people: the placed time and "now" are written the same way.
      expect(status.stdout).toContain('2026-12-01 09:00:00 GMT+8');
      expect(status.stdout).not.toMatch(/\d\dT\d\d:\d\d|[+-]\d\d:\d\d\b/);
    }
  });
});

describe('the command line’s output', () => {
  it('should end the progress bar with "done", not cli-progress’s "LLs left"', () => {
    expect(timeLeft(10_000, 10_000, 9_000)).toBe('done');
    expect(timeLeft(0, 10_000, 0)).toBe('…');
    expect(timeLeft(5_000, 10_000, 4_000)).toBe('4s left');
    expect(timeLeft(1, 100, 5_000)).toBe('8m 15s left');
    expect(timeLeft(1, 10_000, 5_000)).toBe('13h 53m left');
  });

  it('should group thousands the same way in metrics as in the simulation summary', async () => {
    expect(formatCount('en', 9500)).toBe('9,500');
    expect(formatCount('zh-CN', 9500)).toBe('9,500');
    const db = join(dir, 'thousand.db');
    const service = await createOrderService({ store: new SqliteStore({ filename: db }) });
    const now = Date.parse('2026-12-10T00:00:00Z');
    for (let i = 0; i < 1000; i++)
      await service.place({
        orderId: `t${String(i).padStart(4, '0')}`,
        placedAt: now - 86_400_000,
        latestShipDate: now + 86_400_000,
        items: [{ orderItemId: 'A', sku: 'MUG', quantity: 1 }],
      });
    // Twelve seller cancellations of MUG in a row: a suppression risk naming twelve orders.
    for (let i = 0; i < 12; i++)
      await service.apply(`t${String(i).padStart(4, '0')}`, {
        type: 'seller.cancel',
        at: now - 86_400_000 + 3_600_000 + i,
        reason: 'NoInventory',
      });
    await service.close();
    const run = cli(['metrics', '--db', db, '--now', '2026-12-10T00:00:00Z']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Cancellation Rate .* 12 +1,000 /);
    // The risk names five orders and counts the rest; --json keeps them all.
    expect(run.stdout).toContain('MUG: 12 in a row (t0000, t0001, t0002, t0003, t0004, … and 7 more)');
    const json = JSON.parse(cli(['metrics', '--db', db, '--now', '2026-12-10T00:00:00Z', '--json']).stdout);
    expect(json.suppressionRisks[0].cancellations).toHaveLength(12);
    expect(someIds(['a', 'b'], 'en')).toBe('a, b');
  });

  it('should give the reason an ended order refuses every seller action once, not once per action', async () => {
    const db = join(dir, 'ended.db');
    await sqliteStore(db);
    const cancel = cli([
      'apply',
      ORDER,
      '{"type":"seller.cancel","at":"2026-12-01T11:00:00+08:00","reason":"NoInventory"}',
      '--db',
      db,
    ]);
    expect(cancel.status).toBe(0);
    const run = cli(['status', ORDER, '--db', db, '--now', '2026-12-01T12:00:00+08:00']);
    expect(run.status).toBe(0);
    const reason = 'The order is already cancelled, and a cancellation cannot be undone';
    expect(run.stdout.split(reason)).toHaveLength(2);
    expect(run.stdout).toMatch(/seller\.generateLabel +no, refused ALREADY_CANCELED\n/);
  });
});

describe('a path argument that is wrong', () => {
  it.each([
    [['apply-feed', 'DIR', '--db', 'DB'], 'apply-feed: "DIR" is a directory; give a feed file (XML or TSV)'],
    [
      ['status', ORDER, '--db', 'DIR'],
      '--db: "DIR" is a directory; give a SQLite order store file (or --database-url for PostgreSQL)',
    ],
    [['place', 'DIR', '--db', 'DB'], 'place: "DIR" is a directory; give an order JSON file'],
    [
      ['place', 'docs/examples/order.json', '--db', 'DIR/no/such/orders.db'],
      '--db: the folder of "DIR/no/such/orders.db" does not exist',
    ],
    [['simulate', '--db', 'DIR', '--orders', '1'], '--db: "DIR" is a directory; give a SQLite file to simulate into'],
    [
      ['replay', ORDER],
      `replay: "${ORDER}" is not a file; to replay a stored order's history by id, add --db <file> or --database-url <url>`,
    ],
  ])('should refuse %j in one line naming the argument and the path, with exit 2', async (args, message) => {
    const folder = join(dir, 'feeds');
    mkdirSync(folder, { recursive: true });
    const db = join(dir, 'paths.db');
    if (!existsSync(db)) await sqliteStore(db);
    const swap = (text: string) => text.replaceAll('DIR', folder).replace(/^DB$/, db);
    const run = cli(args.map(swap));
    expect(run.stderr).toBe(`error: ${swap(message)}\n`);
    expect(run.status).toBe(2);
  });

  it('should name in every --help example a file the package ships', () => {
    for (const command of ['place', 'replay', 'inspect']) {
      const help = cli([command, '--help']).stdout;
      const files = [...help.matchAll(/\s((?:docs|test)\/\S+\.json)/g)].map((match) => match[1]!);
      expect({ command, files: files.filter((file) => !file.startsWith('docs/') || !existsSync(file)) }).toEqual({
        command,
        files: [],
      });
      expect(files.length).toBeGreaterThan(0);
    }
  });
});
