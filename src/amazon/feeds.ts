import { parse as parseTsv, type Options as TsvOptions } from 'csv-parse/sync';
import { stringify as stringifyTsv } from 'csv-stringify/sync';
import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { CancelReason } from '../domain/index.js';
import { invalid, parseAmazon } from './parse.js';

/** The feed types this module writes and reads, by their SP-API `feedType` names. */
export const FeedKind = z.enum([
  'POST_ORDER_ACKNOWLEDGEMENT_DATA',
  'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA',
  'POST_PAYMENT_ADJUSTMENT_DATA',
]);
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

const AmazonOrderId = Cell.regex(AMAZON_ORDER_ID, {
  message: 'must be an Amazon order id such as 113-1234567-1234567 (AmazonOrderID in the feed XSD)',
});
const AmazonOrderItemCode = Cell.regex(AMAZON_ORDER_ITEM_CODE, {
  message: 'must be an Amazon order item code of 14 digits (AmazonOrderItemCode in the feed XSD)',
});

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
      ctx.addIssue({
        code: 'custom',
        path: ['items', index, 'orderItemId'],
        message: `orderItemId "${item.orderItemId}" is listed twice`,
      });
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
const NEWER_CANCEL_REASONS: readonly CancelReason[] = [
  'CannotVerifyInformation',
  'PricingError',
  'RejectOrder',
  'WeatherDelay',
];
/** The `CancelReason` values of the OrderAcknowledgement XSD: the core's reasons but the four newer ones. */
const ACKNOWLEDGEMENT_CANCEL_REASONS: ReadonlySet<CancelReason> = new Set(
  CancelReason.options.filter((reason) => !NEWER_CANCEL_REASONS.includes(reason)),
);

/** A cancellation as the acknowledgement XML can carry it: Amazon's id formats and the XSD's CancelReason list. */
const XmlCancellation = z
  .strictObject({
    orderId: AmazonOrderId,
    reason: z.enum(CancelReason.options).refine((reason) => ACKNOWLEDGEMENT_CANCEL_REASONS.has(reason), {
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
                amount: z
                  .string()
                  .regex(/^-?\d{1,18}(\.\d{1,2})?$/, { message: 'must be a decimal amount such as 19.99' }),
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

const builder = new XMLBuilder({
  format: true,
  indentBy: '  ',
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  suppressEmptyNode: true,
});

/** An Amazon feed envelope around `messages` of `messageType`, as XML text. */
export function envelope(
  messageType: string,
  merchantIdentifier: string,
  messages: unknown[],
  documentVersion = '1.01',
): string {
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
export function buildCancellationFeed(
  cancellations: readonly FeedCancellation[],
  options: { format: 'xml' | 'flat-file'; merchantIdentifier?: string },
): string {
  const opts = parseAmazon(FeedOptions, options, 'feed options');
  const list = parseAmazon(
    z.array(opts.format === 'xml' ? XmlCancellation : FeedCancellation).min(1),
    cancellations,
    'cancellation',
  );
  if (opts.format === 'flat-file') {
    const rows = list.flatMap((cancellation) =>
      cancellation.items.map((item) => [cancellation.orderId, cancellation.reason, item.orderItemId]),
    );
    return stringifyTsv([FLAT_FILE_TEMPLATE, [...FLAT_FILE_COLUMNS], ...rows], {
      delimiter: '\t',
      quote: false,
      record_delimiter: '\n',
    });
  }
  return envelope(
    'OrderAcknowledgement',
    opts.merchantIdentifier ?? DEFAULT_MERCHANT,
    list.map((cancellation, index) => ({
      MessageID: index + 1,
      OrderAcknowledgement: {
        AmazonOrderID: cancellation.orderId,
        StatusCode: 'Failure',
        Item: cancellation.items.map((item) => ({
          AmazonOrderItemCode: item.orderItemId,
          CancelReason: cancellation.reason,
        })),
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
export function buildAdjustmentFeed(
  adjustments: readonly FeedAdjustment[],
  options: { merchantIdentifier?: string } = {},
): string {
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

/**
 * The most a feed may hold when `applyFeed` reads it as a stream, unless told otherwise: 100 MiB, ten times the
 * 10 MiB Amazon recommends for one feed document (SP-API "Feeds API Best Practices").
 */
export const DEFAULT_FEED_MAX_BYTES = 100 * 1024 * 1024;

/**
 * The longest one message (an XML `Message`, a flat-file line) may be, in characters: what the reader holds in
 * memory at once, whatever the size of the feed.
 */
const MAX_MESSAGE_CHARACTERS = 1024 * 1024;

/** One message of a feed as the reader yields it: the feed's type, the message, and the line it starts on. */
export interface FeedMessage {
  kind: FeedKind;
  row: FeedRow;
  line: number;
}

const MESSAGE_ARRAYS = new Set(['Message.OrderAcknowledgement.Item', 'Message.OrderAdjustment.AdjustedItem']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  trimValues: true,
  isArray: (_name, path) => MESSAGE_ARRAYS.has(String(path)),
});

const text = (value: unknown): string =>
  typeof value === 'string'
    ? value
    : value === undefined || value === null
      ? ''
      : typeof value === 'object'
        ? String((value as Record<string, unknown>)['#text'] ?? '')
        : String(value);
const record = (value: unknown): Record<string, unknown> =>
  value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

const SUBJECT = 'feed';

const notWellFormed = (line: number, why: string) => invalid(SUBJECT, `line ${line}`, `is not well-formed XML: ${why}`);

/** The row of one `Message` of an acknowledgement or adjustment feed. */
function xmlRow(kind: FeedKind, message: Record<string, unknown>): FeedRow {
  if (kind === 'POST_ORDER_ACKNOWLEDGEMENT_DATA') {
    const ack = record(message['OrderAcknowledgement']);
    return {
      messageId: text(message['MessageID']),
      orderId: text(ack['AmazonOrderID']),
      statusCode: text(ack['StatusCode']),
      items: list(ack['Item'])
        .map(record)
        .map((item) => ({
          orderItemId: text(item['AmazonOrderItemCode']),
          reason: text(item['CancelReason']),
          ...(item['Quantity'] === undefined ? {} : { quantity: text(item['Quantity']) }),
        })),
    };
  }
  const adjustment = record(message['OrderAdjustment']);
  return {
    messageId: text(message['MessageID']),
    orderId: text(adjustment['AmazonOrderID']),
    items: list(adjustment['AdjustedItem'])
      .map(record)
      .map((item) => ({
        orderItemId: text(item['AmazonOrderItemCode']),
        reason: text(item['AdjustmentReason']),
        ...(item['QuantityCancelled'] === undefined ? {} : { quantity: text(item['QuantityCancelled']) }),
      })),
  };
}

const NAME = /^[^\s/>]*/;

/** The markup from `from` to just past `terminator`, or -1 when the buffer ends first. */
function after(
  b: string,
  terminator: string,
  from: number,
  kind: 'comment' | 'cdata' | 'pi',
): { end: number; kind: 'comment' | 'cdata' | 'pi'; name: string } | -1 {
  const index = b.indexOf(terminator, from);
  return index < 0 ? -1 : { end: index + terminator.length, kind, name: '' };
}

/**
 * Reads an Amazon XML feed given in pieces, one child of `<AmazonEnvelope>` at a time: it finds where each child
 * (`Header`, `MessageType`, each `Message`) ends, has fast-xml-parser check and parse that child alone, and keeps no
 * more text than the child it is in (at most MAX_MESSAGE_CHARACTERS). A DOCTYPE is refused: feeds have none, and
 * entity declarations are the way to make a small document large.
 */
class XmlFeedSplitter {
  private buffer = '';
  /** Where scanning goes on in `buffer`. */
  private pos = 0;
  /** The line `pos` is on. */
  private line = 1;
  private state: 'prolog' | 'envelope' | 'child' | 'epilog' = 'prolog';
  /** The child being read: where it starts in `buffer`, its line and name, and how deep the scan is inside it. */
  private child = { start: 0, line: 1, name: '', depth: 0 };
  private messageType: string | undefined;
  /** The feed's type, once its `MessageType` has been read. */
  kind: FeedKind | undefined;
  /** Messages checked so far. */
  count = 0;

  /** `rows: false` checks each message without building its row (a first reading that only checks the document). */
  constructor(private readonly rows = true) {}

  /** Reads the next piece of the document; returns the messages it completed. */
  push(piece: string): FeedMessage[] {
    this.buffer += piece;
    const messages = this.scan(false);
    // Only the child being read (or the markup not yet complete) stays in memory.
    const keep = this.state === 'child' ? this.child.start : this.pos;
    if (keep > 0) {
      this.buffer = this.buffer.slice(keep);
      this.pos -= keep;
      this.child.start -= keep;
    }
    const held = this.buffer.length - (this.state === 'child' ? this.child.start : this.pos);
    if (held > MAX_MESSAGE_CHARACTERS) {
      const what = this.state === 'child' ? `<${this.child.name}> starting on line ${this.child.line}` : 'markup';
      throw invalid(
        SUBJECT,
        `line ${this.state === 'child' ? this.child.line : this.line}`,
        `${what} is longer than ${MAX_MESSAGE_CHARACTERS} characters, the most one message may have`,
      );
    }
    return messages;
  }

  /** The end of the document: the messages still held, or an error when it is not complete. */
  end(): FeedMessage[] {
    const messages = this.scan(true);
    if (this.state === 'prolog')
      throw invalid(SUBJECT, 'AmazonEnvelope', 'is missing: an Amazon XML feed starts with <AmazonEnvelope>');
    if (this.state !== 'epilog')
      throw notWellFormed(
        this.line,
        `the document ends before </AmazonEnvelope>${this.state === 'child' ? ` (inside <${this.child.name}> of line ${this.child.line})` : ''}`,
      );
    if (this.kind === undefined)
      throw invalid(
        SUBJECT,
        'MessageType',
        'must be OrderAcknowledgement or OrderAdjustment',
        this.messageType || undefined,
      );
    return messages;
  }

  private advance(to: number): void {
    for (
      let index = this.buffer.indexOf('\n', this.pos);
      index >= 0 && index < to;
      index = this.buffer.indexOf('\n', index + 1)
    )
      this.line++;
    this.pos = to;
  }

  /** The index just past the markup starting at `at` (a `<`), or -1 when the buffer ends first. */
  private markupEnd(
    at: number,
    ended: boolean,
  ): { end: number; kind: 'comment' | 'cdata' | 'pi' | 'close' | 'open' | 'empty'; name: string } | -1 {
    const b = this.buffer;
    if (!ended && b.length - at < 9) return -1;
    if (b.startsWith('<!--', at)) return after(b, '-->', at + 4, 'comment');
    if (b.startsWith('<![CDATA[', at)) return after(b, ']]>', at + 9, 'cdata');
    if (b.startsWith('<?', at)) return after(b, '?>', at + 2, 'pi');
    if (b.startsWith('<!', at))
      throw invalid(
        SUBJECT,
        `line ${this.line}`,
        `${JSON.stringify(b.slice(at, at + 9))}: a DOCTYPE or declaration is not allowed in a feed`,
      );
    // A tag: up to the first `>` outside a quoted attribute value.
    let end = -1;
    for (let index = at + 1; index < b.length; index++) {
      const code = b.charCodeAt(index);
      if (code === 0x3e) {
        end = index + 1;
        break;
      }
      if (code === 0x22 || code === 0x27) {
        index = b.indexOf(code === 0x22 ? '"' : "'", index + 1);
        if (index < 0) return -1;
      }
    }
    if (end < 0) return -1;
    const closing = b.charCodeAt(at + 1) === 0x2f;
    const name = NAME.exec(b.slice(at + (closing ? 2 : 1), end))![0];
    if (!name)
      throw notWellFormed(this.line, `a tag without a name: ${JSON.stringify(b.slice(at, Math.min(end, at + 40)))}`);
    return { end, kind: closing ? 'close' : b.charCodeAt(end - 2) === 0x2f ? 'empty' : 'open', name };
  }

  private scan(ended: boolean): FeedMessage[] {
    const messages: FeedMessage[] = [];
    const b = () => this.buffer;
    for (;;) {
      if (this.state === 'child') {
        const lt = b().indexOf('<', this.pos);
        if (lt < 0) {
          this.pos = b().length;
          return messages;
        }
        this.pos = lt;
        const markup = this.markupEnd(lt, ended);
        if (markup === -1) return messages;
        this.pos = markup.end;
        if (markup.kind === 'open') this.child.depth++;
        if (markup.kind === 'close' && --this.child.depth === 0) {
          const chunk = b().slice(this.child.start, markup.end);
          const message = this.read(chunk);
          // The lines of the child, counted once it is whole.
          for (let index = chunk.indexOf('\n'); index >= 0; index = chunk.indexOf('\n', index + 1)) this.line++;
          this.state = 'envelope';
          if (message) messages.push(message);
        }
        continue;
      }
      // Between elements: whitespace, text the feed does not use, comments and processing instructions.
      const lt = b().indexOf('<', this.pos);
      const stray = b().slice(this.pos, lt < 0 ? undefined : lt);
      if (stray.replace(/^\uFEFF/, '').trim() !== '' && this.state !== 'envelope') {
        throw notWellFormed(
          this.line,
          `text ${this.state === 'prolog' ? 'before the root element' : 'after </AmazonEnvelope>'}: ${JSON.stringify(stray.trim().slice(0, 40))}`,
        );
      }
      if (lt < 0) {
        this.advance(b().length);
        return messages;
      }
      this.advance(lt);
      const markup = this.markupEnd(lt, ended);
      if (markup === -1) {
        if (ended) throw notWellFormed(this.line, `unclosed markup ${JSON.stringify(b().slice(lt, lt + 40))}`);
        return messages;
      }
      if (markup.kind === 'comment' || markup.kind === 'pi') {
        this.advance(markup.end);
        continue;
      }
      if (markup.kind === 'cdata' && this.state === 'envelope') {
        this.advance(markup.end);
        continue;
      }
      const tag = b().slice(lt, markup.end);
      if (this.state === 'prolog') {
        if (markup.kind === 'close' || markup.kind === 'cdata')
          throw notWellFormed(this.line, `${JSON.stringify(tag.slice(0, 40))} before the root element`);
        if (markup.name !== 'AmazonEnvelope')
          throw invalid(
            SUBJECT,
            'AmazonEnvelope',
            'is missing: an Amazon XML feed starts with <AmazonEnvelope>',
            `<${markup.name}>`,
          );
        this.check(markup.kind === 'empty' ? tag : `${tag}</AmazonEnvelope>`, this.line);
        this.advance(markup.end);
        this.state = markup.kind === 'empty' ? 'epilog' : 'envelope';
        continue;
      }
      if (this.state === 'epilog')
        throw notWellFormed(this.line, `${JSON.stringify(tag.slice(0, 40))} after </AmazonEnvelope>`);
      // Inside <AmazonEnvelope>.
      if (markup.kind === 'close') {
        if (markup.name !== 'AmazonEnvelope')
          throw notWellFormed(this.line, `</${markup.name}> closes <AmazonEnvelope>`);
        this.advance(markup.end);
        this.state = 'epilog';
        continue;
      }
      this.child = { start: lt, line: this.line, name: markup.name, depth: 1 };
      if (markup.kind === 'empty') {
        const message = this.read(tag);
        this.advance(markup.end);
        if (message) messages.push(message);
        continue;
      }
      this.pos = markup.end;
      this.state = 'child';
    }
  }

  /** Checks a child's text with fast-xml-parser, reporting errors at the document's line. */
  private check(xml: string, line: number): void {
    const valid = XMLValidator.validate(xml);
    if (valid !== true) throw notWellFormed(line + valid.err.line - 1, valid.err.msg);
  }

  /** One child of the envelope: a message becomes a row, `MessageType` sets the feed's kind, the rest is skipped. */
  private read(chunk: string): FeedMessage | undefined {
    const { line, name } = this.child;
    this.check(chunk, line);
    if (name === 'MessageType') {
      this.messageType = text(record(parser.parse(chunk))['MessageType']);
      if (this.messageType === 'OrderAcknowledgement') this.kind = 'POST_ORDER_ACKNOWLEDGEMENT_DATA';
      else if (this.messageType === 'OrderAdjustment') this.kind = 'POST_PAYMENT_ADJUSTMENT_DATA';
      else
        throw invalid(
          SUBJECT,
          'MessageType',
          'must be OrderAcknowledgement or OrderAdjustment',
          this.messageType || undefined,
        );
      return undefined;
    }
    if (name !== 'Message') return undefined;
    if (this.kind === undefined)
      throw invalid(
        SUBJECT,
        'MessageType',
        `must come before the first Message (line ${line})`,
        this.messageType || undefined,
      );
    this.count++;
    if (!this.rows) return undefined;
    return { kind: this.kind, row: xmlRow(this.kind, record(record(parser.parse(chunk))['Message'])), line };
  }
}

const TSV_OPTIONS: TsvOptions = {
  delimiter: '\t',
  quote: false,
  relax_column_count: true,
  skip_empty_lines: true,
  bom: true,
  trim: true,
};

/**
 * Turns the lines of a flat file into messages: the template line first (given on its own), then the column names
 * and the data rows with the line each is on.
 */
class FlatFileRows {
  private seen = 0;
  private column: Record<(typeof FLAT_FILE_COLUMNS)[number], number> | undefined;

  constructor(template: string[]) {
    if (template[0] !== 'TemplateType=OrderCancellation') {
      throw invalid(
        SUBJECT,
        'TemplateType',
        'must be OrderCancellation (POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA)',
        template[0],
      );
    }
  }

  add(cells: string[], line: number): FeedMessage | undefined {
    const index = this.seen++;
    if (index === 0) {
      this.column = Object.fromEntries(
        FLAT_FILE_COLUMNS.map((name) => {
          const at = cells.indexOf(name);
          if (at < 0)
            throw invalid(SUBJECT, name, 'column is missing from the second line of the flat file', cells.join('\t'));
          return [name, at];
        }),
      ) as Record<(typeof FLAT_FILE_COLUMNS)[number], number>;
      return undefined;
    }
    const column = this.column!;
    const cell = (name: (typeof FLAT_FILE_COLUMNS)[number]) => cells[column[name]] ?? '';
    const reason = cell('cancellation-reason-code');
    const orderItemId = cell('amazon-order-item-code');
    return {
      kind: 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA',
      line,
      row: {
        messageId: String(index),
        orderId: cell('order-id'),
        items: orderItemId ? [{ orderItemId, reason }] : [],
        ...(orderItemId ? {} : { reason }),
      },
    };
  }

  end(): void {
    // A template line and no column names: the column check names the first one.
    if (this.seen === 0)
      throw invalid(SUBJECT, FLAT_FILE_COLUMNS[0], 'column is missing from the second line of the flat file', '');
  }
}

/**
 * Reads an OrderCancellation flat file given in pieces, a batch of whole lines at a time through csv-parse: the file
 * is tab-separated without quotes, so a line is a record and a batch ends at its last line break. It holds no more
 * than one batch and the line after it (at most MAX_MESSAGE_CHARACTERS). The template line is parsed on its own,
 * so that csv-parse expects the column names' count of fields, not the template's (a count that differs costs it
 * an error object per row).
 */
class FlatFileReader {
  private buffer = '';
  /** The line `buffer` starts on. */
  private line = 1;
  private rows: FlatFileRows | undefined;

  push(piece: string): FeedMessage[] {
    this.buffer += piece;
    const last = this.buffer.lastIndexOf('\n');
    let messages: FeedMessage[] = [];
    if (last >= 0) {
      const complete = this.buffer.slice(0, last + 1);
      this.buffer = this.buffer.slice(last + 1);
      messages = this.lines(complete);
    }
    if (this.buffer.length > MAX_MESSAGE_CHARACTERS)
      throw invalid(
        SUBJECT,
        `line ${this.line}`,
        `is longer than ${MAX_MESSAGE_CHARACTERS} characters, the most one message may have`,
      );
    return messages;
  }

  end(): FeedMessage[] {
    const messages = this.buffer ? this.lines(this.buffer) : [];
    this.buffer = '';
    if (!this.rows)
      throw invalid(
        SUBJECT,
        'TemplateType',
        'must be OrderCancellation (POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA)',
        undefined,
      );
    this.rows.end();
    return messages;
  }

  private lines(text: string): FeedMessage[] {
    const first = this.line;
    for (
      let start = 0, index = text.indexOf('\n');
      start < text.length;
      start = index + 1, index = text.indexOf('\n', start)
    ) {
      if ((index < 0 ? text.length : index) - start > MAX_MESSAGE_CHARACTERS) {
        throw invalid(
          SUBJECT,
          `line ${this.line}`,
          `is longer than ${MAX_MESSAGE_CHARACTERS} characters, the most one message may have`,
        );
      }
      if (index < 0) break;
      this.line++;
    }
    let from = 1;
    if (!this.rows) {
      const begin = text.length - text.replace(/^[\uFEFF\s]+/, '').length;
      if (begin === text.length) return [];
      const lineStart = text.lastIndexOf('\n', begin - 1) + 1;
      const lineEnd = text.indexOf('\n', begin);
      from = text.slice(0, lineStart).split('\n').length + 1;
      this.rows = new FlatFileRows(
        (parseTsv(text.slice(lineStart, lineEnd < 0 ? undefined : lineEnd), TSV_OPTIONS) as string[][])[0] ?? [],
      );
    }
    const records = parseTsv(text, { ...TSV_OPTIONS, info: true, from_line: from }) as unknown as Array<{
      record: string[];
      info: { lines: number };
    }>;
    const rows = this.rows;
    return records.flatMap(({ record: cells, info }) => rows.add(cells, first + info.lines - 1) ?? []);
  }
}

/** Which format a feed is in, from its first characters (a BOM and whitespace skipped); undefined: not known yet. */
function formatOf(start: string, ended: boolean): 'xml' | 'flat' | undefined {
  const begin = start.replace(/^\uFEFF/, '').trimStart();
  if (begin.startsWith('<')) return 'xml';
  if (begin.startsWith('TemplateType=')) return 'flat';
  if (!ended && 'TemplateType='.startsWith(begin)) return undefined;
  throw invalid(
    SUBJECT,
    '(root)',
    'is neither an Amazon XML feed (<AmazonEnvelope>) nor an OrderCancellation flat file (TemplateType=OrderCancellation)',
    begin.slice(0, 40),
  );
}

/** A whole feed's messages, read from its text at once. */
function messagesOf(source: string): { kind: FeedKind; messages: FeedMessage[] } {
  if (typeof source !== 'string') throw invalid(SUBJECT, '(root)', 'expected the feed as text', source);
  if (formatOf(source, true) === 'xml') {
    const splitter = new XmlFeedSplitter();
    const messages = [...splitter.push(source), ...splitter.end()];
    return { kind: splitter.kind!, messages };
  }
  const reader = new FlatFileReader();
  const messages = [...reader.push(source), ...reader.end()];
  return { kind: 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA', messages };
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
  const { kind, messages } = messagesOf(source);
  return { kind, rows: messages.map((message) => message.row) };
}

/**
 * Checks a feed held as text against a byte limit, then reads all its messages, each with the line it starts on.
 * @example
 * const messages = readFeedText(readFileSync('cancel.txt', 'utf8'), 10 * 1024 * 1024);
 */
export function readFeedText(source: string, maxBytes = DEFAULT_FEED_MAX_BYTES): FeedMessage[] {
  if (typeof source === 'string' && Buffer.byteLength(source) > maxBytes) throw tooLarge(maxBytes);
  return messagesOf(source).messages;
}

function tooLarge(maxBytes: number) {
  return invalid(
    SUBJECT,
    '(size)',
    `is larger than ${maxBytes} bytes, the most this reads (maxBytes; --max-bytes on the command line)`,
  );
}

/** The text of a stream of chunks, decoded as UTF-8, refused once it passes `maxBytes`. */
async function* decoded(chunks: AsyncIterable<string | Uint8Array>, maxBytes: number): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    if (bytes > maxBytes) throw tooLarge(maxBytes);
    const piece = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (piece) yield piece;
  }
  const tail = decoder.decode();
  if (tail) yield tail;
}

/**
 * Reads a feed from a stream of chunks (a file's read stream), one message at a time, holding no more than one
 * message in memory: XML one `<AmazonEnvelope>` child at a time, the flat file a batch of lines at a time. Refuses
 * with InvalidInputError a feed larger than `maxBytes` (default 100 MiB) as soon as it passes it, a message longer
 * than 1 MiB, and a document that is not one of the feeds, naming the line.
 * @example
 * for await (const { row, line } of readFeed(createReadStream('cancel.xml'))) console.log(line, row.orderId);
 */
export function readFeed(
  chunks: AsyncIterable<string | Uint8Array>,
  options: { maxBytes?: number } = {},
): AsyncGenerator<FeedMessage> {
  return messagesFrom(chunks, options.maxBytes ?? DEFAULT_FEED_MAX_BYTES, { rows: true, count: 0 });
}

/**
 * Reads a whole feed from a stream of chunks as `readFeed` does, without building its rows: the document is a feed
 * from start to end, within the limits, or this throws InvalidInputError naming the line. Returns how many messages
 * it has.
 * @example
 * const { messages } = await checkFeed(createReadStream('cancel.xml'));
 */
export async function checkFeed(
  chunks: AsyncIterable<string | Uint8Array>,
  options: { maxBytes?: number } = {},
): Promise<{ messages: number }> {
  const tally = { rows: false, count: 0 };
  for await (const _ of messagesFrom(chunks, options.maxBytes ?? DEFAULT_FEED_MAX_BYTES, tally)) tally.count++;
  return { messages: tally.count };
}

/** The messages of a feed read from chunks; with `tally.rows` false, XML messages are checked and counted in `tally`, not yielded. */
async function* messagesFrom(
  chunks: AsyncIterable<string | Uint8Array>,
  maxBytes: number,
  tally: { rows: boolean; count: number },
): AsyncGenerator<FeedMessage> {
  const pieces = decoded(chunks, maxBytes)[Symbol.asyncIterator]();
  let start = '';
  let format: 'xml' | 'flat' | undefined;
  let done = false;
  try {
    while (format === undefined) {
      const next = await pieces.next();
      done = next.done === true;
      if (!done) start += next.value;
      format = formatOf(start, done);
      if (start.length > MAX_MESSAGE_CHARACTERS)
        throw invalid(
          SUBJECT,
          '(root)',
          `has more than ${MAX_MESSAGE_CHARACTERS} characters of whitespace before its first line`,
        );
    }
    if (format === 'xml') {
      const splitter = new XmlFeedSplitter(tally.rows);
      yield* splitter.push(start);
      for (let next = done ? undefined : await pieces.next(); next && !next.done; next = await pieces.next())
        yield* splitter.push(next.value);
      yield* splitter.end();
      if (!tally.rows) tally.count += splitter.count;
      return;
    }
    const reader = new FlatFileReader();
    yield* reader.push(start);
    for (let next = done ? undefined : await pieces.next(); next && !next.done; next = await pieces.next())
      yield* reader.push(next.value);
    yield* reader.end();
  } finally {
    await pieces.return?.(undefined);
  }
}
