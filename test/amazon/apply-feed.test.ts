import { XMLParser } from 'fast-xml-parser';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  applyFeed,
  buildAdjustmentFeed,
  buildCancellationFeed,
  processingReportXml,
  type ProcessingReport,
} from '../../src/amazon/index.js';
import { FeedStoppedError } from '../../src/amazon/apply-feed.js';
import { InvalidInputError, type OrderInput } from '../../src/index.js';
import { MINUTE, placedAt } from '../support/orders.js';
import { fixtureText, orderService, type TestService } from './support.js';

const O1 = '113-1000000-0000001';
const O2 = '113-1000000-0000002';
const O3 = '113-1000000-0000003';
const at = placedAt + 120 * MINUTE;
const latestShipDate = placedAt + 2 * 24 * 60 * MINUTE;

const inputs: OrderInput[] = [
  {
    orderId: O1,
    placedAt,
    latestShipDate,
    items: [
      { orderItemId: '40000000000011', quantity: 2 },
      { orderItemId: '40000000000012', quantity: 1 },
    ],
  },
  { orderId: O2, placedAt, latestShipDate, items: [{ orderItemId: '40000000000021', quantity: 1 }] },
  {
    orderId: O3,
    placedAt,
    latestShipDate,
    items: [
      { orderItemId: '40000000000031', quantity: 2 },
      { orderItemId: '40000000000032', quantity: 1 },
    ],
  },
];

/** O1 and O3 unshipped (O3 with the buyer's official request for item 31), O2 shipped. */
async function setUp(): Promise<TestService> {
  const service = await orderService();
  for (const input of inputs) await service.place(input, { idempotencyKey: `place-${input.orderId}` });
  const step = (orderId: string, event: object, key: string) => service.apply(orderId, event, { idempotencyKey: key });
  await step(O1, { type: 'clock.tick', at: placedAt + 31 * MINUTE }, 'o1-tick');
  await step(O2, { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE }, 'o2-label');
  await step(O2, { type: 'seller.confirmShipment', at: placedAt + 50 * MINUTE }, 'o2-ship');
  await step(
    O3,
    {
      type: 'buyer.requestCancellation',
      at: placedAt + 45 * MINUTE,
      source: 'order-flag',
      orderItemIds: ['40000000000031'],
    },
    'o3-request',
  );
  return service;
}

async function state(service: TestService) {
  const orders = await Promise.all([O1, O2, O3].map((id) => service.get(id)));
  return orders.map((order) => ({
    status: order!.status,
    version: order!.version,
    canceled: order!.snapshot.context.items.map((item) => item.quantityCanceled),
    cancellations: order!.snapshot.context.cancellations.map((c) => ({
      by: c.by,
      reason: c.reason,
      items: c.items,
      countsAgainstRate: c.countsAgainstRate,
    })),
  }));
}

describe('applyFeed with POST_ORDER_ACKNOWLEDGEMENT_DATA', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await setUp();
  });

  it('should apply the good messages, report each bad one in Amazon shape, and leave the bad ones without effect', async () => {
    const before = await state(service);
    const report = await applyFeed(service, fixtureText('cancel-ack.xml'), { at });
    // Messages 1 and 5 cancel; 6 only acknowledges; 2, 3, 4, 7 and the second MessageID 1 are errors.
    expect(report.processingSummary).toEqual({
      messagesProcessed: 8,
      messagesSuccessful: 3,
      messagesWithError: 5,
      messagesWithWarning: 1,
    });
    expect(
      report.results.map(({ messageId, resultCode, resultMessageCode, code }) => ({
        messageId,
        resultCode,
        resultMessageCode,
        code,
      })),
    ).toEqual([
      { messageId: 2, resultCode: 'Error', resultMessageCode: 90106, code: 'ALREADY_SHIPPED' },
      { messageId: 3, resultCode: 'Error', resultMessageCode: 90001, code: 'INVALID_ROW' },
      { messageId: 4, resultCode: 'Error', resultMessageCode: 90003, code: 'ORDER_NOT_FOUND' },
      { messageId: 6, resultCode: 'Warning', resultMessageCode: 90005, code: 'NOTHING_TO_CANCEL' },
      { messageId: 7, resultCode: 'Error', resultMessageCode: 90001, code: 'INVALID_ROW' },
      { messageId: 1, resultCode: 'Error', resultMessageCode: 90002, code: 'DUPLICATE_MESSAGE_ID' },
    ]);
    const byMessage = (id: number) => report.results.find((result) => result.messageId === id)!;
    expect(byMessage(2).resultDescription).toMatch(/^Order 113-1000000-0000002: .*return/);
    expect(byMessage(2).additionalInfo).toEqual({ amazonOrderId: O2 });
    expect(byMessage(3).resultDescription).toBe(
      'Message 3 was not applied: CancelReason must be one of NoInventory, ShippingAddressUndeliverable, CustomerExchange, BuyerCanceled, GeneralAdjustment, CarrierCreditDecision, RiskAssessmentInformationNotValid, CarrierCoverageFailure, CustomerReturn, MerchandiseNotReceived, CannotVerifyInformation, PricingError, RejectOrder, WeatherDelay (got "OutOfStock").',
    );
    expect(byMessage(4).resultDescription).toBe('Message 4 was not applied: order 113-9999999-9999999 is not known.');
    expect(byMessage(7).resultDescription).toBe(
      'Message 7 was not applied: Quantity must be a positive whole number (got "two").',
    );

    const after = await state(service);
    // Message 1 names item 11 without a Quantity (the XSD's Item has none): what remained of it (2).
    expect(after[0]).toMatchObject({ status: 'unshipped', version: before[0]!.version + 1, canceled: [2, 0] });
    expect(after[0]!.cancellations).toEqual([
      {
        by: 'seller',
        reason: 'NoInventory',
        items: [{ orderItemId: '40000000000011', quantity: 2 }],
        countsAgainstRate: true,
      },
    ]);
    expect(after[1]).toEqual(before[1]);
    // Message 5 named no Quantity: what remained of item 31 (2), on the buyer's official request.
    expect(after[2]).toMatchObject({ version: before[2]!.version + 1, canceled: [2, 0] });
    expect(after[2]!.cancellations).toEqual([
      {
        by: 'seller',
        reason: 'BuyerCanceled',
        items: [{ orderItemId: '40000000000031', quantity: 2 }],
        countsAgainstRate: false,
      },
    ]);
  });

  it('should change nothing when the same feed runs again, reporting the applied messages as already applied', async () => {
    const feed = fixtureText('cancel-ack.xml');
    const first = await applyFeed(service, feed, { at });
    const once = await state(service);
    const second = await applyFeed(service, feed, { at: at + 60 * MINUTE });
    expect(await state(service)).toEqual(once);
    expect(second.processingSummary).toEqual({ ...first.processingSummary, messagesWithWarning: 3 });
    const errors = (report: ProcessingReport) => report.results.filter((result) => result.resultCode === 'Error');
    expect(errors(second)).toEqual(errors(first));
    expect(second.results.filter((result) => result.code === 'ALREADY_APPLIED')).toEqual([
      {
        messageId: 1,
        resultCode: 'Warning',
        resultMessageCode: 90006,
        code: 'ALREADY_APPLIED',
        additionalInfo: { amazonOrderId: O1 },
        resultDescription: 'Message 1 was already applied to order 113-1000000-0000001; nothing changed.',
      },
      {
        messageId: 5,
        resultCode: 'Warning',
        resultMessageCode: 90006,
        code: 'ALREADY_APPLIED',
        additionalInfo: { amazonOrderId: O3 },
        resultDescription: 'Message 5 was already applied to order 113-1000000-0000003; nothing changed.',
      },
    ]);
  });

  it('should apply only the corrected message when a fixed file is sent again', async () => {
    const feed = fixtureText('cancel-ack.xml');
    await applyFeed(service, feed, { at });
    const fixed = feed.replace('<Quantity>two</Quantity>', '<Quantity>1</Quantity>');
    const report = await applyFeed(service, fixed, { at: at + MINUTE });
    expect(report.results.map((result) => [result.messageId, result.code])).toEqual([
      [1, 'ALREADY_APPLIED'],
      [2, 'ALREADY_SHIPPED'],
      [3, 'INVALID_ROW'],
      [4, 'ORDER_NOT_FOUND'],
      [5, 'ALREADY_APPLIED'],
      [6, 'NOTHING_TO_CANCEL'],
      [1, 'DUPLICATE_MESSAGE_ID'],
    ]);
    const [o1] = await state(service);
    expect(o1!.canceled).toEqual([2, 1]);
  });

  it('should apply a message whole or not at all', async () => {
    const feed = buildAdjustmentFeed([
      {
        orderId: O1,
        reason: 'NoInventory',
        items: [
          { orderItemId: '40000000000011', quantity: 1 },
          { orderItemId: '40000000000012', quantity: 5 },
        ],
      },
    ]);
    const before = await state(service);
    const report = await applyFeed(service, feed, { at });
    expect(report.results).toMatchObject([
      { messageId: 1, resultCode: 'Error', code: 'QUANTITY_EXCEEDS_REMAINING', resultMessageCode: 90109 },
    ]);
    expect(await state(service)).toEqual(before);
  });

  it('should cancel the whole order for an acknowledgement with StatusCode Failure and no Item, as the flat file does', async () => {
    const report = await applyFeed(service, fixtureText('cancel-ack-whole-order.xml'), { at });
    expect(report).toEqual({
      processingSummary: { messagesProcessed: 1, messagesSuccessful: 1, messagesWithError: 0, messagesWithWarning: 0 },
      results: [],
    });
    const [o1] = await state(service);
    expect(o1).toMatchObject({ status: 'canceled', canceled: [2, 1] });
    // The message gives no reason (CancelReason belongs to an item): GeneralAdjustment, which counts.
    expect(o1!.cancellations).toEqual([
      {
        by: 'seller',
        reason: 'GeneralAdjustment',
        items: [
          { orderItemId: '40000000000011', quantity: 2 },
          { orderItemId: '40000000000012', quantity: 1 },
        ],
        countsAgainstRate: true,
      },
    ]);
    expect(
      (await applyFeed(service, fixtureText('cancel-ack-whole-order.xml'), { at: at + MINUTE })).results.map(
        (result) => result.code,
      ),
    ).toEqual(['ALREADY_APPLIED']);
  });

  it('should cancel a partial quantity from a Quantity of files this package wrote before it followed the XSD', async () => {
    const legacy = buildCancellationFeed(
      [{ orderId: O1, reason: 'NoInventory', items: [{ orderItemId: '40000000000011' }] }],
      { format: 'xml' },
    ).replace('</CancelReason>', '</CancelReason>\n        <Quantity>1</Quantity>');
    await applyFeed(service, legacy, { at });
    expect((await state(service))[0]!.canceled).toEqual([1, 0]);
  });

  it("should report the core's refusal of a Fulfilled-by-Amazon order with its guidance", async () => {
    await service.place(
      {
        orderId: '113-1000000-0000004',
        placedAt,
        latestShipDate: placedAt,
        fulfillmentChannel: 'AFN',
        items: [{ orderItemId: '40000000000041', quantity: 1 }],
      },
      { idempotencyKey: 'afn' },
    );
    const feed = buildCancellationFeed(
      [{ orderId: '113-1000000-0000004', reason: 'NoInventory', items: [{ orderItemId: '40000000000041' }] }],
      { format: 'xml' },
    );
    const report = await applyFeed(service, feed, { at });
    expect(report.results).toMatchObject([
      { messageId: 1, resultCode: 'Error', code: 'FULFILLED_BY_AMAZON', resultMessageCode: 90108 },
    ]);
    expect(report.results[0]!.resultDescription).toMatch(/^Order 113-1000000-0000004: .*Amazon/);
    expect((await service.get('113-1000000-0000004'))!.snapshot.context.cancellations).toEqual([]);
  });

  it('should scope message ids to a feed id, so two feeds with the same MessageID both apply', async () => {
    const feed = buildAdjustmentFeed([
      { orderId: O1, reason: 'NoInventory', items: [{ orderItemId: '40000000000011', quantity: 1 }] },
    ]);
    await applyFeed(service, feed, { at });
    await applyFeed(service, feed, { at });
    expect((await state(service))[0]!.canceled).toEqual([1, 0]);
    await applyFeed(service, feed, { at, feedId: '50014018510' });
    expect((await state(service))[0]!.canceled).toEqual([2, 0]);
  });

  it('should describe results in Chinese when asked', async () => {
    const report = await applyFeed(service, fixtureText('cancel-ack.xml'), { at, lang: 'zh-CN' });
    const byMessage = (id: number) => report.results.find((result) => result.messageId === id)!;
    expect(byMessage(4).resultDescription).toBe('消息 4 未执行：订单 113-9999999-9999999 不存在。');
    expect(byMessage(6).resultDescription).toBe('消息 6 不取消任何商品（StatusCode Success）；未执行任何操作。');
    expect(byMessage(2).resultDescription).toMatch(/^订单 113-1000000-0000002：.*退货/);
    expect(byMessage(3).resultDescription).toMatch(
      /^消息 3 未执行：CancelReason 必须是以下之一：.*（实际为 .*OutOfStock.*）。$/,
    );
    expect(byMessage(7).resultDescription).not.toMatch(/must|got/);
  });

  it('should refuse bad options and unreadable feeds before touching any order', async () => {
    const before = await state(service);
    await expect(applyFeed(service, fixtureText('cancel-ack.xml'), {} as { at: number })).rejects.toThrow(
      /^Invalid applyFeed options: at: /,
    );
    await expect(applyFeed(service, fixtureText('cancel-ack.xml'), { at, lang: 'fr' as 'en' })).rejects.toThrow(
      InvalidInputError,
    );
    await expect(applyFeed(service, '<AmazonEnvelope>', { at })).rejects.toThrow(/not well-formed XML/);
    expect(await state(service)).toEqual(before);
  });

  it('should stop on a failure of the service itself rather than report it as a bad row', async () => {
    const failing: TestService = {
      ...service,
      get: (orderId) => service.get(orderId),
      apply: async () => {
        throw new Error('disk full');
      },
    };
    await expect(applyFeed(failing, fixtureText('cancel-ack.xml'), { at })).rejects.toThrow('disk full');
  });
});

describe('applyFeed with the flat file and the adjustment feed', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await setUp();
  });

  it('should cancel what remains of each named item, or the whole order for a row without an item code', async () => {
    const report = await applyFeed(service, fixtureText('cancel-flat.txt'), { at });
    expect(report.processingSummary).toEqual({
      messagesProcessed: 4,
      messagesSuccessful: 2,
      messagesWithError: 2,
      messagesWithWarning: 0,
    });
    expect(report.results.map(({ messageId, code }) => ({ messageId, code }))).toEqual([
      { messageId: 2, code: 'UNKNOWN_ITEM' },
      { messageId: 3, code: 'INVALID_ROW' },
    ]);
    expect(report.results[1]!.resultDescription).toContain('cancellation-reason-code must be one of');
    const [o1, , o3] = await state(service);
    expect(o1!.canceled).toEqual([0, 1]);
    expect(o3).toMatchObject({ status: 'canceled', canceled: [2, 1] });
    expect(o3!.cancellations).toEqual([
      {
        by: 'seller',
        reason: 'CustomerExchange',
        items: [
          { orderItemId: '40000000000031', quantity: 2 },
          { orderItemId: '40000000000032', quantity: 1 },
        ],
        countsAgainstRate: true,
      },
    ]);
  });

  it('should cancel QuantityCancelled units, warn on refund-only items, and refuse reasons that do not cancel', async () => {
    const report = await applyFeed(service, fixtureText('adjustment.xml'), { at });
    expect(report.processingSummary).toEqual({
      messagesProcessed: 4,
      messagesSuccessful: 2,
      messagesWithError: 2,
      messagesWithWarning: 1,
    });
    expect(report.results.map(({ messageId, resultCode, code }) => ({ messageId, resultCode, code }))).toEqual([
      { messageId: 2, resultCode: 'Error', code: 'INVALID_ROW' },
      { messageId: 3, resultCode: 'Warning', code: 'NOTHING_TO_CANCEL' },
      { messageId: 4, resultCode: 'Error', code: 'MIXED_REASONS' },
    ]);
    expect(report.results[0]!.resultDescription).toBe(
      'Message 2 was not applied: AdjustmentReason is not a reason to cancel items (got "DifferentItem").',
    );
    expect(report.results[2]!.resultDescription).toBe(
      'Message 4 was not applied: its items give different reasons (BuyerCanceled, NoInventory); send one message per reason.',
    );
    const [o1, , o3] = await state(service);
    expect(o1!.canceled).toEqual([1, 0]);
    expect(o3!.canceled).toEqual([0, 0]);
  });

  it('should apply the feeds buildAdjustmentFeed and buildCancellationFeed write', async () => {
    await applyFeed(
      service,
      buildAdjustmentFeed([
        { orderId: O1, reason: 'BuyerCanceled', items: [{ orderItemId: '40000000000011', quantity: 1 }] },
      ]),
      { at },
    );
    await applyFeed(
      service,
      buildCancellationFeed(
        [{ orderId: O3, reason: 'NoInventory', items: [{ orderItemId: '40000000000032', quantity: 1 }] }],
        { format: 'flat-file' },
      ),
      {
        at,
      },
    );
    const [o1, , o3] = await state(service);
    expect(o1!.cancellations).toMatchObject([
      { reason: 'BuyerCanceled', items: [{ orderItemId: '40000000000011', quantity: 1 }], countsAgainstRate: true },
    ]);
    expect(o3!.canceled).toEqual([0, 1]);
  });
});

/** The feed's text as a stream of `size`-byte chunks: boundaries fall inside tags, lines and UTF-8 characters. */
const chunked = (text: string, size: number) =>
  async function* () {
    const bytes = Buffer.from(text, 'utf8');
    for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
  };

/** A stream that never ends: `head`, then `line` again and again. */
const endless = (head: string, line: string) =>
  async function* () {
    yield head;
    for (;;) yield line;
  };

/** A flat file of cancellations, one row per [order id, item id]. */
const flatFile = (rows: Array<[string, string]>, reason = 'NoInventory') =>
  `TemplateType=OrderCancellation\tVersion=1.0\norder-id\tcancellation-reason-code\tamazon-order-item-code\n${rows.map(([order, item]) => `${order}\t${reason}\t${item}\n`).join('')}`;

describe('applyFeed with a feed read as a stream', () => {
  let service: TestService;
  beforeEach(async () => {
    service = await setUp();
  });

  it.each([1, 7, 4096])('should apply a feed read in %i-byte chunks as it applies the same text', async (size) => {
    const other = await setUp();
    const fromText = await applyFeed(other, fixtureText('cancel-ack.xml'), { at });
    const fromStream = await applyFeed(service, chunked(fixtureText('cancel-ack.xml'), size), { at });
    expect(fromStream).toEqual(fromText);
    expect(await state(service)).toEqual(await state(other));
    const flat = await applyFeed(service, chunked(fixtureText('cancel-flat.txt'), size), { at });
    expect(flat.processingSummary.messagesProcessed).toBe(4);
  });

  it('should keep characters that a chunk boundary splits, and name them in the row they belong to', async () => {
    const feed = flatFile([[O1, '40000000000012']], '取消');
    const report = await applyFeed(service, chunked(feed, 1), { at });
    expect(report.results[0]!.resultDescription).toContain('(got "取消")');
  });

  it('should refuse a stream that never ends once it passes maxBytes, having applied nothing', async () => {
    const before = await state(service);
    const row = `${O1}\tNoInventory\t40000000000012\n`;
    const feed = endless(
      'TemplateType=OrderCancellation\tVersion=1.0\norder-id\tcancellation-reason-code\tamazon-order-item-code\n',
      row,
    );
    await expect(applyFeed(service, feed, { at, maxBytes: 100_000 })).rejects.toThrow(
      /^Invalid feed: \(size\): is larger than 100000 bytes/,
    );
    await expect(applyFeed(service, endless('<AmazonEnvelope>', ' '), { at, maxBytes: 100_000 })).rejects.toThrow(
      /larger than 100000 bytes/,
    );
    // Whitespace alone, never a first character: refused too, bounded by the limit.
    await expect(applyFeed(service, endless('', '\n'), { at, maxBytes: 10_000 })).rejects.toThrow(
      /larger than 10000 bytes/,
    );
    expect(await state(service)).toEqual(before);
  });

  it('should refuse a feed held as text that is larger than maxBytes', async () => {
    await expect(applyFeed(service, fixtureText('cancel-ack.xml'), { at, maxBytes: 100 })).rejects.toThrow(
      /is larger than 100 bytes/,
    );
  });

  it('should check the whole streamed feed before applying any message, and apply nothing when its end is malformed', async () => {
    const before = await state(service);
    const good = fixtureText('cancel-ack.xml');
    const lastClose = good.lastIndexOf('</Message>');
    const unclosed = good.slice(0, lastClose) + good.slice(lastClose + '</Message>'.length);
    for (const broken of [
      good.replace('</AmazonEnvelope>', ''),
      good.replace('</AmazonEnvelope>', '</AmazonEnvelope><Extra/>'),
      unclosed,
    ]) {
      await expect(applyFeed(service, chunked(broken, 64), { at })).rejects.toThrow(InvalidInputError);
    }
    await expect(applyFeed(service, chunked(good.replace('</AmazonEnvelope>', ''), 64), { at })).rejects.toThrow(
      /^Invalid feed: line \d+: is not well-formed XML: the document ends before <\/AmazonEnvelope>/,
    );
    const flat = `${fixtureText('cancel-flat.txt')}${'x'.repeat(1024 * 1024 + 1)}\n`;
    await expect(applyFeed(service, chunked(flat, 65_536), { at })).rejects.toThrow(
      /^Invalid feed: line 7: is longer than 1048576 characters/,
    );
    expect(await state(service)).toEqual(before);
  });

  it('should refuse a DOCTYPE, the way to make a small XML document large', async () => {
    const feed = `<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>${fixtureText('cancel-ack.xml').replace(/^<\?xml[^>]*>/, '')}`;
    await expect(applyFeed(service, chunked(feed, 100), { at })).rejects.toThrow(
      /DOCTYPE or declaration is not allowed/,
    );
    await expect(applyFeed(service, feed, { at })).rejects.toThrow(/DOCTYPE or declaration is not allowed/);
  });

  it("should report a row whose ids break the core's bounds as an invalid row naming the field, and apply the others", async () => {
    const feed = flatFile([
      [`${O1}\u0000`, '40000000000012'],
      [O1, `4${'0'.repeat(200)}`],
      [O3, '40000000000032'],
    ]);
    const report = await applyFeed(service, chunked(feed, 50), { at });
    expect(report.results.map(({ messageId, code }) => [messageId, code])).toEqual([
      [1, 'INVALID_ROW'],
      [2, 'INVALID_ROW'],
    ]);
    expect(report.results[0]).not.toHaveProperty('additionalInfo');
    expect(report.results[0]!.resultDescription).toBe(
      'Message 1 was not applied: order-id must not contain control characters: U+0000 at index 19 (got "113-1000000-0000001\\u0000").',
    );
    expect(report.results[1]!.resultDescription).toMatch(
      /^Message 2 was not applied: amazon-order-item-code must be at most 128 characters \(this one has 201\)/,
    );
    expect((await state(service))[2]!.canceled).toEqual([0, 1]);
  });

  it('should stop at a failure of the store part way, saying exactly which messages were applied, and apply the rest once when run again', async () => {
    const feed = flatFile([
      [O1, '40000000000012'],
      [O1, '40000000000099'],
      [O3, '40000000000032'],
      [O1, '40000000000011'],
    ]);
    let calls = 0;
    const failing: TestService = {
      ...service,
      get: (orderId) => service.get(orderId),
      apply: async (orderId, event, options) => {
        if (++calls === 3) throw new Error('disk full');
        return service.apply(orderId, event, options);
      },
    };
    let stopped: FeedStoppedError | undefined;
    try {
      await applyFeed(failing, chunked(feed, 30), { at });
    } catch (error) {
      stopped = error as FeedStoppedError;
    }
    expect(stopped).toBeInstanceOf(FeedStoppedError);
    expect(stopped!.message).toBe(
      'Feed stopped at message 3 (MessageID "3", line 5): disk full. Messages 1 to 2 were processed: 1 applied, and the 1 the report lists not (1 with an error, 0 with a warning); message 3 and those after it were not applied. Applying the same feed again applies each message once.',
    );
    expect(stopped!.processed).toBe(2);
    expect(stopped!.report).toMatchObject({
      processingSummary: { messagesProcessed: 2, messagesSuccessful: 1, messagesWithError: 1 },
      results: [{ messageId: 2, code: 'UNKNOWN_ITEM' }],
    });
    expect((await state(service)).map((order) => order.canceled)).toEqual([[0, 1], [0], [0, 0]]);
    const again = await applyFeed(service, chunked(feed, 30), { at: at + MINUTE });
    expect(again.results.map(({ messageId, code }) => [messageId, code])).toEqual([
      [1, 'ALREADY_APPLIED'],
      [2, 'UNKNOWN_ITEM'],
    ]);
    expect((await state(service)).map((order) => order.canceled)).toEqual([[2, 1], [0], [0, 1]]);
  });

  it('should stop, saying which messages were applied, when the second reading is not the document the first one checked', async () => {
    const good = flatFile([
      [O1, '40000000000012'],
      [O3, '40000000000032'],
    ]);
    let readings = 0;
    // Changed between the check and the application: its second row is now longer than a message may be.
    const source = () =>
      chunked(++readings === 1 ? good : good.replace(`${O3}\t`, `${O3}${'x'.repeat(1024 * 1024)}\t`), 4096)();
    const error = (await applyFeed(service, source, { at }).then(
      () => undefined,
      (caught: unknown) => caught,
    )) as FeedStoppedError;
    expect(error).toBeInstanceOf(FeedStoppedError);
    expect(error.message).toMatch(
      /^Feed stopped after message 1 \(line 3\): Invalid feed: line 4: is longer than 1048576 characters.*Messages 1 to 1 were processed: 1 applied, .*no message after them was applied/,
    );
    expect((await state(service)).map((order) => order.canceled)).toEqual([[0, 1], [0], [0, 0]]);
  });
});

describe('processingReportXml', () => {
  const report: ProcessingReport = {
    processingSummary: { messagesProcessed: 3, messagesSuccessful: 2, messagesWithError: 1, messagesWithWarning: 1 },
    results: [
      {
        messageId: 2,
        resultCode: 'Error',
        resultMessageCode: 90106,
        resultDescription: 'Order 1 & 2: <shipped>',
        code: 'ALREADY_SHIPPED',
        additionalInfo: { amazonOrderId: O2 },
      },
      {
        messageId: 3,
        resultCode: 'Warning',
        resultMessageCode: 90005,
        resultDescription: '消息 3 不取消任何商品',
        code: 'NOTHING_TO_CANCEL',
      },
    ],
  };

  it("should write Amazon's ProcessingReport XML that an XML parser reads back", () => {
    const text = processingReportXml(report, {
      merchantIdentifier: 'A3TH9S8BH6GOGM',
      documentTransactionId: '50014018510',
    });
    const parsed = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Result' }).parse(
      text,
    ).AmazonEnvelope;
    expect(parsed.Header).toEqual({ DocumentVersion: '1.02', MerchantIdentifier: 'A3TH9S8BH6GOGM' });
    expect(parsed.MessageType).toBe('ProcessingReport');
    expect(parsed.Message).toEqual({
      MessageID: '1',
      ProcessingReport: {
        DocumentTransactionID: '50014018510',
        StatusCode: 'Complete',
        ProcessingSummary: {
          MessagesProcessed: '3',
          MessagesSuccessful: '2',
          MessagesWithError: '1',
          MessagesWithWarning: '1',
        },
        Result: [
          {
            MessageID: '2',
            ResultCode: 'Error',
            ResultMessageCode: '90106',
            ResultDescription: 'Order 1 & 2: <shipped>',
            AdditionalInfo: { AmazonOrderID: O2 },
          },
          {
            MessageID: '3',
            ResultCode: 'Warning',
            ResultMessageCode: '90005',
            ResultDescription: '消息 3 不取消任何商品',
          },
        ],
      },
    });
  });

  it('should write the report applyFeed returns', async () => {
    const service = await setUp();
    const result = await applyFeed(service, fixtureText('cancel-ack.xml'), { at });
    const parsed = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Result' }).parse(
      processingReportXml(result),
    ).AmazonEnvelope;
    expect(parsed.Message.ProcessingReport.Result.map((r: { MessageID: string }) => Number(r.MessageID))).toEqual(
      result.results.map((r) => r.messageId),
    );
  });

  it('should write DocumentTransactionID 1 when none is given, and refuse one that is not a positive whole number', () => {
    const parsed = new XMLParser({ parseTagValue: false }).parse(processingReportXml(report)).AmazonEnvelope;
    expect(parsed.Message.ProcessingReport.DocumentTransactionID).toBe('1');
    for (const id of ['0', '007', '-1', '1'.repeat(21)]) {
      expect(() => processingReportXml(report, { documentTransactionId: id }), id).toThrow(
        new RegExp(
          `^Invalid report options: documentTransactionId: must be a positive whole number.*\\(got "${id}"\\)`,
        ),
      );
    }
  });

  it("should leave AdditionalInfo out for an order id not of Amazon's format, which the XSD would reject", () => {
    const odd = { ...report, results: [{ ...report.results[0]!, additionalInfo: { amazonOrderId: 'O-unknown' } }] };
    const parsed = new XMLParser({ parseTagValue: false, isArray: (name) => name === 'Result' }).parse(
      processingReportXml(odd),
    ).AmazonEnvelope;
    expect(parsed.Message.ProcessingReport.Result[0]).toEqual({
      MessageID: '2',
      ResultCode: 'Error',
      ResultMessageCode: '90106',
      ResultDescription: 'Order 1 & 2: <shipped>',
    });
  });

  it('should refuse a report the XSD would reject: ResultMessageCode 0, a control character, a long merchant identifier', () => {
    const zero = { ...report, results: [{ ...report.results[0]!, resultMessageCode: 0 }] };
    expect(() => processingReportXml(zero)).toThrow(
      /^Invalid processing report: results\.0\.resultMessageCode: .*\(got 0\)/,
    );
    const control = { ...report, results: [{ ...report.results[0]!, resultDescription: 'bell \u0007' }] };
    expect(() => processingReportXml(control)).toThrow(
      /^Invalid processing report: results\.0\.resultDescription: must not contain characters XML cannot carry/,
    );
    expect(() => processingReportXml(report, { merchantIdentifier: 'M'.repeat(51) })).toThrow(
      /^Invalid report options: merchantIdentifier: /,
    );
  });

  it('should refuse a malformed report, naming the field', () => {
    const bad = { ...report, processingSummary: { ...report.processingSummary, messagesProcessed: -1 } };
    expect(() => processingReportXml(bad)).toThrow(
      /^Invalid processing report: processingSummary\.messagesProcessed: .*\(got -1\)/,
    );
  });
});
