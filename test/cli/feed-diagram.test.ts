import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderMachine } from '../../machines/order/index.js';
import { statechartMermaid } from '../../src/runtime/graph.js';
import { createOrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { cli, oneLine, sqliteRows } from './support.js';

let dir: string;
let db: string;
const placedAt = '2026-11-26T10:00:00+08:00';
const latestShipDate = '2026-11-28T10:00:00+08:00';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cli-feed-'));
  db = join(dir, 'orders.db');
  // The orders of test/fixtures/amazon/cancel-ack.xml: 1 unshipped, 2 shipped, 3 unshipped.
  const service = await createOrderService({ store: new SqliteStore({ filename: db }) });
  await service.place({
    orderId: '113-1000000-0000001',
    placedAt,
    latestShipDate,
    items: [
      { orderItemId: '40000000000011', quantity: 2 },
      { orderItemId: '40000000000012', quantity: 1 },
    ],
  });
  await service.place({
    orderId: '113-1000000-0000002',
    placedAt,
    latestShipDate,
    items: [{ orderItemId: '40000000000021', quantity: 1 }],
  });
  await service.place({
    orderId: '113-1000000-0000003',
    placedAt,
    latestShipDate,
    items: [
      { orderItemId: '40000000000031', quantity: 2 },
      { orderItemId: '40000000000032', quantity: 1 },
    ],
  });
  await service.apply('113-1000000-0000002', { type: 'seller.confirmShipment', at: '2026-11-26T10:50:00+08:00' });
  await service.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('order-lifecycle apply-feed', () => {
  it("should apply a cancellation feed, print Amazon's summary and results, write the report XML, and exit 1 for the messages with errors", () => {
    const report = join(dir, 'report.xml');
    const run = cli([
      'apply-feed',
      'test/fixtures/amazon/cancel-ack.xml',
      '--db',
      db,
      '--at',
      '2026-11-26T12:00:00+08:00',
      '--report',
      report,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('processed 8, successful 3, with error 5, with warning 1');
    expect(run.stdout).toMatch(/^ {2}message 2 {2}Error 90106 ALREADY_SHIPPED {2}113-1000000-0000002$/m);
    const xml = new XMLParser().parse(readFileSync(report, 'utf8'));
    expect(xml.AmazonEnvelope.Message.ProcessingReport.ProcessingSummary).toEqual({
      MessagesProcessed: 8,
      MessagesSuccessful: 3,
      MessagesWithError: 5,
      MessagesWithWarning: 1,
    });
    // Applied once: the same feed again changes nothing, and its messages come back as warnings or the same errors.
    const again = cli([
      'apply-feed',
      'test/fixtures/amazon/cancel-ack.xml',
      '--db',
      db,
      '--at',
      '2026-11-26T12:30:00+08:00',
      '--json',
      '--lang',
      'zh-CN',
    ]);
    const json = JSON.parse(again.stdout);
    expect(json.processingSummary.messagesWithError).toBe(5);
    expect(
      json.results.find((result: { code: string }) => result.code === 'ALREADY_APPLIED').resultDescription,
    ).toMatch(/已应用到订单/);
    const xmlOut = cli([
      'apply-feed',
      'test/fixtures/amazon/cancel-flat.txt',
      '--db',
      db,
      '--at',
      '2026-11-26T12:40:00+08:00',
      '--xml',
    ]);
    expect(xmlOut.stdout).toMatch(/^<\?xml[^]*<ProcessingReport>/);
  });

  it.each([
    [['apply-feed', 'no/such/feed.xml', '--db', 'DB'], /^error: feed file "no\/such\/feed\.xml" does not exist$/],
    [
      ['apply-feed', 'package.json', '--db', 'DB'],
      /^error: feed file "package\.json": \(root\): is neither an Amazon XML feed .*\(got "\{/,
    ],
    [
      ['apply-feed', 'test/fixtures/amazon/cancel-flat.txt', '--db', 'DB', '--feed-id', 'a b'],
      /^error: --feed-id feedId: must not contain colons or spaces/,
    ],
    [
      ['apply-feed', 'test/fixtures/amazon/cancel-flat.txt', '--db', 'DB', '--at', 'noon'],
      /^error: --at must be an ISO-8601 date-time .*\(got "noon"\)$/,
    ],
    [
      ['apply-feed', 'test/fixtures/amazon/cancel-flat.txt', '--db', 'DB', '--report', 'no/such/dir/report.xml'],
      /^error: --report: the folder of "no\/such\/dir\/report\.xml" does not exist$/,
    ],
  ])('should refuse %j in one line with exit status 2 and apply nothing', (args, message) => {
    const before = sqliteRows(db);
    const run = cli(args.map((arg) => (arg === 'DB' ? db : arg)));
    expect(run.status).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr.trimEnd()).toMatch(message);
    expect(sqliteRows(db)).toEqual(before);
  });
});

describe('order-lifecycle diagram', () => {
  it('should print the statechart as Mermaid, generated from the machine', () => {
    const run = cli(['diagram', '--format', 'mermaid']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${statechartMermaid(orderMachine)}\n`);
    expect(run.stdout).toContain('unshipped --> labelGenerated: seller.generateLabel');
  });

  it("should write the statechart as SVG laid out by Graphviz to --output, with the inspector's element ids", () => {
    const file = join(dir, 'chart.svg');
    const run = cli(['diagram', '--format', 'svg', '--output', file]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    const svg = readFileSync(file, 'utf8');
    expect(svg).toMatch(/^<\?xml version="1\.0"[^]*<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toMatch(/id="state(-|&#45;)labelGenerated"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  });

  it('should refuse an unknown format in one line with exit status 2', () => {
    const run = cli(['diagram', '--format', 'png']);
    expect(run.status).toBe(2);
    expect(oneLine(run.stderr)).toBe(true);
    expect(run.stderr).toMatch(/argument 'png' is invalid\. Allowed choices are mermaid, svg\./);
  });
});
