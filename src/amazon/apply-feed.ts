import { z } from 'zod';
import { CancelReason, Identifier, OrderLifecycleError, issueSentence, type Message } from '../domain/index.js';
import { digest, eventIdOf, type ItemQuantity, type SellerCancelEvent } from './events.js';
import {
  AdjustmentReason,
  AMAZON_ORDER_ID,
  cancelReasonOfAdjustment,
  checkFeed,
  DEFAULT_FEED_MAX_BYTES,
  envelope,
  MerchantIdentifier,
  readFeed,
  readFeedText,
  type FeedKind,
  type FeedMessage,
  type FeedRow,
} from './feeds.js';
import { describe as show, parseAmazon } from './parse.js';

/** What applyFeed needs of an order: its items, with the quantities ordered and cancelled so far. */
export interface FeedOrderSnapshot {
  context: { items: ReadonlyArray<{ orderItemId: string; quantity: number; quantityCanceled: number }> };
}

/** The verdict the order service returns for an applied event (the core's Verdict). */
export interface FeedVerdict {
  accepted: boolean;
  code?: string;
  message: Message;
  duplicate?: boolean;
}

/**
 * The part of `createOrderService` (order-lifecycle/service) that applyFeed uses: `get` to read an order,
 * `apply` to apply one event. `apply` throws OrderNotFoundError for unknown ids.
 */
export interface FeedOrderService {
  /** The order, or null when there is none. */
  get(orderId: string): Promise<{ snapshot: FeedOrderSnapshot } | null> | { snapshot: FeedOrderSnapshot } | null;
  /** Applies one seller cancellation from the feed; the verdict says whether it was accepted. */
  apply(orderId: string, event: SellerCancelEvent): Promise<{ verdict: FeedVerdict }> | { verdict: FeedVerdict };
}

/** One result row of a processing report: a message with an error or a warning. */
export interface ProcessingResult {
  messageId: number;
  resultCode: 'Error' | 'Warning';
  resultMessageCode: number;
  resultDescription: string;
  /** The symbolic name of `resultMessageCode` (one of `feedResultCodes`, or the core's refusal code). */
  code: string;
  additionalInfo?: { amazonOrderId: string };
}

/** A processing report in Amazon's shape. Successful messages without a warning have no result row. */
export interface ProcessingReport {
  processingSummary: {
    messagesProcessed: number;
    messagesSuccessful: number;
    messagesWithError: number;
    messagesWithWarning: number;
  };
  results: ProcessingResult[];
}

/**
 * The numbers this package writes as `ResultMessageCode`: its own checks, then the core's refusal codes.
 * They are this package's numbers, not Amazon's.
 */
export const feedResultCodes: Readonly<Record<string, number>> = Object.freeze({
  INVALID_ROW: 90001,
  DUPLICATE_MESSAGE_ID: 90002,
  ORDER_NOT_FOUND: 90003,
  MIXED_REASONS: 90004,
  NOTHING_TO_CANCEL: 90005,
  ALREADY_APPLIED: 90006,
  ORDER_UNREADABLE: 90007,
  EVENT_BEFORE_PLACEMENT: 90101,
  BUYER_WINDOW_CLOSED: 90102,
  ORDER_PENDING: 90103,
  LABEL_GENERATED: 90104,
  NO_LABEL: 90105,
  ALREADY_SHIPPED: 90106,
  ALREADY_CANCELED: 90107,
  FULFILLED_BY_AMAZON: 90108,
  QUANTITY_EXCEEDS_REMAINING: 90109,
  UNKNOWN_ITEM: 90110,
  REFUSED_BY_MACHINE: 90111,
  REFUSED: 90199,
});

type Params = Record<string, string | number | Message>;
function fill(template: string, params: Params, lang: keyof Message): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = params[key];
    if (value === undefined) return `{${key}}`;
    return typeof value === 'object' ? value[lang] : String(value);
  });
}

const descriptions: Record<string, Message> = {
  INVALID_ROW: {
    en: 'Message {messageId} was not applied: {field} {problem}.',
    'zh-CN': '消息 {messageId} 未执行：{field} {problem}。',
  },
  DUPLICATE_MESSAGE_ID: {
    en: 'Message {messageId} was not applied: MessageID {messageId} appears earlier in this feed.',
    'zh-CN': '消息 {messageId} 未执行：MessageID {messageId} 在本上传数据中已出现过。',
  },
  ORDER_NOT_FOUND: {
    en: 'Message {messageId} was not applied: order {orderId} is not known.',
    'zh-CN': '消息 {messageId} 未执行：订单 {orderId} 不存在。',
  },
  ORDER_UNREADABLE: {
    en: 'Message {messageId} was not applied to order {orderId}: {problem}',
    'zh-CN': '消息 {messageId} 未应用到订单 {orderId}：{problem}',
  },
  MIXED_REASONS: {
    en: 'Message {messageId} was not applied: its items give different reasons ({reasons}); send one message per reason.',
    'zh-CN': '消息 {messageId} 未执行：其商品的取消原因不同（{reasons}）；请每种原因各用一条消息。',
  },
  NOTHING_TO_CANCEL: {
    en: 'Message {messageId} cancels nothing ({what}); nothing was applied.',
    'zh-CN': '消息 {messageId} 不取消任何商品（{what}）；未执行任何操作。',
  },
  ALREADY_APPLIED: {
    en: 'Message {messageId} was already applied to order {orderId}; nothing changed.',
    'zh-CN': '消息 {messageId} 已应用到订单 {orderId}；未做任何更改。',
  },
  REFUSED: { en: 'Order {orderId}: {message}', 'zh-CN': '订单 {orderId}：{message}' },
};

const AtInput = z.union(
  [
    z.number().int().nonnegative(),
    z.iso.datetime({ offset: true }).transform((value) => Date.parse(value)),
    z.date().transform((value) => value.getTime()),
  ],
  { error: 'expected epoch milliseconds, an ISO-8601 date-time with an offset, or a Date' },
);

const ApplyOptions = z.strictObject({
  at: AtInput,
  lang: z.enum(['en', 'zh-CN']).default('en'),
  feedId: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[^:\s]+$/, { message: 'must not contain colons or spaces' })
    .optional(),
  maxBytes: z.number().int().positive().default(DEFAULT_FEED_MAX_BYTES),
});

/** A row that passed validation: what to cancel, ready for the service. */
interface Planned {
  messageId: number;
  orderId: string;
  reason: CancelReason;
  /** Items with a quantity, or without one (cancel what remains of the item); none: the whole order. */
  items: Array<{ orderItemId: string; quantity?: number }>;
  eventId: string;
}

/** A result row before its description is written in the report's language. */
type PendingResult = Omit<ProcessingResult, 'resultDescription'> & { params: Params };
/** An error (`ok: false`) or a warning (`ok: 'skip'`, the message still counts as successful). */
type Problem = { ok: false | 'skip'; result: PendingResult };
type Checked = { ok: true; plan: Planned } | Problem;

const shortKind: Record<FeedKind, string> = {
  POST_ORDER_ACKNOWLEDGEMENT_DATA: 'ack',
  POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA: 'flat',
  POST_PAYMENT_ADJUSTMENT_DATA: 'adj',
};

const PositiveInt = /^[1-9]\d{0,17}$/;

/**
 * The reason recorded for an acknowledgement with `StatusCode` Failure and no `Item`, which cancels the whole
 * order: the message has no reason to give (`CancelReason` belongs to an item), and GeneralAdjustment is Amazon's
 * general one. It counts against the Cancellation Rate, as a seller's cancellation without a buyer request does.
 */
const WHOLE_ORDER_ACKNOWLEDGEMENT_REASON: CancelReason = 'GeneralAdjustment';

function fail(
  messageId: number,
  orderId: string,
  code: string,
  params: Params,
  resultCode: 'Error' | 'Warning' = 'Error',
): Problem {
  const result = {
    messageId,
    resultCode,
    resultMessageCode: feedResultCodes[code] ?? feedResultCodes['REFUSED']!,
    code,
    ...(orderId ? { additionalInfo: { amazonOrderId: orderId } } : {}),
    params: { messageId, orderId, ...params },
  };
  return resultCode === 'Warning' ? { ok: 'skip', result } : { ok: false, result };
}

/** A row's problems in Chinese; field names, values and reason codes stay as the feed spells them. */
const problemsInChinese: Record<string, string> = {
  'must be a positive whole number': '必须是正整数',
  'is required': '为必填项',
  'must be Failure (cancel) or Success': '必须是 Failure（取消）或 Success',
  'is not an AdjustmentReason': '不是 AdjustmentReason',
  'is not a reason to cancel items': '不是取消商品的原因',
  'is listed twice in this message': '在此消息中出现了两次',
};

function problemInChinese(problem: string): string {
  const oneOf = /^must be one of (.*)$/.exec(problem);
  return oneOf ? `必须是以下之一：${oneOf[1]}` : (problemsInChinese[problem] ?? problem);
}

/** A field of the message's `index`-th item (from 1), when the message has several. */
function ofItem(field: string, index: number): Message {
  return { en: `${field} of item ${index}`, 'zh-CN': `第 ${index} 件商品的 ${field}` };
}

function badField(
  messageId: number,
  orderId: string,
  field: string | Message,
  problem: string,
  value: unknown,
): Problem {
  const given = value === '' ? undefined : value;
  return fail(messageId, orderId, 'INVALID_ROW', {
    field,
    problem: {
      en: `${problem} (got ${show(given)})`,
      'zh-CN': `${problemInChinese(problem)}${given === undefined ? '（未提供）' : `（实际为 ${show(given)}）`}`,
    },
  });
}

/** What is wrong with an id of a feed row by the core's bounds (`Identifier`), naming the id, or undefined. */
function idProblem(id: string): string | undefined {
  const parsed = Identifier.safeParse(id);
  return parsed.success ? undefined : issueSentence(parsed.error.issues[0]!, id);
}

/** Validates one row on its own: every field, the reasons, the quantities; nothing is read or applied. */
function checkRow(
  kind: FeedKind,
  row: FeedRow,
  position: number,
  seen: Set<number>,
  feedId: string | undefined,
): Checked {
  const messageId = PositiveInt.test(row.messageId) ? Number(row.messageId) : position;
  const { orderId } = row;
  if (!PositiveInt.test(row.messageId))
    return badField(messageId, orderId, 'MessageID', 'must be a positive whole number', row.messageId);
  if (seen.has(messageId)) return fail(messageId, orderId, 'DUPLICATE_MESSAGE_ID', {});
  seen.add(messageId);
  const orderField = kind === 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA' ? 'order-id' : 'AmazonOrderID';
  if (!orderId) return badField(messageId, orderId, orderField, 'is required', orderId);
  const badId = idProblem(orderId);
  // A bad id stays out of AdditionalInfo: the report names it only in the description, shortened.
  if (badId) return fail(messageId, '', 'INVALID_ROW', { field: orderField, problem: badId });
  if (kind === 'POST_ORDER_ACKNOWLEDGEMENT_DATA') {
    if (row.statusCode === 'Success')
      return fail(messageId, orderId, 'NOTHING_TO_CANCEL', { what: 'StatusCode Success' }, 'Warning');
    if (row.statusCode !== 'Failure')
      return badField(messageId, orderId, 'StatusCode', 'must be Failure (cancel) or Success', row.statusCode);
  }
  if (kind === 'POST_PAYMENT_ADJUSTMENT_DATA' && row.items.length === 0) {
    return badField(messageId, orderId, 'AdjustedItem', 'is required', undefined);
  }
  const itemField =
    kind === 'POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA' ? 'amazon-order-item-code' : 'AmazonOrderItemCode';
  const reasonField = {
    POST_ORDER_ACKNOWLEDGEMENT_DATA: 'CancelReason',
    POST_FLAT_FILE_ORDER_ACKNOWLEDGEMENT_DATA: 'cancellation-reason-code',
    POST_PAYMENT_ADJUSTMENT_DATA: 'AdjustmentReason',
  }[kind];
  const quantityField = kind === 'POST_PAYMENT_ADJUSTMENT_DATA' ? 'QuantityCancelled' : 'Quantity';
  const reasons: CancelReason[] = [];
  const items: Planned['items'] = [];
  // A message without items cancels the whole order: a flat-file row gives its reason, an acknowledgement none.
  const wholeOrderReason =
    kind === 'POST_ORDER_ACKNOWLEDGEMENT_DATA' ? WHOLE_ORDER_ACKNOWLEDGEMENT_REASON : (row.reason ?? '');
  const rawReasons = row.items.length ? row.items.map((item) => item.reason) : [wholeOrderReason];
  for (const [index, raw] of rawReasons.entries()) {
    const field = row.items.length > 1 ? ofItem(reasonField, index + 1) : reasonField;
    if (kind === 'POST_PAYMENT_ADJUSTMENT_DATA') {
      const adjustment = AdjustmentReason.safeParse(raw);
      if (!adjustment.success) return badField(messageId, orderId, field, 'is not an AdjustmentReason', raw);
      const mapped = cancelReasonOfAdjustment[adjustment.data];
      if (!mapped) return badField(messageId, orderId, field, 'is not a reason to cancel items', raw);
      reasons.push(mapped);
    } else {
      const reason = CancelReason.safeParse(raw);
      if (!reason.success)
        return badField(messageId, orderId, field, `must be one of ${CancelReason.options.join(', ')}`, raw);
      reasons.push(reason.data);
    }
  }
  const distinct = [...new Set(reasons)];
  if (distinct.length > 1) return fail(messageId, orderId, 'MIXED_REASONS', { reasons: distinct.join(', ') });
  for (const [index, item] of row.items.entries()) {
    const named = (field: string) => (row.items.length > 1 ? ofItem(field, index + 1) : field);
    if (!item.orderItemId) return badField(messageId, orderId, named(itemField), 'is required', item.orderItemId);
    const badItem = idProblem(item.orderItemId);
    if (badItem) return fail(messageId, orderId, 'INVALID_ROW', { field: named(itemField), problem: badItem });
    if (items.some((other) => other.orderItemId === item.orderItemId)) {
      return badField(messageId, orderId, named(itemField), 'is listed twice in this message', item.orderItemId);
    }
    if (item.quantity !== undefined && !PositiveInt.test(item.quantity)) {
      return badField(messageId, orderId, named(quantityField), 'must be a positive whole number', item.quantity);
    }
    // An adjusted item without QuantityCancelled is a refund only: nothing of it is cancelled.
    if (kind === 'POST_PAYMENT_ADJUSTMENT_DATA' && item.quantity === undefined) continue;
    items.push({
      orderItemId: item.orderItemId,
      ...(item.quantity === undefined ? {} : { quantity: Number(item.quantity) }),
    });
  }
  if (kind === 'POST_PAYMENT_ADJUSTMENT_DATA' && items.length === 0) {
    return fail(
      messageId,
      orderId,
      'NOTHING_TO_CANCEL',
      { what: { en: 'no QuantityCancelled', 'zh-CN': '没有 QuantityCancelled' } },
      'Warning',
    );
  }
  // The id names the message; with no feed id, also what it asks, so a corrected file sent again
  // re-applies only the messages that changed, and nothing twice.
  const canonical = JSON.stringify([kind, orderId, distinct[0], items]);
  const eventId = feedId
    ? eventIdOf('amzn-feed', feedId, String(messageId))
    : eventIdOf('amzn-feed', shortKind[kind], String(messageId), digest(canonical, 16));
  return { ok: true, plan: { messageId, orderId, reason: distinct[0]!, items, eventId } };
}

/** A store's errors (StoreError: a lost connection, a busy or full database, a write conflict) concern every order. */
const STORE_ERROR = /^(Store(Connection|Busy|Full)?|WriteConflict)Error$/;

/** Whether an error thrown by the service concerns this order only (so the feed goes on). */
function isOrderError(error: unknown): error is Error {
  return (
    (error instanceof OrderLifecycleError && !STORE_ERROR.test(error.name)) ||
    (error instanceof Error &&
      /^(OrderNotFoundError|InvalidInputError|RestoreError|OrderConflictError|UnreadableOrderError)$/.test(error.name))
  );
}

/**
 * Thrown by `applyFeed` when it stopped part way through a feed: the store failed, or the feed, read a second time
 * to be applied, was no longer what the first reading checked. `report` is the processing report of the
 * `processed` messages before the one it stopped at: those without an error in it were applied, and nothing after
 * them was. The feed's event ids make the same feed, applied again, apply each message once.
 * @example
 * try { await applyFeed(service, () => createReadStream(file), { at }); }
 * catch (e) { if (e instanceof FeedStoppedError) writeFileSync('report.xml', processingReportXml(e.report)); }
 */
export class FeedStoppedError extends OrderLifecycleError {
  override name = 'FeedStoppedError';
  constructor(
    message: string,
    /** The processing report of the messages before the stop. */
    readonly report: ProcessingReport,
    /** How many messages were processed (applied, or reported with an error or a warning) before the stop. */
    readonly processed: number,
    options: { cause: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Applies a cancellation feed (`POST_ORDER_ACKNOWLEDGEMENT_DATA` or `POST_PAYMENT_ADJUSTMENT_DATA` XML,
 * or the OrderCancellation flat file) as a bulk cancellation through the order service: the whole document is
 * read and checked first (a malformed or oversized feed throws InvalidInputError and changes nothing); then each
 * message becomes one `seller.cancel` at `at`, checked and applied on its own (a bad row never stops the others,
 * and a row applies whole or not at all). An acknowledgement item cancels what remains of it
 * (or its `Quantity`, in files this package wrote before it followed the XSD); an acknowledgement with
 * `StatusCode` Failure and no `Item` cancels the whole order, with the reason GeneralAdjustment, as a flat-file
 * row without an item code does with its own reason. Each event has an `eventId` derived from the feed's
 * message id, which the order applies once, so re-running a feed changes nothing. Returns a
 * processing report in Amazon's shape, descriptions in `lang` (en or zh-CN).
 *
 * `source` is the feed's text, or a function that opens it as a stream of chunks (e.g. `() =>
 * createReadStream(file)`): it is called twice, once to check the document and once to apply it, and memory stays
 * bounded by one message, not the feed. A feed larger than `maxBytes` (default 100 MiB) is refused. When the store
 * fails part way, or the second reading differs from the first, it throws FeedStoppedError with the report of
 * what was processed.
 * @example
 * const report = await applyFeed(service, readFileSync('cancel.xml', 'utf8'), { at: new Date() });
 * console.log(report.processingSummary.messagesWithError);
 */
export async function applyFeed(
  service: FeedOrderService,
  source: string | (() => AsyncIterable<string | Uint8Array>),
  options: { at: number | string | Date; lang?: 'en' | 'zh-CN'; feedId?: string; maxBytes?: number },
): Promise<ProcessingReport> {
  const opts = parseAmazon(ApplyOptions, options, 'applyFeed options');
  let messages: () => AsyncIterable<FeedMessage>;
  if (typeof source === 'function') {
    // The first reading checks the whole document; nothing is applied unless it is a feed from start to end.
    await checkFeed(source(), { maxBytes: opts.maxBytes });
    messages = () => readFeed(source(), { maxBytes: opts.maxBytes });
  } else {
    const read = readFeedText(source, opts.maxBytes);
    messages = async function* () {
      yield* read;
    };
  }
  const seen = new Set<number>();
  const results: ProcessingResult[] = [];
  const describe = (result: PendingResult): ProcessingResult => {
    const { params, ...rest } = result;
    const template = descriptions[result.code] ?? descriptions['REFUSED']!;
    return { ...rest, resultDescription: fill(template[opts.lang], params, opts.lang) };
  };
  let processed = 0;
  let successful = 0;
  let applied = 0;
  const report = (): ProcessingReport => ({
    processingSummary: {
      messagesProcessed: processed,
      messagesSuccessful: successful,
      messagesWithError: results.filter((result) => result.resultCode === 'Error').length,
      messagesWithWarning: results.filter((result) => result.resultCode === 'Warning').length,
    },
    results,
  });
  // The message being applied, if the stop comes while it is.
  let applying: FeedMessage | undefined;
  let last: FeedMessage | undefined;
  try {
    for await (const message of messages()) {
      last = message;
      const check = checkRow(message.kind, message.row, processed + 1, seen, opts.feedId);
      if (check.ok !== true) {
        results.push(describe(check.result));
        if (check.ok === 'skip') successful += 1;
        processed += 1;
        continue;
      }
      applying = message;
      const outcome = await applyRow(service, check.plan, opts.at);
      applying = undefined;
      processed += 1;
      if (outcome === 'ok') {
        successful += 1;
        applied += 1;
        continue;
      }
      if (outcome.ok === 'skip') successful += 1;
      results.push(describe(outcome.result));
    }
  } catch (error) {
    throw stopped(error, report(), { processed, applied, applying, last });
  }
  return report();
}

/** The FeedStoppedError for a feed that stopped after `processed` messages, saying exactly what was applied. */
function stopped(
  error: unknown,
  report: ProcessingReport,
  at: { processed: number; applied: number; applying: FeedMessage | undefined; last: FeedMessage | undefined },
): FeedStoppedError {
  const { processed, applied, applying, last } = at;
  const reason = error instanceof Error ? error.message : String(error);
  const notApplied = report.results.length;
  const where = applying
    ? `at message ${processed + 1} (MessageID ${show(applying.row.messageId)}, line ${applying.line})`
    : processed > 0
      ? `after message ${processed}${last ? ` (line ${last.line})` : ''}`
      : 'before its first message';
  const uncertain = (error as { committed?: unknown } | null)?.committed === 'unknown';
  const done =
    processed > 0
      ? `Messages 1 to ${processed} were processed: ${applied} applied, and the ${notApplied} the report lists not (${report.processingSummary.messagesWithError} with an error, ${report.processingSummary.messagesWithWarning} with a warning); `
      : '';
  const rest = applying
    ? uncertain
      ? `message ${processed + 1} may have been applied (the connection was lost during COMMIT); those after it were not. `
      : `message ${processed + 1} and those after it were not applied. `
    : processed > 0
      ? 'no message after them was applied. '
      : 'no message was applied. ';
  return new FeedStoppedError(
    `Feed stopped ${where}: ${reason.replace(/\.$/, '')}. ${done}${rest}Applying the same feed again applies each message once.`,
    report,
    processed,
    { cause: error },
  );
}

async function applyRow(service: FeedOrderService, plan: Planned, at: number): Promise<'ok' | Problem> {
  const { messageId, orderId } = plan;
  try {
    let items: ItemQuantity[] | undefined;
    if (plan.items.length) {
      const needsOrder = plan.items.some((item) => item.quantity === undefined);
      const order = needsOrder ? await service.get(orderId) : null;
      if (needsOrder && !order) return fail(messageId, orderId, 'ORDER_NOT_FOUND', {});
      items = plan.items.map((item) => {
        if (item.quantity !== undefined) return { orderItemId: item.orderItemId, quantity: item.quantity };
        const line = order!.snapshot.context.items.find((candidate) => candidate.orderItemId === item.orderItemId);
        // What remains of the item; once nothing remains, the whole line, which the core refuses with
        // its own reason unless this message was applied before (then it is a duplicate).
        const remaining = line ? line.quantity - line.quantityCanceled : 1;
        return { orderItemId: item.orderItemId, quantity: remaining > 0 ? remaining : (line?.quantity ?? 1) };
      });
    }
    const event: SellerCancelEvent = {
      type: 'seller.cancel',
      at,
      reason: plan.reason,
      ...(items ? { items } : {}),
      eventId: plan.eventId,
    };
    // No idempotency key: a re-run happens at another `at`, which the service would take for another
    // request under the same key; the order itself applies an eventId once and reports the duplicate.
    const { verdict } = await service.apply(orderId, event);
    if (verdict.duplicate) return fail(messageId, orderId, 'ALREADY_APPLIED', {}, 'Warning');
    if (verdict.accepted) return 'ok';
    const refused = fail(messageId, orderId, 'REFUSED', { message: verdict.message });
    refused.result.code = verdict.code ?? 'REFUSED';
    refused.result.resultMessageCode = feedResultCodes[verdict.code ?? ''] ?? feedResultCodes['REFUSED']!;
    return refused;
  } catch (error) {
    if (!isOrderError(error)) throw error;
    if (error.name === 'OrderNotFoundError') return fail(messageId, orderId, 'ORDER_NOT_FOUND', {});
    return fail(messageId, orderId, 'ORDER_UNREADABLE', { problem: error.message });
  }
}

/** Whether `text` has a character XML 1.0 cannot carry: a control character but tab and line breaks, U+FFFE, U+FFFF, a lone surrogate. */
function hasNonXmlCharacter(text: string): boolean {
  return [...text].some((char) => {
    const code = char.codePointAt(0)!;
    return (
      (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
      code === 0xfffe ||
      code === 0xffff ||
      (code >= 0xd800 && code <= 0xdfff)
    );
  });
}

const ReportSchema = z.strictObject({
  processingSummary: z.strictObject({
    messagesProcessed: z.number().int().nonnegative(),
    messagesSuccessful: z.number().int().nonnegative(),
    messagesWithError: z.number().int().nonnegative(),
    messagesWithWarning: z.number().int().nonnegative(),
  }),
  results: z.array(
    z.strictObject({
      messageId: z.number().int().nonnegative(),
      resultCode: z.enum(['Error', 'Warning']),
      resultMessageCode: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
      resultDescription: z.string().refine((value) => !hasNonXmlCharacter(value), {
        message: 'must not contain characters XML cannot carry (control characters, lone surrogates)',
      }),
      code: z.string().optional(),
      additionalInfo: z.strictObject({ amazonOrderId: z.string().min(1) }).optional(),
    }),
  ),
});

const ReportXmlOptions = z.strictObject({
  merchantIdentifier: MerchantIdentifier.optional(),
  documentTransactionId: z
    .string()
    .regex(/^[1-9]\d{0,19}$/, {
      message:
        'must be a positive whole number of at most 20 digits, such as the feed id (DocumentTransactionID in the XSD)',
    })
    .optional(),
});

/** `DocumentTransactionID` when none is given: the XSD requires a positive integer, and the report has no feed id. */
const DEFAULT_DOCUMENT_TRANSACTION_ID = '1';

/**
 * A processing report as Amazon's `ProcessingReport` XML: an AmazonEnvelope with one message holding the
 * `DocumentTransactionID` (`documentTransactionId`, 1 when not given), the `ProcessingSummary` and a `Result`
 * (MessageID, ResultCode, ResultMessageCode, ResultDescription, and AdditionalInfo/AmazonOrderID when the order id
 * has Amazon's format) per message with an error or a warning. Throws InvalidInputError naming the field and the
 * value when the report or an option would not fit Amazon's XSD.
 * @example
 * writeFileSync('report.xml', processingReportXml(await applyFeed(service, feed, { at: Date.now() })));
 */
export function processingReportXml(
  report: ProcessingReport,
  options: { merchantIdentifier?: string; documentTransactionId?: string } = {},
): string {
  const parsed = parseAmazon(ReportSchema, report, 'processing report');
  const opts = parseAmazon(ReportXmlOptions, options, 'report options');
  const summary = parsed.processingSummary;
  return envelope(
    'ProcessingReport',
    opts.merchantIdentifier ?? 'MERCHANT',
    [
      {
        MessageID: 1,
        ProcessingReport: {
          DocumentTransactionID: opts.documentTransactionId ?? DEFAULT_DOCUMENT_TRANSACTION_ID,
          StatusCode: 'Complete',
          ProcessingSummary: {
            MessagesProcessed: summary.messagesProcessed,
            MessagesSuccessful: summary.messagesSuccessful,
            MessagesWithError: summary.messagesWithError,
            MessagesWithWarning: summary.messagesWithWarning,
          },
          Result: parsed.results.map((result) => ({
            MessageID: result.messageId,
            ResultCode: result.resultCode,
            ResultMessageCode: result.resultMessageCode,
            ResultDescription: result.resultDescription,
            // AdditionalInfo/AmazonOrderID admits only Amazon's order id format: another id stays out of the XML.
            ...(result.additionalInfo && AMAZON_ORDER_ID.test(result.additionalInfo.amazonOrderId)
              ? { AdditionalInfo: { AmazonOrderID: result.additionalInfo.amazonOrderId } }
              : {}),
          })),
        },
      },
    ],
    '1.02',
  );
}
