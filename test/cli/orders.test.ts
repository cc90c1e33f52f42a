import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ORDER, cli, cliAsync, oneLine, sqliteRows, sqliteStore } from './support.js';

let dir: string;
let template: string;
let db: string;
let n = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-orders-'));
  template = join(dir, 'template.db');
  await sqliteStore(template);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each test gets its own copy of the store: the unshipped order ORDER at version 2.
beforeEach(() => {
  db = join(dir, `orders-${++n}.db`);
  copyFileSync(template, db);
});

const label = '{"type":"seller.generateLabel","at":"2026-12-01T03:30:00Z"}';
const cancelOne =
  '{"type":"seller.cancel","at":"2026-12-01T03:00:00Z","reason":"NoInventory","items":[{"orderItemId":"A","quantity":1}]}';
const buyerCancel = '{"type":"buyer.cancel","at":"2026-12-01T03:00:00Z"}';
const nonStandardRequest =
  '{"type":"buyer.requestCancellation","at":"2026-12-01T03:00:00Z","source":"message","subject":"please cancel"}';

interface StoredRow {
  seq: number;
  verdict: { message: Record<string, string> } & Record<string, unknown>;
  effects: Array<Record<string, unknown>>;
}

/** The order's history rows as stored, verdicts and effects parsed. */
function storedRows(sqlite: Database.Database): StoredRow[] {
  const rows = sqlite
    .prepare('SELECT seq, verdict, effects FROM order_history WHERE order_id = ? ORDER BY seq')
    .all(ORDER) as Array<{ seq: number; verdict: string; effects: string }>;
  return rows.map((row) => ({ seq: row.seq, verdict: JSON.parse(row.verdict), effects: JSON.parse(row.effects) }));
}

function updateRow(sqlite: Database.Database, seq: number, verdict: unknown, effects: unknown): void {
  sqlite
    .prepare('UPDATE order_history SET verdict = ?, effects = ? WHERE order_id = ? AND seq = ?')
    .run(JSON.stringify(verdict), JSON.stringify(effects), ORDER, seq);
}

/** A message as versions before 077f70c wrote it: `2026-12-01T09:30:00+08:00`, not `2026-12-01 09:30:00 GMT+8`. */
const isoWording = (message: Record<string, string>) =>
  Object.fromEntries(
    Object.entries(message).map(([lang, text]) => [
      lang,
      text.replace(/(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT\+8\b/g, '$1T$2+08:00'),
    ]),
  );

describe('order-lifecycle status', () => {
  it('should print the status, version, next deadline, items and what the seller may do now', () => {
    const run = cli(['status', ORDER, '--db', db, '--now', '2026-12-01T03:00:00Z']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}status +unshipped$/m);
    expect(run.stdout).toMatch(/^ {2}version +2$/m);
    // Auto-cancel 7 days after the latest ship date, in the order's own offset.
    expect(run.stdout).toMatch(/^ {2}next deadline +2026-12-10 23:59:59 GMT\+8 \(auto-cancel if not shipped\)$/m);
    expect(run.stdout).toContain('A (MUG): quantity 2, cancelled 0');
    expect(run.stdout).toMatch(/seller\.generateLabel +yes: /);
    expect(run.stdout).toMatch(/seller\.voidLabel +no, refused NO_LABEL: There is no shipping label to void\./);
  });

  it('should print the same as JSON, and in Chinese with --lang zh-CN', () => {
    const run = cli(['status', ORDER, '--db', db, '--now', '2026-12-01T03:00:00Z', '--json']);
    expect(run.status).toBe(0);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      orderId: ORDER,
      status: 'unshipped',
      version: 2,
      nextDeadline: '2026-12-10T15:59:59.000Z',
      nextDeadlineKind: 'autoCancel',
    });
    expect(
      json.items.map((item: { orderItemId: string; quantityCanceled: number }) => [
        item.orderItemId,
        item.quantityCanceled,
      ]),
    ).toEqual([
      ['A', 0],
      ['B', 0],
    ]);
    expect(
      json.sellerMayNow.actions
        .filter((action: { allowed: boolean }) => action.allowed)
        .map((action: { event: string }) => action.event),
    ).toEqual(['seller.generateLabel', 'seller.confirmShipment', 'seller.cancel']);
    const zh = cli(['status', ORDER, '--db', db, '--now', '2026-12-01T03:00:00Z', '--lang', 'zh-CN']);
    expect(zh.stdout).toMatch(/^ {2}状态 +【未发货】$/m);
    expect(zh.stdout).toContain('seller.voidLabel        不可以，拒绝 NO_LABEL：没有可作废的货件标签。');
  });
});

describe('order-lifecycle explain', () => {
  it('should show what an accepted event would do, exit 0, and store nothing', () => {
    const before = sqliteRows(db);
    const run = cli(['explain', ORDER, cancelOne, '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}verdict +accepted: Cancelled 1 unit\(s\) with the reason No Inventory/m);
    expect(run.stdout).toMatch(/^ {2}version +2 -> 3$/m);
    expect(run.stdout).toContain('items.refunded (A×1)');
    expect(run.stdout).toContain('items.0.quantityCanceled: 0 -> 1');
    expect(sqliteRows(db)).toEqual(before);
  });

  it('should exit 1 with the refusal for an event that would be refused, as JSON with --json, and store nothing', () => {
    const before = sqliteRows(db);
    const run = cli(['explain', ORDER, buyerCancel, '--db', db, '--json']);
    expect(run.status).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json).toMatchObject({
      orderId: ORDER,
      verdict: { accepted: false, code: 'BUYER_WINDOW_CLOSED' },
      statusBefore: 'unshipped',
      statusAfter: 'unshipped',
      versionBefore: 2,
      versionAfter: 2,
      effects: [],
      stored: false,
    });
    expect(json.event).toEqual({ type: 'buyer.cancel', at: '2026-12-01T03:00:00.000Z' });
    expect(sqliteRows(db)).toEqual(before);
  });
});

describe('order-lifecycle apply', () => {
  it('should apply an accepted event, print status before and after, and exit 0', () => {
    const run = cli(['apply', ORDER, label, '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^ {2}status +unshipped -> label-generated$/m);
    expect(run.stdout).toMatch(/^ {2}version +2 -> 3$/m);
    expect(sqliteRows(db)['order_history']).toHaveLength(3);
  });

  it('should store a refused event, print its verdict in the chosen language, and exit 1', () => {
    const run = cli(['apply', ORDER, buyerCancel, '--db', db, '--lang', 'zh-CN']);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/^ {2}裁定 +拒绝 BUYER_WINDOW_CLOSED：/m);
    const json = JSON.parse(cli(['apply', ORDER, buyerCancel, '--db', db, '--json']).stdout);
    expect(json).toMatchObject({ verdict: { accepted: false, code: 'BUYER_WINDOW_CLOSED' }, stored: true });
  });

  it('should read the event from @file and from standard input, and apply a request once per idempotency key', () => {
    const file = join(dir, 'label.json');
    writeFileSync(file, label);
    const first = cli(['apply', ORDER, `@${file}`, '--db', db, '--idempotency-key', 'label-1', '--json']);
    expect(first.status).toBe(0);
    const again = cli(['apply', ORDER, '-', '--db', db, '--idempotency-key', 'label-1', '--json'], label);
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout).versionAfter).toBe(JSON.parse(first.stdout).versionAfter);
    expect(sqliteRows(db)['order_history']).toHaveLength(3);
  });
});

describe('order-lifecycle history', () => {
  it('should list every stored event with its seq, verdict and status before and after, as a table and as JSON', () => {
    cli(['apply', ORDER, buyerCancel, '--db', db]);
    const run = cli(['history', ORDER, '--db', db]);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^seq +recorded at +event +at +verdict +status before -> after$/);
    expect(lines[1]).toMatch(/^1 +\S+Z +order\.place +accepted +\(none\) -> buyer-cancellable \(pending\)$/);
    expect(lines[3]).toMatch(
      /^3 +\S+Z +buyer\.cancel +2026-12-01 11:00:00 GMT\+8 +refused BUYER_WINDOW_CLOSED +unshipped -> unshipped$/,
    );
    const json = JSON.parse(cli(['history', ORDER, '--db', db, '--json']).stdout);
    expect(
      json.rows.map((row: { seq: number; event: { type: string }; statusAfter: string }) => [
        row.seq,
        row.event.type,
        row.statusAfter,
      ]),
    ).toEqual([
      [1, 'order.place', 'buyer-cancellable'],
      [2, 'clock.tick', 'unshipped'],
      [3, 'buyer.cancel', 'unshipped'],
    ]);
  });
});

describe('order-lifecycle sweep', () => {
  it('should apply the deadlines due by --now and report applied, remaining and failed', () => {
    const early = JSON.parse(cli(['sweep', '--db', db, '--now', '2026-12-05T00:00:00Z', '--json']).stdout);
    expect(early).toEqual({ now: '2026-12-05T00:00:00.000Z', applied: 0, remaining: 0, failed: [] });
    const run = cli(['sweep', '--db', db, '--now', '2026-12-20T00:00:00Z', '--limit', '10']);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('applied:   1 due order moved on');
    expect(JSON.parse(cli(['status', ORDER, '--db', db, '--json']).stdout).status).toBe('auto-canceled');
  });
});

describe('order-lifecycle replay --db', () => {
  it('should replay a stored history through the current machine and report every verdict reproduced', () => {
    cli(['apply', ORDER, label, '--db', db]);
    const run = cli(['replay', ORDER, '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('every stored verdict reproduced (3 of 3)');
    expect(JSON.parse(cli(['replay', ORDER, '--db', db, '--json']).stdout)).toMatchObject({
      orderId: ORDER,
      reproduced: true,
    });
  });

  it('should exit 1 and name the step and what differs when a stored verdict is not what the machine says now', () => {
    const sqlite = new Database(db);
    sqlite
      .prepare('UPDATE order_history SET verdict = ? WHERE order_id = ? AND seq = 2')
      .run(JSON.stringify({ accepted: false, code: 'NO_LABEL', message: { en: 'x', 'zh-CN': 'x' } }), ORDER);
    sqlite.close();
    const run = cli(['replay', ORDER, '--db', db, '--json']);
    expect(run.status).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.reproduced).toBe(false);
    expect(json.steps.map((step: { seq: number; differences: string[] }) => [step.seq, step.differences])).toEqual([
      [1, []],
      [2, ['verdict', 'wording']],
    ]);
    expect(cli(['replay', ORDER, '--db', db]).stdout).toContain('1 of 2 stored steps not reproduced');
  });

  it('should count a step whose stored words alone differ as reproduced, say its wording changed, and exit 0', () => {
    cli(['apply', ORDER, nonStandardRequest, '--db', db]);
    const sqlite = new Database(db);
    for (const row of storedRows(sqlite)) {
      // The words an earlier version stored: ISO-8601 instants, and another text of the buyer's guidance.
      const verdict = { ...row.verdict, message: isoWording(row.verdict.message) };
      const effects = row.effects.map((effect) => ({
        ...effect,
        message: { en: 'Ask for an official request.', 'zh-CN': '请买家提交正式请求。' },
      }));
      updateRow(sqlite, row.seq, verdict, row.seq === 3 ? effects : row.effects);
    }
    sqlite.close();

    const run = cli(['replay', ORDER, '--db', db]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain(
      '      reproduced: same decision; wording changed\n' +
        '      stored: accepted -> unshipped; Time advanced to 2026-12-01T10:00:00+08:00; the order is unshipped.; none\n',
    );
    expect(run.stdout).toContain('      stored buyer.guidance: Ask for an official request.\n');
    expect(run.stdout).toMatch(
      /every stored verdict reproduced \(3 of 3\)\n3 of 3 stored steps: same decision; wording changed\n$/,
    );
    expect(run.stdout).not.toContain('DIFFERS');

    const json = JSON.parse(cli(['replay', ORDER, '--db', db, '--json']).stdout);
    expect(json.reproduced).toBe(true);
    expect(
      json.steps.map((step: { reproduced: boolean; differences: string[] }) => [step.reproduced, step.differences]),
    ).toEqual([
      [true, ['wording']],
      [true, ['wording']],
      [true, ['wording']],
    ]);
    const zh = cli(['replay', ORDER, '--db', db, '--lang', 'zh-CN']);
    expect(zh.status).toBe(0);
    expect(zh.stdout).toContain('一致：裁定相同，措辞已变');
    expect(zh.stdout).toContain('存储的 buyer.guidance：请买家提交正式请求。');
  });

  it('should still exit 1 when a stored effect differs in more than its words', () => {
    cli(['apply', ORDER, nonStandardRequest, '--db', db]);
    const sqlite = new Database(db);
    const row = storedRows(sqlite).find((each) => each.seq === 3)!;
    updateRow(
      sqlite,
      3,
      row.verdict,
      row.effects.map((effect) => ({ ...effect, type: 'seller.notified' })),
    );
    sqlite.close();
    const run = cli(['replay', ORDER, '--db', db, '--json']);
    expect(run.status).toBe(1);
    const json = JSON.parse(run.stdout);
    expect(json.reproduced).toBe(false);
    expect(json.steps[2]).toMatchObject({ reproduced: false, differences: ['effects'] });
  });
});

describe('wrong arguments and failures', () => {
  it.concurrent.each([
    [
      ['explain', ORDER, '{"type":"seller.cancel","at":"yesterday","reason":"NoInventory"}', '--db', 'DB'],
      /^error: event-json: at: expected an ISO-8601 date-time .*\(got "yesterday"\)$/,
    ],
    [
      ['apply', ORDER, '{"type":"seller.cancel","at":"2026-12-01T03:00:00Z","reason":"Bored"}', '--db', 'DB'],
      /^error: event-json: reason: .*\(got "Bored"\)$/,
    ],
    [['apply', ORDER, '{"type":', '--db', 'DB'], /^error: event-json: not valid JSON/],
    [
      ['apply', ORDER, '@no/such/event.json', '--db', 'DB'],
      /^error: event-json: file "no\/such\/event\.json" does not exist$/,
    ],
    [['apply', 'no-such-order', label, '--db', 'DB'], /^error: orderId: no order "no-such-order" in the store$/],
    [['status', 'no-such-order', '--db', 'DB'], /^error: orderId: no order "no-such-order" in the store$/],
    [['history', 'no-such-order', '--db', 'DB'], /^error: orderId: no order "no-such-order" in the store$/],
    [['replay', 'no-such-order', '--db', 'DB'], /^error: orderId: no order "no-such-order" in the store$/],
    [['status', ORDER, '--db', 'missing.db'], /^error: --db file "missing\.db" does not exist$/],
    [['status', ORDER], /exactly one of --db <file> or --database-url <url>/],
    [['status', ORDER, '--db', 'DB', '--now', 'soon'], /^error: --now must be an ISO-8601 date-time .*\(got "soon"\)$/],
    [['history', ORDER, '--db', 'DB', '--lang', 'fr'], /'fr' is invalid/],
    [['sweep', '--db', 'DB', '--limit', '0'], /^error: --limit must be a positive whole number \(got "0"\)$/],
    [
      ['apply', ORDER, label, '--db', 'DB', '--idempotency-key', ''],
      /^error: --idempotency-key must be 1 to 255 characters/,
    ],
    [['status', ORDER, '--db', 'DB', '--bogus'], /^error: unknown option '--bogus'$/],
    [['replay', 'no/such/order.json'], /^error: Cannot open recorded order "no\/such\/order\.json": no such file\.$/],
  ])('should refuse %j in one line on standard error with exit status 2, and change nothing', async (args, message) => {
    // These run side by side on one store, which none of them may change.
    const before = sqliteRows(template);
    const run = await cliAsync(args.map((arg) => (arg === 'DB' ? template : arg)));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(sqliteRows(template)).toEqual(before);
  });

  it('should say in one line that the database is unreachable, and exit 3', () => {
    const run = cli(['status', ORDER, '--database-url', 'postgres://postgres@127.0.0.1:1/test']);
    expect(run.status).toBe(3);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(
      /^error: cannot open the order store \(PostgreSQL "postgres:\/\/postgres@127\.0\.0\.1:1\/test"\): .*ECONNREFUSED/,
    );
  });

  it('should say in one line that a --db file is not an order store, and exit 3', () => {
    const bad = join(dir, 'not-a-db.db');
    writeFileSync(
      bad,
      'this is not SQLite, and it is long enough to have a header of a hundred bytes or so to be read.....',
    );
    const run = cli(['history', ORDER, '--db', bad]);
    expect(run.status).toBe(3);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr.trimEnd()).toMatch(
      /^error: cannot open the order store \(SQLite file ".*not-a-db\.db"\): file is not a database$/,
    );
  });
});
