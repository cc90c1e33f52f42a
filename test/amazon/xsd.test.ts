import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { validateXML, type XMLFileInfo } from 'xmllint-wasm';
import {
  AdjustmentReason,
  applyFeed,
  buildAdjustmentFeed,
  buildCancellationFeed,
  processingReportXml,
  type FeedAdjustment,
} from '../../src/amazon/index.js';
import { PriceComponentType } from '../../src/amazon/feeds.js';
import { CancelReason } from '../../src/index.js';
import { MINUTE, placedAt } from '../support/orders.js';
import { fixturesDir, fixtureText, orderService } from './support.js';

/** A schema to validate against: its entry file and the files it includes. */
interface Schema {
  name: string;
  entry: XMLFileInfo;
  includes: XMLFileInfo[];
}

const xsdFile = (dir: string, fileName: string): XMLFileInfo => ({
  fileName,
  contents: readFileSync(resolve(dir, fileName), 'utf8'),
});

/** This project's schema of the feeds it writes and reads (test/fixtures/amazon/xsd/README.md). */
const committed: Schema = {
  name: 'test/fixtures/amazon/xsd/amazon-feeds.xsd',
  entry: xsdFile(resolve(fixturesDir, 'xsd'), 'amazon-feeds.xsd'),
  includes: [],
};

/**
 * Amazon's own schemas (the public MWS copy the README names), when a folder holds amzn-envelope.xsd and the files
 * it includes: AMAZON_FEED_XSD_DIR, or shared/amazon-feed-xsd beside the repository. They are not committed here.
 */
const amazonDir = process.env['AMAZON_FEED_XSD_DIR'] ?? resolve(import.meta.dirname, '../../../shared/amazon-feed-xsd');
const amazon: Schema | null = existsSync(resolve(amazonDir, 'amzn-envelope.xsd'))
  ? {
      name: `${amazonDir}/amzn-envelope.xsd`,
      entry: xsdFile(amazonDir, 'amzn-envelope.xsd'),
      includes: readdirSync(amazonDir)
        .filter((file) => file.endsWith('.xsd') && file !== 'amzn-envelope.xsd')
        .map((file) => xsdFile(amazonDir, file)),
    }
  : null;
if (!amazon) {
  console.warn(
    `[xsd tests] no amzn-envelope.xsd in ${amazonDir}: validating against ${committed.name} only (set AMAZON_FEED_XSD_DIR to add Amazon's copy).`,
  );
}

/** Validates named documents in one run of xmllint; the schema's complaints per document, with their line numbers. */
async function complaints(schema: Schema, documents: Record<string, string>): Promise<Record<string, string[]>> {
  const names = Object.keys(documents);
  const result = await validateXML({
    xml: names.map((name) => ({ fileName: `${name}.xml`, contents: documents[name]! })),
    schema: schema.entry,
    preload: schema.includes,
  });
  const found: Record<string, string[]> = Object.fromEntries(names.map((name) => [name, []]));
  for (const error of result.errors) {
    // xmllint closes each invalid document with "<file> fails to validate", which adds nothing.
    if (/^\S+\.xml fails to validate$/.test(error.rawMessage.trim())) continue;
    const name = error.loc?.fileName.replace(/\.xml$/, '');
    if (name === undefined || !(name in found)) throw new Error(`xmllint: ${error.rawMessage}`);
    found[name]!.push(
      `line ${error.loc!.lineNumber}: ${error.message.replace(/^\s*Schemas validity error\s*:\s*/, '').trim()}`,
    );
  }
  return found;
}

const O1 = '113-1000000-0000001';
const O2 = '113-1000000-0000002';
const O3 = '113-1000000-0000003';

/** Everything the writers produce: each reason, price component and currency, and reports of every fixture. */
async function written(): Promise<Record<string, string>> {
  const acknowledgementReasons = CancelReason.options.filter(
    (reason) => !['CannotVerifyInformation', 'PricingError', 'RejectOrder', 'WeatherDelay'].includes(reason),
  );
  const acknowledgement = buildCancellationFeed(
    acknowledgementReasons.map((reason, index) => ({
      orderId: `113-${String(index).padStart(7, '0')}-0000001`,
      reason,
      items: [
        { orderItemId: `4000000000${String(index).padStart(2, '0')}11`, quantity: 2 },
        { orderItemId: `4000000000${String(index).padStart(2, '0')}12` },
      ],
    })),
    { format: 'xml', merchantIdentifier: 'A&B <1>' },
  );
  const adjustable = CancelReason.options.filter(
    (reason) => !['MerchandiseNotReceived', 'CannotVerifyInformation', 'RejectOrder', 'WeatherDelay'].includes(reason),
  );
  // Every price component type the package writes, each checked against the XSD.
  const types = PriceComponentType.options;
  const currencies = ['USD', 'GBP', 'EUR', 'JPY', 'CAD', 'CNY', 'INR'] as const;
  const adjustments: FeedAdjustment[] = adjustable.map((reason, index) => ({
    orderId: `113-${String(index).padStart(7, '0')}-0000002`,
    reason,
    items: [
      {
        orderItemId: `4000000000${String(index).padStart(2, '0')}21`,
        quantity: index + 1,
        priceAdjustments: types.map((type, n) => ({
          type,
          amount: n % 2 ? `-${n}.5` : `${n}`,
          currency: currencies[n % currencies.length]!,
        })),
      },
      {
        orderItemId: `4000000000${String(index).padStart(2, '0')}22`,
        quantity: 1,
        priceAdjustments: [{ type: 'Principal', amount: '123456789012345678.99', currency: 'USD' }],
      },
    ],
  }));
  const service = await orderService();
  const latestShipDate = placedAt + 2 * 24 * 60 * MINUTE;
  for (const orderId of [O1, O2, O3]) {
    await service.place(
      { orderId, placedAt, latestShipDate, items: [{ orderItemId: `${orderId.slice(-7)}0000011`, quantity: 2 }] },
      { idempotencyKey: orderId },
    );
  }
  const at = placedAt + 120 * MINUTE;
  const reports: Record<string, string> = {};
  for (const [name, file] of [
    ['report-ack', 'cancel-ack.xml'],
    ['report-whole-order', 'cancel-ack-whole-order.xml'],
    ['report-adjustment', 'adjustment.xml'],
    ['report-flat', 'cancel-flat.txt'],
  ] as const) {
    reports[name] = processingReportXml(await applyFeed(service, fixtureText(file), { at, lang: 'zh-CN' }));
  }
  const odd = await applyFeed(
    service,
    buildCancellationFeed([{ orderId: 'O-unknown', reason: 'NoInventory', items: [{ orderItemId: 'I1' }] }], {
      format: 'flat-file',
    }),
    { at },
  );
  return {
    acknowledgement,
    adjustment: buildAdjustmentFeed(adjustments, { merchantIdentifier: 'M'.repeat(50) }),
    ...reports,
    'report-odd-order-id': processingReportXml(odd, {
      merchantIdentifier: 'A3TH9S8BH6GOGM',
      documentTransactionId: '50014018510',
    }),
  };
}

/** What this package wrote before it followed the XSD, the three faults issue 19 reported, one document each. */
const before = {
  'item-with-quantity': buildCancellationFeed(
    [{ orderId: O1, reason: 'NoInventory', items: [{ orderItemId: '40000000000011' }] }],
    { format: 'xml' },
  ).replace('</CancelReason>', '</CancelReason><Quantity>1</Quantity>'),
  'newer-reason': buildCancellationFeed(
    [{ orderId: O1, reason: 'NoInventory', items: [{ orderItemId: '40000000000011' }] }],
    { format: 'xml' },
  ).replace('>NoInventory<', '>WeatherDelay<'),
  'transaction-id-zero': processingReportXml({
    processingSummary: { messagesProcessed: 0, messagesSuccessful: 0, messagesWithError: 0, messagesWithWarning: 0 },
    results: [],
  }).replace('<DocumentTransactionID>1<', '<DocumentTransactionID>0<'),
};

describe.each([committed, ...(amazon ? [amazon] : [])])('the feed XML against $name', (schema) => {
  let writes: Record<string, string>;
  beforeAll(async () => {
    writes = await written();
  });

  it('should find nothing to complain of in any acknowledgement, adjustment or processing report the package writes', async () => {
    expect(Object.keys(writes)).toHaveLength(7);
    expect(await complaints(schema, writes)).toEqual(Object.fromEntries(Object.keys(writes).map((name) => [name, []])));
  }, 60_000);

  it('should accept the adjustment and whole-order fixtures, and find in cancel-ack.xml only the two mistakes it is made to hold', async () => {
    const found = await complaints(schema, {
      adjustment: fixtureText('adjustment.xml'),
      whole: fixtureText('cancel-ack-whole-order.xml'),
      ack: fixtureText('cancel-ack.xml'),
    });
    expect(found['adjustment']).toEqual([]);
    expect(found['whole']).toEqual([]);
    // Message 3's CancelReason OutOfStock and message 7's Quantity "two": applyFeed reports both as INVALID_ROW.
    expect(found['ack']).toHaveLength(2);
    expect(found['ack']![0]).toMatch(/^line 41: Element 'CancelReason': .*'OutOfStock' is not an element of the set/);
    expect(found['ack']![1]).toMatch(/^line 86: Element 'Quantity': This element is not expected\.$/);
  }, 60_000);

  it('should reject what the package wrote before: an item Quantity, a newer CancelReason, DocumentTransactionID 0', async () => {
    const found = await complaints(schema, before);
    expect(found['item-with-quantity']).toEqual([
      expect.stringMatching(/Element 'Quantity': This element is not expected/),
    ]);
    expect(found['newer-reason']).toEqual([
      expect.stringMatching(/Element 'CancelReason': .*'WeatherDelay' is not an element of the set/),
    ]);
    expect(found['transaction-id-zero']).toEqual([
      expect.stringMatching(/Element 'DocumentTransactionID': '0' is not a valid value/),
    ]);
  }, 60_000);
});

describe('the committed schema', () => {
  it('should list the AdjustmentReason values that the package accepts, and no others', () => {
    const listed = [
      ...committed.entry.contents
        .toString()
        .matchAll(/<xs:simpleType name="AdjustmentReason">([\s\S]*?)<\/xs:simpleType>/g),
    ][0]![1]!;
    expect([...listed.matchAll(/value="(\w+)"/g)].map((match) => match[1])).toEqual(AdjustmentReason.options);
  });
});
