import { parse as parseTsv } from 'csv-parse/sync';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import {
  buildAdjustmentFeed,
  buildCancellationFeed,
  parseFeed,
  type FeedCancellation,
} from '../../src/amazon/index.js';
import { InvalidInputError } from '../../src/index.js';
import { fixtureText } from './support.js';

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false });

const O1 = '113-1000000-0000001';
const I11 = '40000000000011';

const cancellations: FeedCancellation[] = [
  {
    orderId: '113-1000000-0000001',
    reason: 'NoInventory',
    items: [
      { orderItemId: '40000000000011', quantity: 2 },
      { orderItemId: '40000000000012', quantity: 1 },
    ],
  },
  { orderId: '113-1000000-0000003', reason: 'BuyerCanceled', items: [{ orderItemId: '40000000000031', quantity: 1 }] },
];

function thrown(call: () => unknown): InvalidInputError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error('expected an InvalidInputError');
}

describe('buildCancellationFeed', () => {
  it('should write POST_ORDER_ACKNOWLEDGEMENT_DATA: StatusCode Failure, and per item the code and reason, without a Quantity', () => {
    const text = buildCancellationFeed(cancellations, { format: 'xml', merchantIdentifier: 'A3TH9S8BH6GOGM' });
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml.parse(text).AmazonEnvelope).toEqual({
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:noNamespaceSchemaLocation': 'amzn-envelope.xsd',
      Header: { DocumentVersion: '1.01', MerchantIdentifier: 'A3TH9S8BH6GOGM' },
      MessageType: 'OrderAcknowledgement',
      Message: [
        {
          MessageID: '1',
          OrderAcknowledgement: {
            AmazonOrderID: '113-1000000-0000001',
            StatusCode: 'Failure',
            Item: [
              { AmazonOrderItemCode: '40000000000011', CancelReason: 'NoInventory' },
              { AmazonOrderItemCode: '40000000000012', CancelReason: 'NoInventory' },
            ],
          },
        },
        {
          MessageID: '2',
          OrderAcknowledgement: {
            AmazonOrderID: '113-1000000-0000003',
            StatusCode: 'Failure',
            Item: { AmazonOrderItemCode: '40000000000031', CancelReason: 'BuyerCanceled' },
          },
        },
      ],
    });
  });

  it('should write the OrderCancellation flat file, one tab-separated row per item', () => {
    const text = buildCancellationFeed(cancellations, { format: 'flat-file' });
    expect(parseTsv(text, { delimiter: '\t', relax_column_count: true })).toEqual([
      ['TemplateType=OrderCancellation', 'Version=1.0'],
      ['order-id', 'cancellation-reason-code', 'amazon-order-item-code'],
      ['113-1000000-0000001', 'NoInventory', '40000000000011'],
      ['113-1000000-0000001', 'NoInventory', '40000000000012'],
      ['113-1000000-0000003', 'BuyerCanceled', '40000000000031'],
    ]);
  });

  it('should read back what it writes, in both formats', () => {
    expect(parseFeed(buildCancellationFeed(cancellations, { format: 'xml' }))).toEqual({
      kind: 'POST_ORDER_ACKNOWLEDGEMENT_DATA',
      rows: [
        {
          messageId: '1',
          orderId: '113-1000000-0000001',
          statusCode: 'Failure',
          items: [
            { orderItemId: '40000000000011', reason: 'NoInventory' },
            { orderItemId: '40000000000012', reason: 'NoInventory' },
          ],
        },
        {
          messageId: '2',
          orderId: '113-1000000-0000003',
          statusCode: 'Failure',
          items: [{ orderItemId: '40000000000031', reason: 'BuyerCanceled' }],
        },
      ],
    });
    expect(parseFeed(buildCancellationFeed(cancellations, { format: 'flat-file' }))).toEqual({
      kind: 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA',
      rows: [
        {
          messageId: '1',
          orderId: '113-1000000-0000001',
          items: [{ orderItemId: '40000000000011', reason: 'NoInventory' }],
        },
        {
          messageId: '2',
          orderId: '113-1000000-0000001',
          items: [{ orderItemId: '40000000000012', reason: 'NoInventory' }],
        },
        {
          messageId: '3',
          orderId: '113-1000000-0000003',
          items: [{ orderItemId: '40000000000031', reason: 'BuyerCanceled' }],
        },
      ],
    });
  });

  it('should escape XML special characters through the XML library', () => {
    const text = buildCancellationFeed(cancellations, { format: 'xml', merchantIdentifier: 'A&B<1>' });
    expect(text).toContain('<MerchantIdentifier>A&amp;B&lt;1&gt;</MerchantIdentifier>');
    expect(xml.parse(text).AmazonEnvelope.Header.MerchantIdentifier).toBe('A&B<1>');
    const flat = buildCancellationFeed(
      [{ orderId: 'A&B<1>', reason: 'NoInventory', items: [{ orderItemId: '"x"' }] }],
      { format: 'flat-file' },
    );
    expect(parseFeed(flat).rows[0]).toMatchObject({ orderId: 'A&B<1>', items: [{ orderItemId: '"x"' }] });
  });

  it.each(['CannotVerifyInformation', 'PricingError', 'RejectOrder', 'WeatherDelay'] as const)(
    'should refuse %s in the XML, whose CancelReason list lacks it, and point to the flat file',
    (reason) => {
      const error = thrown(() => buildCancellationFeed([{ ...cancellations[0]!, reason }], { format: 'xml' }));
      expect(error.issues[0]!.path).toBe('0.reason');
      expect(error.message).toContain(`${reason} is not a CancelReason of the OrderAcknowledgement XSD`);
      expect(error.message).toContain("format: 'flat-file'");
      expect(
        parseFeed(buildCancellationFeed([{ ...cancellations[0]!, reason }], { format: 'flat-file' })).rows[0]!.items[0]!
          .reason,
      ).toBe(reason);
    },
  );

  it.each([
    [{ ...cancellations[0]!, orderId: '113-1000000' }, '0.orderId', 'must be an Amazon order id', '"113-1000000"'],
    [
      { ...cancellations[0]!, orderId: 'A&B-1234567-1234567' },
      '0.orderId',
      'must be an Amazon order id',
      '"A&B-1234567-1234567"',
    ],
    [
      { ...cancellations[0]!, items: [{ orderItemId: '4000000000001' }] },
      '0.items.0.orderItemId',
      '14 digits',
      '"4000000000001"',
    ],
    [{ ...cancellations[0]!, items: [{ orderItemId: 'F1' }] }, '0.items.0.orderItemId', '14 digits', '"F1"'],
  ])('should refuse in the XML an id its XSD would reject (%#), naming it', (cancellation, path, words, value) => {
    const error = thrown(() => buildCancellationFeed([cancellation], { format: 'xml' }));
    expect(error.issues[0]!.path).toBe(path);
    expect(error.message).toContain(words);
    expect(error.message).toContain(value);
  });

  it('should refuse a merchant identifier longer than the XSD allows', () => {
    const error = thrown(() =>
      buildCancellationFeed(cancellations, { format: 'xml', merchantIdentifier: 'M'.repeat(51) }),
    );
    expect(error.issues[0]!.path).toBe('merchantIdentifier');
  });

  it.each([
    [[{ ...cancellations[0]!, reason: 'OutOfStock' }], '0.reason', 'OutOfStock'],
    [[{ ...cancellations[0]!, items: [] }], '0.items', '[]'],
    [[{ ...cancellations[0]!, items: [{ orderItemId: 'a\tb', quantity: 1 }] }], '0.items.0.orderItemId', 'a\\tb'],
    [[{ ...cancellations[0]!, items: [{ orderItemId: '40000000000011', quantity: 0 }] }], '0.items.0.quantity', '0'],
    [
      [{ ...cancellations[0]!, items: [{ orderItemId: '40000000000011' }, { orderItemId: '40000000000011' }] }],
      '0.items.1.orderItemId',
      'listed twice',
    ],
    [[], '(root)', '[]'],
  ])('should refuse a malformed cancellation (%#), naming the field and the value', (input, path, value) => {
    const error = thrown(() => buildCancellationFeed(input as FeedCancellation[], { format: 'xml' }));
    expect(error.issues[0]!.path).toBe(path);
    expect(error.message).toContain(value);
  });

  it('should refuse an unknown format', () => {
    expect(thrown(() => buildCancellationFeed(cancellations, { format: 'csv' as 'xml' })).issues[0]!.path).toBe(
      'format',
    );
  });
});

describe('buildAdjustmentFeed', () => {
  it('should write POST_PAYMENT_ADJUSTMENT_DATA with the AdjustmentReason, price components and QuantityCancelled', () => {
    const text = buildAdjustmentFeed(
      [
        {
          orderId: '113-1000000-0000001',
          reason: 'BuyerCanceled',
          items: [
            {
              orderItemId: '40000000000011',
              quantity: 1,
              priceAdjustments: [{ type: 'Principal', amount: '12.99', currency: 'USD' }],
            },
          ],
        },
      ],
      { merchantIdentifier: 'A3TH9S8BH6GOGM' },
    );
    expect(xml.parse(text).AmazonEnvelope.Message).toEqual({
      MessageID: '1',
      OrderAdjustment: {
        AmazonOrderID: '113-1000000-0000001',
        AdjustedItem: {
          AmazonOrderItemCode: '40000000000011',
          AdjustmentReason: 'CustomerCancel',
          ItemPriceAdjustments: { Component: { Type: 'Principal', Amount: { '#text': '12.99', '@_currency': 'USD' } } },
          QuantityCancelled: '1',
        },
      },
    });
    expect(parseFeed(text)).toEqual({
      kind: 'POST_PAYMENT_ADJUSTMENT_DATA',
      rows: [
        {
          messageId: '1',
          orderId: '113-1000000-0000001',
          items: [{ orderItemId: '40000000000011', reason: 'CustomerCancel', quantity: '1' }],
        },
      ],
    });
  });

  it('should refuse a cancel reason that has no AdjustmentReason, pointing to the acknowledgement feed', () => {
    const error = thrown(() =>
      buildAdjustmentFeed([{ orderId: O1, reason: 'WeatherDelay', items: [{ orderItemId: I11, quantity: 1 }] }]),
    );
    expect(error.issues[0]!.path).toBe('0.reason');
    expect(error.message).toContain('buildCancellationFeed');
    expect(error.message).not.toContain('Quantity');
  });

  it('should refuse a malformed amount, naming it', () => {
    const error = thrown(() =>
      buildAdjustmentFeed([
        {
          orderId: O1,
          reason: 'NoInventory',
          items: [
            {
              orderItemId: I11,
              quantity: 1,
              priceAdjustments: [{ type: 'Principal', amount: '12,99', currency: 'USD' }],
            },
          ],
        },
      ]),
    );
    expect(error.issues[0]!.path).toBe('0.items.0.priceAdjustments.0.amount');
    expect(error.message).toContain('"12,99"');
  });

  it('should refuse a currency the OrderAdjustment XSD does not list, naming it', () => {
    const error = thrown(() =>
      buildAdjustmentFeed([
        {
          orderId: O1,
          reason: 'NoInventory',
          items: [
            {
              orderItemId: I11,
              quantity: 1,
              priceAdjustments: [{ type: 'Principal', amount: '12.99', currency: 'AUD' as 'USD' }],
            },
          ],
        },
      ]),
    );
    expect(error.issues[0]!.path).toBe('0.items.0.priceAdjustments.0.currency');
    expect(error.message).toContain('USD, GBP, EUR, JPY, CAD, CNY or INR');
    expect(error.message).toContain('"AUD"');
  });

  it('should refuse ids the XSD would reject, naming them', () => {
    const error = thrown(() =>
      buildAdjustmentFeed([{ orderId: 'o', reason: 'NoInventory', items: [{ orderItemId: 'a', quantity: 1 }] }]),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['0.orderId', '0.items.0.orderItemId']);
    expect(error.message).toContain('"o"');
    expect(error.message).toContain('"a"');
  });
});

describe('parseFeed', () => {
  it('should read a hand-written acknowledgement feed, comments and all', () => {
    const { kind, rows } = parseFeed(fixtureText('cancel-ack.xml'));
    expect(kind).toBe('POST_ORDER_ACKNOWLEDGEMENT_DATA');
    expect(rows.map((row) => row.messageId)).toEqual(['1', '2', '3', '4', '5', '6', '7', '1']);
    expect(rows[4]).toEqual({
      messageId: '5',
      orderId: '113-1000000-0000003',
      statusCode: 'Failure',
      items: [{ orderItemId: '40000000000031', reason: 'BuyerCanceled' }],
    });
    expect(rows[5]).toEqual({ messageId: '6', orderId: '113-1000000-0000002', statusCode: 'Success', items: [] });
  });

  it('should read an acknowledgement with StatusCode Failure and no Item as a message without items (the whole order)', () => {
    const { kind, rows } = parseFeed(fixtureText('cancel-ack-whole-order.xml'));
    expect(kind).toBe('POST_ORDER_ACKNOWLEDGEMENT_DATA');
    expect(rows).toEqual([{ messageId: '1', orderId: '113-1000000-0000001', statusCode: 'Failure', items: [] }]);
  });

  it('should still read the Quantity of acknowledgement items that this package wrote before it followed the XSD', () => {
    const legacy = buildCancellationFeed([cancellations[1]!], { format: 'xml' }).replace(
      '</CancelReason>',
      '</CancelReason>\n<Quantity>1</Quantity>',
    );
    expect(parseFeed(legacy).rows[0]!.items).toEqual([
      { orderItemId: '40000000000031', reason: 'BuyerCanceled', quantity: '1' },
    ]);
  });

  it('should read the flat file by column name, a row without an item code standing for the whole order', () => {
    const { kind, rows } = parseFeed(fixtureText('cancel-flat.txt'));
    expect(kind).toBe('POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA');
    expect(rows).toEqual([
      {
        messageId: '1',
        orderId: '113-1000000-0000001',
        items: [{ orderItemId: '40000000000012', reason: 'NoInventory' }],
      },
      {
        messageId: '2',
        orderId: '113-1000000-0000001',
        items: [{ orderItemId: '40000000000099', reason: 'BuyerCanceled' }],
      },
      { messageId: '3', orderId: '113-1000000-0000002', items: [{ orderItemId: '40000000000021', reason: '' }] },
      { messageId: '4', orderId: '113-1000000-0000003', items: [], reason: 'CustomerExchange' },
    ]);
    const reordered =
      'TemplateType=OrderCancellation\tVersion=1.0\r\namazon-order-item-code\torder-id\tcancellation-reason-code\r\nI1\tO1\tNoInventory\r\n';
    expect(parseFeed(`\uFEFF${reordered}`).rows).toEqual([
      { messageId: '1', orderId: 'O1', items: [{ orderItemId: 'I1', reason: 'NoInventory' }] },
    ]);
  });

  it.each([
    [
      '<AmazonEnvelope><MessageType>OrderAcknowledgement</MessageType><Message></AmazonEnvelope>',
      'line 1',
      'not well-formed XML',
    ],
    ['<Feed><Message/></Feed>', 'AmazonEnvelope', 'is missing'],
    ['<AmazonEnvelope><MessageType>Inventory</MessageType></AmazonEnvelope>', 'MessageType', '"Inventory"'],
    ['TemplateType=PriceInventory\tVersion=1.0\n', 'TemplateType', '"TemplateType=PriceInventory"'],
    [
      'TemplateType=OrderCancellation\tVersion=1.0\norder-id\tamazon-order-item-code\n',
      'cancellation-reason-code',
      'column is missing',
    ],
    ['order-id,reason\n1,NoInventory\n', '(root)', 'neither'],
  ])('should refuse a document that is not a cancellation feed (%#)', (text, path, words) => {
    const error = thrown(() => parseFeed(text));
    expect(error.issues[0]!.path).toBe(path);
    expect(error.message).toContain(words);
  });
});
