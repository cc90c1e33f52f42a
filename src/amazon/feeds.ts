import { parse as parseTsv } from 'csv-parse/sync';
import { stringify as stringifyTsv } from 'csv-stringify/sync';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { CancelReason } from '../index.js';
import { invalid, parseAmazon } from './parse.js';

/** The feed types this module writes and reads, by their SP-API `feedType` names. */
export const FeedKind = z.enum(['POST_ORDER_ACKNOWLEDGEMENT_DATA', 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA', 'POST_PAYMENT_ADJUSTMENT_DATA']);
export type FeedKind = z.infer<typeof FeedKind>;

/**
 * A value that fits in one cell of a tab-separated file and one XML text node, and reads back the same:
 * no tabs, line breaks or other control characters, no lone surrogates, no surrounding spaces.
 */
const Cell = z
  .string()
  .min(1)
  .max(200)
  .refine((value) => ![...value].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f), {
    message: 'must not contain tabs, line breaks or other control characters',
  })
  .regex(/^\S(.*\S)?$/su, { message: 'must not start or end with a space' })
  .refine((value) => !/\p{Cs}/u.test(value), { message: 'must not contain a lone surrogate' });

/**
 * `AmazonOrderID` as Amazon's feed XSD admits it (pattern `\w{3}-\w{7}-\w{7}`), in letters and digits:
 * `113-1234567-1234567`.
 */
export const AMAZON_ORDER_ID = /^[A-Za-z0-9]{3}-[A-Za-z0-9]{7}-[A-Za-z0-9]{7}$/;
/** `AmazonOrderItemCode` as Amazon's feed XSD admits it: 14 digits. */
const AMAZON_ORDER_ITEM_CODE = /^\d{14}$/;

const AmazonOrderId = Cell.regex(AMAZON_ORDER_ID, { message: 'must be an Amazon order id such as 113-1234567-1234567 (AmazonOrderID in the feed XSD)' });
const AmazonOrderItemCode = Cell.regex(AMAZON_ORDER_ITEM_CODE, { message: 'must be an Amazon order item code of 14 digits (AmazonOrderItemCode in the feed XSD)' });

/**
 * `MerchantIdentifier` of the envelope: at most 50 characters (the XSD's `String` type), none of them a control
 * character.
 */
export const MerchantIdentifier = Cell.max(50);

/** An item to cancel whole; `quantity`, when given, is what remains of it (neither format carries it). */
const FeedItem = z.strictObject({ orderItemId: Cell, quantity: z.number().int().positive().optional() });

function uniqueItems(items: ReadonlyArray<{ orderItemId: string }>, ctx: z.RefinementCtx): void {
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.orderItemId)) {
      ctx.addIssue({ code: 'custom', path: ['items', index, 'orderItemId'], message: `orderItemId "${item.orderItemId}" is listed twice` });
    }
    seen.add(item.orderItemId);
  });
}

/**
 * One seller cancellation of whole items to send to Amazon: the order, the reason, and the items. Amazon cancels
 * each item whole (what remains of it): neither the acknowledgement feed nor the flat file carries a quantity, so
 * an item's optional `quantity` is not sent. Cancel part of an item with `buildAdjustmentFeed`.
 * @example
 * const cancellation: FeedCancellation = { orderId: '113-1234567-1234567', reason: 'NoInventory',
 *   items: [{ orderItemId: '12345678901234' }] };
 */
export const FeedCancellation = z
  .strictObject({ orderId: Cell, reason: CancelReason, items: z.array(FeedItem).min(1) })
  .superRefine((value, ctx) => uniqueItems(value.items, ctx));
export type FeedCancellation = z.infer<typeof FeedCancellation>;

/** The four newer cancel reasons, which the OrderAcknowledgement XSD's `CancelReason` list does not have. */
const NEWER_CANCEL_REASONS: readonly CancelReason[] = ['CannotVerifyInformation', 'PricingError', 'RejectOrder', 'WeatherDelay'];
/** The `CancelReason` values of the OrderAcknowledgement XSD: the core's reasons but the four newer ones. */
const ACKNOWLEDGEMENT_CANCEL_REASONS: ReadonlySet<CancelReason> = new Set(CancelReason.options.filter((reason) => !NEWER_CANCEL_REASONS.includes(reason)));

/** A cancellation as the acknowledgement XML can carry it: Amazon's id formats and the XSD's CancelReason list. */
const XmlCancellation = z
  .strictObject({
    orderId: AmazonOrderId,
    reason: CancelReason.refine((reason) => ACKNOWLEDGEMENT_CANCEL_REASONS.has(reason), {
      error: (issue) =>
        `${String(issue.input)} is not a CancelReason of the OrderAcknowledgement XSD: send it in the flat file (format: 'flat-file') or choose another reason`,
    }),
    items: z.array(z.strictObject({ orderItemId: AmazonOrderItemCode, quantity: FeedItem.shape.quantity })).min(1),
  })
  .superRefine((value, ctx) => uniqueItems(value.items, ctx));

/** Amazon's `AdjustmentReason` values (OrderAdjustment XSD). */
export const AdjustmentReason = z.enum([
  'NoInventory',
  'CustomerReturn',
  'GeneralAdjustment',
  'CouldNotShip',
  'DifferentItem',
  'Abandoned',
  'CustomerCancel',
  'PriceError',
  'ProductOutofStock',
  'CustomerAddressIncorrect',
  'Exchange',
  'Other',
  'CarrierCreditDecision',
  'RiskAssessmentInformationNotValid',
  'CarrierCoverageFailure',
  'TransactionRecord',
  'Undeliverable',
  'RefusedDelivery',
]);
export type AdjustmentReason = z.infer<typeof AdjustmentReason>;

/** The AdjustmentReason written for each cancel reason that has one. */
const adjustmentReasonOf: Partial<Record<CancelReason, AdjustmentReason>> = {
  NoInventory: 'NoInventory',
  ShippingAddressUndeliverable: 'CustomerAddressIncorrect',
  CustomerExchange: 'Exchange',
  BuyerCanceled: 'CustomerCancel',
  GeneralAdjustment: 'GeneralAdjustment',
  CarrierCreditDecision: 'CarrierCreditDecision',
  RiskAssessmentInformationNotValid: 'RiskAssessmentInformationNotValid',
  CarrierCoverageFailure: 'CarrierCoverageFailure',
  CustomerReturn: 'CustomerReturn',
  PricingError: 'PriceError',
};

/** The cancel reason an AdjustmentReason stands for, when it is a reason to cancel at all. */
export const cancelReasonOfAdjustment: Partial<Record<AdjustmentReason, CancelReason>> = {
  NoInventory: 'NoInventory',
  ProductOutofStock: 'NoInventory',
  CustomerAddressIncorrect: 'ShippingAddressUndeliverable',
  Undeliverable: 'ShippingAddressUndeliverable',
  Exchange: 'CustomerExchange',
  CustomerCancel: 'BuyerCanceled',
  GeneralAdjustment: 'GeneralAdjustment',
  CarrierCreditDecision: 'CarrierCreditDecision',
  RiskAssessmentInformationNotValid: 'RiskAssessmentInformationNotValid',
  CarrierCoverageFailure: 'CarrierCoverageFailure',
  CustomerReturn: 'CustomerReturn',
  PriceError: 'PricingError',
};

/** Amazon's price component types of an adjusted item (`ItemPriceAdjustments/Component/Type`). */
export const PriceComponentType = z.enum([
  'Principal',
  'Shipping',
  'Tax',
  'ShippingTax',
  'RestockingFee',
  'RestockingFeeTax',
  'GiftWrap',
  'GiftWrapTax',
  'Surcharge',
  'ReturnShipping',
  'Goodwill',
  'ExportCharge',
  'COD',
  'CODTax',
  'Other',
  'FreeReplacementReturnShipping',
]);

/** The currencies an adjustment amount may name: the OrderAdjustment XSD's `BaseCurrencyCode` list. */
const AdjustmentCurrency = z.enum(['USD', 'GBP', 'EUR', 'JPY', 'CAD', 'CNY', 'INR'], {
  error: 'must be a currency of the OrderAdjustment XSD: USD, GBP, EUR, JPY, CAD, CNY or INR',
});

/**
 * A partial cancellation as a payment adjustment: quantities cancelled per item, and optionally the
 * amounts refunded per item as `ItemPriceAdjustments` components.
 * @example
 * const adjustment: FeedAdjustment = { orderId: '113-1234567-1234567', reason: 'NoInventory',
 *   items: [{ orderItemId: '12345678901234', quantity: 1,
 *     priceAdjustments: [{ type: 'Principal', amount: '19.99', currency: 'USD' }] }] };
 */
export const FeedAdjustment = z
  .strictObject({
    orderId: AmazonOrderId,
    reason: CancelReason,
    items: z
      .array(
        z.strictObject({
          orderItemId: AmazonOrderItemCode,
          quantity: z.number().int().positive(),
          priceAdjustments: z
            .array(
              z.strictObject({
                type: PriceComponentType,
                amount: z.string().regex(/^-?\d{1,18}(\.\d{1,2})?$/, { message: 'must be a decimal amount such as 19.99' }),
                currency: AdjustmentCurrency,
              }),
            )
            .min(1)
            .optional(),
        }),
      )
      .min(1),
  })
  .superRefine((value, ctx) => {
    uniqueItems(value.items, ctx);
    if (!adjustmentReasonOf[value.reason]) {
      ctx.addIssue({
        code: 'custom',
        path: ['reason'],
        message: `${value.reason} has no AdjustmentReason in POST_PAYMENT_ADJUSTMENT_DATA: cancel whole items with buildCancellationFeed, or choose a reason that has one`,
      });
    }
  });
export type FeedAdjustment = z.infer<typeof FeedAdjustment>;

const FeedOptions = z.strictObject({
  format: z.enum(['xml', 'flat-file']),
  merchantIdentifier: MerchantIdentifier.optional(),
});
const AdjustmentOptions = z.strictObject({ merchantIdentifier: MerchantIdentifier.optional() });

/** The envelope header; SP-API takes the seller from the authorisation, but the schema requires the element. */
const DEFAULT_MERCHANT = 'MERCHANT';

const builder = new XMLBuilder({ format: true, indentBy: '  ', ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: true });

/** An Amazon feed envelope around `messages` of `messageType`, as XML text. */
export function envelope(messageType: string, merchantIdentifier: string, messages: unknown[], documentVersion = '1.01'): string {
  return builder.build({
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    AmazonEnvelope: {
      '@_xmlns:xsi': 'http://www.w3.org/2001/XMLSchema-instance',
      '@_xsi:noNamespaceSchemaLocation': 'amzn-envelope.xsd',
      Header: { DocumentVersion: documentVersion, MerchantIdentifier: merchantIdentifier },
      MessageType: messageType,
      Message: messages,
    },
  });
}

/** The flat file's first two lines: the template marker and the column names. */
const FLAT_FILE_TEMPLATE = ['TemplateType=OrderCancellation', 'Version=1.0'];
const FLAT_FILE_COLUMNS = ['order-id', 'cancellation-reason-code', 'amazon-order-item-code'] as const;

/**
 * Seller cancellations of whole items as an order acknowledgement feed: `POST_ORDER_ACKNOWLEDGEMENT_DATA` XML
 * (one message per cancellation, `StatusCode` Failure, per item `AmazonOrderItemCode` and `CancelReason`, as
 * Amazon's XSD has it) or the flat file `POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA`
 * (TemplateType=OrderCancellation, one row per item). Neither carries a quantity: Amazon cancels what remains of
 * each item, so send part of an item with `buildAdjustmentFeed`. The XML takes Amazon's order id and item code
 * formats and the XSD's ten CancelReason values; CannotVerifyInformation, PricingError, RejectOrder and
 * WeatherDelay go in the flat file only. Throws InvalidInputError naming the field and the value otherwise.
 * @example
 * const xml = buildCancellationFeed([{ orderId: '113-1234567-1234567', reason: 'NoInventory',
 *   items: [{ orderItemId: '12345678901234' }] }], { format: 'xml', merchantIdentifier: 'A1B2C3' });
 */
export function buildCancellationFeed(cancellations: readonly FeedCancellation[], options: { format: 'xml' | 'flat-file'; merchantIdentifier?: string }): string {
  const opts = parseAmazon(FeedOptions, options, 'feed options');
  const list = parseAmazon(z.array(opts.format === 'xml' ? XmlCancellation : FeedCancellation).min(1), cancellations, 'cancellation');
  if (opts.format === 'flat-file') {
    const rows = list.flatMap((cancellation) => cancellation.items.map((item) => [cancellation.orderId, cancellation.reason, item.orderItemId]));
    return stringifyTsv([FLAT_FILE_TEMPLATE, [...FLAT_FILE_COLUMNS], ...rows], { delimiter: '\t', quote: false, record_delimiter: '\n' });
  }
  return envelope(
    'OrderAcknowledgement',
    opts.merchantIdentifier ?? DEFAULT_MERCHANT,
    list.map((cancellation, index) => ({
      MessageID: index + 1,
      OrderAcknowledgement: {
        AmazonOrderID: cancellation.orderId,
        StatusCode: 'Failure',
        Item: cancellation.items.map((item) => ({ AmazonOrderItemCode: item.orderItemId, CancelReason: cancellation.reason })),
      },
    })),
  );
}

/**
 * Partial cancellations as a `POST_PAYMENT_ADJUSTMENT_DATA` feed: one OrderAdjustment message per order,
 * an `AdjustedItem` per item with its `AdjustmentReason`, any `ItemPriceAdjustments`, and `QuantityCancelled`
 * (the units cancelled, which the acknowledgement feed cannot carry). Throws InvalidInputError naming the field
 * and the value when an adjustment does not fit Amazon's XSD (ids, reason, amount, currency).
 * @example
 * const xml = buildAdjustmentFeed([{ orderId: '113-1234567-1234567', reason: 'NoInventory',
 *   items: [{ orderItemId: '12345678901234', quantity: 1 }] }]);
 */
export function buildAdjustmentFeed(adjustments: readonly FeedAdjustment[], options: { merchantIdentifier?: string } = {}): string {
  const opts = parseAmazon(AdjustmentOptions, options, 'feed options');
  const list = parseAmazon(z.array(FeedAdjustment).min(1), adjustments, 'adjustment');
  return envelope(
    'OrderAdjustment',
    opts.merchantIdentifier ?? DEFAULT_MERCHANT,
    list.map((adjustment, index) => ({
      MessageID: index + 1,
      OrderAdjustment: {
        AmazonOrderID: adjustment.orderId,
        AdjustedItem: adjustment.items.map((item) => ({
          AmazonOrderItemCode: item.orderItemId,
          AdjustmentReason: adjustmentReasonOf[adjustment.reason],
          ...(item.priceAdjustments
            ? {
                ItemPriceAdjustments: {
                  Component: item.priceAdjustments.map((component) => ({
                    Type: component.type,
                    Amount: { '#text': component.amount, '@_currency': component.currency },
                  })),
                },
              }
            : {}),
          QuantityCancelled: item.quantity,
        })),
      },
    })),
  );
}

/** One item of a feed row, as written in the file (applyFeed validates it). */
export interface FeedRowItem {
  orderItemId: string;
  /** `CancelReason`, `AdjustmentReason` or `cancellation-reason-code`. */
  reason: string;
  /**
   * `QuantityCancelled`, or the `Quantity` of an acknowledgement item that this package wrote before it followed
   * the XSD (read, never written); absent when the file has none.
   */
  quantity?: string;
}

/** One message of a feed (a data row of a flat file), as written in the file. */
export interface FeedRow {
  /** `MessageID`, or the data row number (1 = the first row after the column names) of a flat file. */
  messageId: string;
  orderId: string;
  /** `StatusCode` of an order acknowledgement message. */
  statusCode?: string;
  /**
   * The items; none in a flat-file row without `amazon-order-item-code` or an acknowledgement without `Item`
   * (both cancel the whole order).
   */
  items: FeedRowItem[];
  /** The `cancellation-reason-code` of a flat-file row that names no item (it cancels the whole order). */
  reason?: string;
}

/** A parsed feed: its type and its messages in file order. */
export interface ParsedFeed {
  kind: FeedKind;
  rows: FeedRow[];
}

const ARRAYS = new Set([
  'AmazonEnvelope.Message',
  'AmazonEnvelope.Message.OrderAcknowledgement.Item',
  'AmazonEnvelope.Message.OrderAdjustment.AdjustedItem',
]);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, path) => ARRAYS.has(String(path)),
});

const text = (value: unknown): string => (typeof value === 'string' ? value : value === undefined || value === null ? '' : typeof value === 'object' ? String((value as Record<string, unknown>)['#text'] ?? '') : String(value));
const record = (value: unknown): Record<string, unknown> => (value && typeof value === 'object' ? (value as Record<string, unknown>) : {});
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

const SUBJECT = 'feed';

function parseXmlFeed(source: string): ParsedFeed {
  const valid = XMLValidator.validate(source);
  if (valid !== true) {
    throw invalid(SUBJECT, `line ${valid.err.line}`, `is not well-formed XML: ${valid.err.msg}`);
  }
  const root = record(parser.parse(source))['AmazonEnvelope'];
  if (root === undefined) throw invalid(SUBJECT, 'AmazonEnvelope', 'is missing: an Amazon XML feed starts with <AmazonEnvelope>');
  const envelopeNode = record(root);
  const messageType = text(envelopeNode['MessageType']);
  const messages = list(envelopeNode['Message']).map(record);
  if (messageType === 'OrderAcknowledgement') {
    return {
      kind: 'POST_ORDER_ACKNOWLEDGEMENT_DATA',
      rows: messages.map((message) => {
        const ack = record(message['OrderAcknowledgement']);
        return {
          messageId: text(message['MessageID']),
          orderId: text(ack['AmazonOrderID']),
          statusCode: text(ack['StatusCode']),
          items: list(ack['Item']).map(record).map((item) => ({
            orderItemId: text(item['AmazonOrderItemCode']),
            reason: text(item['CancelReason']),
            ...(item['Quantity'] === undefined ? {} : { quantity: text(item['Quantity']) }),
          })),
        };
      }),
    };
  }
  if (messageType === 'OrderAdjustment') {
    return {
      kind: 'POST_PAYMENT_ADJUSTMENT_DATA',
      rows: messages.map((message) => {
        const adjustment = record(message['OrderAdjustment']);
        return {
          messageId: text(message['MessageID']),
          orderId: text(adjustment['AmazonOrderID']),
          items: list(adjustment['AdjustedItem']).map(record).map((item) => ({
            orderItemId: text(item['AmazonOrderItemCode']),
            reason: text(item['AdjustmentReason']),
            ...(item['QuantityCancelled'] === undefined ? {} : { quantity: text(item['QuantityCancelled']) }),
          })),
        };
      }),
    };
  }
  throw invalid(SUBJECT, 'MessageType', 'must be OrderAcknowledgement or OrderAdjustment', messageType || undefined);
}

function parseFlatFile(source: string): ParsedFeed {
  const lines: string[][] = parseTsv(source, { delimiter: '\t', quote: false, relax_column_count: true, skip_empty_lines: true, bom: true, trim: true });
  const template = lines[0] ?? [];
  if (template[0] !== 'TemplateType=OrderCancellation') {
    throw invalid(SUBJECT, 'TemplateType', 'must be OrderCancellation (POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA)', template[0]);
  }
  const header = lines[1] ?? [];
  const column = Object.fromEntries(
    FLAT_FILE_COLUMNS.map((name) => {
      const index = header.indexOf(name);
      if (index < 0) throw invalid(SUBJECT, name, 'column is missing from the second line of the flat file', header.join('\t'));
      return [name, index];
    }),
  ) as Record<(typeof FLAT_FILE_COLUMNS)[number], number>;
  return {
    kind: 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA',
    rows: lines.slice(2).map((cells, index) => {
      const cell = (name: (typeof FLAT_FILE_COLUMNS)[number]) => cells[column[name]] ?? '';
      const reason = cell('cancellation-reason-code');
      const orderItemId = cell('amazon-order-item-code');
      return {
        messageId: String(index + 1),
        orderId: cell('order-id'),
        items: orderItemId ? [{ orderItemId, reason }] : [],
        ...(orderItemId ? {} : { reason }),
      };
    }),
  };
}

/**
 * Reads a cancellation feed this module writes: `POST_ORDER_ACKNOWLEDGEMENT_DATA` or
 * `POST_PAYMENT_ADJUSTMENT_DATA` XML (with an XML parser) or the OrderCancellation flat file (with a TSV
 * parser). Rows keep the values as written; `applyFeed` validates them. Throws InvalidInputError when the
 * document as a whole is not one of these feeds.
 * @example
 * const { kind, rows } = parseFeed(readFileSync('cancel.txt', 'utf8'));
 */
export function parseFeed(source: string): ParsedFeed {
  if (typeof source !== 'string') throw invalid(SUBJECT, '(root)', 'expected the feed as text', source);
  const start = source.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('<')) return parseXmlFeed(source);
  if (start.startsWith('TemplateType=')) return parseFlatFile(source);
  throw invalid(SUBJECT, '(root)', 'is neither an Amazon XML feed (<AmazonEnvelope>) nor an OrderCancellation flat file (TemplateType=OrderCancellation)', start.slice(0, 40));
}
