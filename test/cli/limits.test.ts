import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import Database from 'better-sqlite3';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli, ORDER, oneLine, sqliteRows, sqliteStore } from './support.js';

/**
 * Runs the CLI from source with standard input from `stdin` (a file descriptor, or a function that writes to a
 * pipe until the CLI stops reading) and extra node options (a heap limit).
 */
function run(
  args: readonly string[],
  options: { stdin?: number | ((input: NodeJS.WritableStream) => Promise<void>); node?: string[] } = {},
): Promise<{ status: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const stdin = typeof options.stdin === 'number' ? options.stdin : options.stdin ? 'pipe' : 'ignore';
    const child = spawn(process.execPath, [...(options.node ?? []), '--import', 'tsx', 'src/cli/main.ts', ...args], {
      stdio: [stdin, 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    if (typeof options.stdin === 'function') {
      // The CLI stops reading and exits: the pipe breaks, which ends the writer.
      child.stdin!.on('error', () => {});
      void options.stdin(child.stdin!).catch(() => {});
    }
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** Writes `head`, then `line` again and again, until the reader goes away. */
const endless = (head: string, line: string) => async (input: NodeJS.WritableStream) => {
  const block = line.repeat(Math.ceil(65_536 / line.length));
  let open = true;
  input.on('error', () => (open = false));
  input.on('close', () => (open = false));
  if (!input.write(head)) await once(input, 'drain');
  while (open) {
    if (input.write(block)) continue;
    // Whichever comes first, the other wait is called off: a wait left behind each turn would pile up listeners.
    const waits = new AbortController();
    await Promise.race([
      once(input, 'drain', { signal: waits.signal }),
      once(input, 'close', { signal: waits.signal }),
    ]).finally(() => waits.abort());
  }
};

const FLAT_HEAD =
  'TemplateType=OrderCancellation\tVersion=1.0\norder-id\tcancellation-reason-code\tamazon-order-item-code\n';
const label = '{"type":"seller.generateLabel","at":"2026-12-01T03:30:00Z"}';

let dir: string;
let db: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cli-limits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the event JSON of apply and explain, bounded', () => {
  beforeEach(async () => {
    db = join(dir, `orders-${Math.random().toString(36).slice(2)}.db`);
    await sqliteStore(db);
  });

  it('should stop reading standard input that never ends (/dev/zero) at 1 MiB, in one line, exit 2, and change nothing', async () => {
    const before = sqliteRows(db);
    const zero = openSync('/dev/zero', 'r');
    try {
      const result = await run(['apply', ORDER, '-', '--db', db], { stdin: zero, node: ['--max-old-space-size=64'] });
      expect(result.stderr).toBe(
        'error: event-json: standard input is larger than 1048576 bytes: nothing was read past that (raise --max-bytes to allow more)\n',
      );
      expect(result.status).toBe(2);
    } finally {
      closeSync(zero);
    }
    expect(sqliteRows(db)).toEqual(before);
  });

  it('should stop reading @/dev/zero and a pipe that never closes at --max-bytes', async () => {
    const before = sqliteRows(db);
    const file = await run(['explain', ORDER, '@/dev/zero', '--db', db, '--max-bytes', '64K']);
    expect(file.stderr).toBe(
      'error: event-json: file "/dev/zero" is larger than 65536 bytes: nothing was read past that (raise --max-bytes to allow more)\n',
    );
    expect(file.status).toBe(2);
    const pipe = await run(['apply', ORDER, '-', '--db', db, '--max-bytes', '100000'], {
      stdin: endless('{"type":"clock.tick","at":', ' '),
    });
    expect(pipe.stderr).toMatch(/^error: event-json: standard input is larger than 100000 bytes/);
    expect(pipe.status).toBe(2);
    expect(sqliteRows(db)).toEqual(before);
  });

  it('should refuse an event file over the limit before reading it, and read it when --max-bytes allows', async () => {
    const event = join(dir, 'padded.json');
    writeFileSync(event, `${' '.repeat(1_500_000)}${label}`);
    const refused = cli(['apply', ORDER, `@${event}`, '--db', db]);
    expect(refused.stderr).toBe(
      `error: event-json: file ${JSON.stringify(event)} is larger than 1048576 bytes: nothing was read past that (raise --max-bytes to allow more)\n`,
    );
    expect(refused.status).toBe(2);
    const allowed = cli(['apply', ORDER, `@${event}`, '--db', db, '--max-bytes', '2M', '--json']);
    expect(allowed.stderr).toBe('');
    expect(allowed.status).toBe(0);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ statusAfter: 'label-generated' });
  });

  it.each([['lots'], ['0'], ['-1'], ['1.5M'], ['2T']])(
    'should refuse --max-bytes %s in one line with exit status 2',
    (value) => {
      const result = cli(['apply', ORDER, label, '--db', db, '--max-bytes', value]);
      expect(result.status).toBe(2);
      expect(oneLine(result.stderr)).toBe(true);
      expect(result.stderr).toBe(
        `error: --max-bytes must be a positive whole number of bytes, like 1048576 or 1M (got ${JSON.stringify(value)})\n`,
      );
    },
  );

  it('should refuse an order id or an idempotency key beyond the bounds, naming it, with exit status 2', () => {
    const before = sqliteRows(db);
    const long = cli(['apply', 'x'.repeat(200), label, '--db', db]);
    expect(long.stderr).toBe(
      `error: Invalid order id: orderId: must be at most 128 characters (this one has 200) (got "${'x'.repeat(76)}...)\n`,
    );
    expect(long.status).toBe(2);
    const status = cli(['status', 'x'.repeat(200), '--db', db]);
    expect(status.stderr).toMatch(/^error: Invalid order id: orderId: must be at most 128 characters/);
    expect(status.status).toBe(2);
    const key = cli(['apply', ORDER, label, '--db', db, '--idempotency-key', 'k\u0007']);
    expect(key.stderr).toBe(
      'error: --idempotency-key must not contain control characters: U+0007 at index 1 (got "k\\u0007")\n',
    );
    expect(key.status).toBe(2);
    expect(sqliteRows(db)).toEqual(before);
  });
});

describe('apply-feed, bounded and streamed', () => {
  /** The orders of the feeds below: three unshipped orders with two items each. */
  const orders = ['114-0000020-0000001', '114-0000020-0000002', '114-0000020-0000003'];
  const flat = (rows: Array<[string, string]>) =>
    `${FLAT_HEAD}${rows.map(([order, item]) => `${order}\tNoInventory\t${item}\n`).join('')}`;

  beforeEach(async () => {
    db = join(dir, `feed-${Math.random().toString(36).slice(2)}.db`);
    const { createOrderService } = await import('../../src/service/index.js');
    const { SqliteStore } = await import('../../src/store/index.js');
    const service = await createOrderService({ store: new SqliteStore({ filename: db }) });
    for (const orderId of orders) {
      await service.place({
        orderId,
        placedAt: '2026-12-01T09:00:00+08:00',
        latestShipDate: '2026-12-03T23:59:59+08:00',
        items: [
          { orderItemId: `${orderId.slice(-1)}1`, quantity: 1 },
          { orderItemId: `${orderId.slice(-1)}2`, quantity: 1 },
        ],
      });
    }
    await service.close();
  });

  const cancelled = () =>
    (
      new Database(db, { readonly: true })
        .prepare(
          `SELECT order_id, count(*) AS n FROM order_history WHERE event LIKE '%seller.cancel%' AND verdict LIKE '%"accepted":true%' GROUP BY order_id ORDER BY order_id`,
        )
        .all() as Array<{ order_id: string; n: number }>
    ).map((row) => [row.order_id, row.n]);

  it('should stop a feed that never ends (a named pipe) at --max-bytes, in one line, exit 2, having applied nothing, in bounded memory', async () => {
    const before = sqliteRows(db);
    const fifo = join(dir, 'endless.fifo');
    execFileSync('mkfifo', [fifo]);
    const cliDone = run(['apply-feed', fifo, '--db', db, '--max-bytes', '150M', '--at', '2026-12-01T12:00:00+08:00'], {
      // A heap of 64 MiB: a CLI that held the feed would die of it long before 150 MiB.
      node: ['--max-old-space-size=64'],
    });
    const writer = createWriteStream(fifo);
    writer.on('error', () => {});
    void endless(FLAT_HEAD, `${orders[0]}\tNoInventory\t11\n`)(writer).catch(() => {});
    const result = await cliDone;
    writer.destroy();
    expect(result.stderr).toBe(
      `error: feed file ${JSON.stringify(fifo)} is larger than 157286400 bytes (--max-bytes): nothing was applied\n`,
    );
    expect(result.status).toBe(2);
    expect(sqliteRows(db)).toEqual(before);
  });

  it('should read a feed of 100 MB in bounded memory, and apply nothing when its end turns out malformed', async () => {
    // Messages of about 8 KB (80 items each), 12,500 of them, and no </AmazonEnvelope> at the end.
    const file = join(dir, 'big.xml');
    const out = createWriteStream(file);
    out.write(
      '<?xml version="1.0" encoding="UTF-8"?>\n<AmazonEnvelope>\n<Header><DocumentVersion>1.01</DocumentVersion><MerchantIdentifier>M</MerchantIdentifier></Header>\n<MessageType>OrderAcknowledgement</MessageType>\n',
    );
    const items = Array.from(
      { length: 80 },
      (_, i) =>
        `<Item><AmazonOrderItemCode>${String(i).padStart(14, '4')}</AmazonOrderItemCode><CancelReason>NoInventory</CancelReason></Item>`,
    ).join('');
    for (let n = 1; n <= 12_500; n++) {
      if (
        !out.write(
          `<Message><MessageID>${n}</MessageID><OrderAcknowledgement><AmazonOrderID>${orders[n % 3]}</AmazonOrderID><StatusCode>Failure</StatusCode>${items}</OrderAcknowledgement></Message>\n`,
        )
      )
        await once(out, 'drain');
    }
    out.end();
    await once(out, 'close');
    const before = sqliteRows(db);
    const result = await run(['apply-feed', file, '--db', db, '--max-bytes', '200M'], {
      node: ['--max-old-space-size=64'],
    });
    expect(result.stderr).toBe(
      `error: feed file ${JSON.stringify(file)}: line 12505: is not well-formed XML: the document ends before </AmazonEnvelope>; nothing was applied\n`,
    );
    expect(result.status).toBe(2);
    expect(sqliteRows(db)).toEqual(before);
    rmSync(file);
  });

  it('should refuse a feed file larger than --max-bytes before reading it', async () => {
    const file = join(dir, 'small.txt');
    writeFileSync(file, flat([[orders[0]!, '11']]));
    const result = cli(['apply-feed', file, '--db', db, '--max-bytes', '100']);
    expect(result.stderr).toBe(
      `error: feed file ${JSON.stringify(file)} is larger than 100 bytes (--max-bytes): nothing was applied\n`,
    );
    expect(result.status).toBe(2);
  });

  it('should open --report before applying anything: a report that cannot be written stops the run first', () => {
    const file = join(dir, 'feed.txt');
    writeFileSync(file, flat([[orders[0]!, '11']]));
    const folder = join(dir, 'a-folder');
    mkdirSync(folder, { recursive: true });
    const before = sqliteRows(db);
    const result = cli(['apply-feed', file, '--db', db, '--report', folder]);
    expect(result.stderr).toMatch(
      new RegExp(
        `^error: --report file ${JSON.stringify(folder).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} cannot be opened for writing: EISDIR`,
      ),
    );
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.status).toBe(2);
    expect(sqliteRows(db)).toEqual(before);
  });

  it('should leave --report as it was when the feed is refused: not created, or not changed', () => {
    const file = join(dir, 'broken.xml');
    writeFileSync(file, '<AmazonEnvelope><MessageType>OrderAcknowledgement</MessageType><Message>');
    const fresh = join(dir, 'fresh-report.xml');
    const refused = cli(['apply-feed', file, '--db', db, '--report', fresh]);
    expect(refused.status).toBe(2);
    expect(existsSync(fresh)).toBe(false);
    const old = join(dir, 'old-report.xml');
    writeFileSync(old, 'the last report');
    expect(cli(['apply-feed', file, '--db', db, '--report', old]).status).toBe(2);
    expect(readFileSync(old, 'utf8')).toBe('the last report');
    // A feed that applies replaces the old report whole.
    writeFileSync(file, flat([[orders[0]!, '11']]));
    expect(cli(['apply-feed', file, '--db', db, '--report', old]).status).toBe(0);
    expect(
      new XMLParser().parse(readFileSync(old, 'utf8')).AmazonEnvelope.Message.ProcessingReport.ProcessingSummary
        .MessagesProcessed,
    ).toBe(1);
  });

  it('should say exactly which messages were applied when the store fails part way, write their report, exit 3, and apply the rest once when run again', () => {
    const file = join(dir, 'stops.txt');
    writeFileSync(
      file,
      flat([
        [orders[0]!, '11'],
        [orders[1]!, '29'],
        [orders[2]!, '31'],
        [orders[0]!, '12'],
      ]),
    );
    // The database refuses the third message's write, as a full disk or a failed constraint would.
    const sql = new Database(db);
    sql.exec(
      `CREATE TRIGGER refuse AFTER INSERT ON order_history WHEN NEW.order_id = '${orders[2]}' BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END`,
    );
    sql.close();
    const report = join(dir, 'stops.xml');
    const result = cli(['apply-feed', file, '--db', db, '--at', '2026-12-01T12:00:00+08:00', '--report', report]);
    expect(result.status).toBe(3);
    expect(oneLine(result.stderr)).toBe(true);
    expect(result.stderr).toBe(
      `error: feed file ${JSON.stringify(file)}: Feed stopped at message 3 (MessageID "3", line 5): database or disk is full. Messages 1 to 2 were processed: 1 applied, and the 1 the report lists not (1 with an error, 0 with a warning); message 3 and those after it were not applied. Applying the same feed again applies each message once.\n`,
    );
    expect(result.stdout).toContain('processed 2, successful 1, with error 1, with warning 0');
    expect(result.stdout).toMatch(/message 2 {2}Error 90110 UNKNOWN_ITEM/);
    expect(
      new XMLParser().parse(readFileSync(report, 'utf8')).AmazonEnvelope.Message.ProcessingReport.ProcessingSummary
        .MessagesProcessed,
    ).toBe(2);
    expect(cancelled()).toEqual([[orders[0], 1]]);
    const sqlAgain = new Database(db);
    sqlAgain.exec('DROP TRIGGER refuse');
    sqlAgain.close();
    const again = cli(['apply-feed', file, '--db', db, '--at', '2026-12-01T12:10:00+08:00', '--json']);
    expect(again.status).toBe(1);
    expect(
      JSON.parse(again.stdout).results.map((r: { messageId: number; code: string }) => [r.messageId, r.code]),
    ).toEqual([
      [1, 'ALREADY_APPLIED'],
      [2, 'UNKNOWN_ITEM'],
    ]);
    expect(cancelled()).toEqual([
      [orders[0], 2],
      [orders[2], 1],
    ]);
  });
});
