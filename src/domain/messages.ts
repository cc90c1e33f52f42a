import { formatInstant } from './time.js';

/** A message in both shipped languages. */
export interface Message {
  en: string;
  'zh-CN': string;
}
/** A language every message ships in: `'en'` or `'zh-CN'`. */
export type Lang = keyof Message;
export const languages: readonly Lang[] = ['en', 'zh-CN'];

/** Why an event was refused. Each code has guidance in English and Chinese. */
export type RefusalCode =
  | 'EVENT_BEFORE_PLACEMENT'
  | 'BUYER_WINDOW_CLOSED'
  | 'ORDER_PENDING'
  | 'LABEL_GENERATED'
  | 'NO_LABEL'
  | 'ALREADY_SHIPPED'
  | 'ALREADY_CANCELED'
  | 'FULFILLED_BY_AMAZON'
  | 'QUANTITY_EXCEEDS_REMAINING'
  | 'UNKNOWN_ITEM'
  | 'REFUSED_BY_MACHINE';

/**
 * Values a message mentions. `at`, `placedAt` and `until` are instants (epoch ms), shown in the order's own
 * UTC offset (`offset`, minutes); `windowMs` is the buyer's window; `reason` and `status` are shown by name
 * (the seed's Chinese names in zh-CN).
 */
export type MessageParams = Record<string, string | number>;

const instantKeys = new Set(['at', 'placedAt', 'until']);

/** Chinese names of the cancel reasons: the seed's where it has one (【买家取消】, 【无库存】). */
const reasonNames: Record<string, Message> = {
  NoInventory: { en: 'No Inventory', 'zh-CN': '【无库存】' },
  BuyerCanceled: { en: 'Buyer Canceled', 'zh-CN': '【买家取消】' },
  ShippingAddressUndeliverable: { en: 'Shipping Address Undeliverable', 'zh-CN': '【无法配送至该地址】' },
  CustomerExchange: { en: 'Customer Exchange', 'zh-CN': '【买家换货】' },
  GeneralAdjustment: { en: 'General Adjustment', 'zh-CN': '【一般调整】' },
  CarrierCreditDecision: { en: 'Carrier Credit Decision', 'zh-CN': '【承运人信用决定】' },
  RiskAssessmentInformationNotValid: { en: 'Risk Assessment Information Not Valid', 'zh-CN': '【风险评估信息无效】' },
  CarrierCoverageFailure: { en: 'Carrier Coverage Failure', 'zh-CN': '【承运人无法覆盖】' },
  CustomerReturn: { en: 'Customer Return', 'zh-CN': '【买家退货】' },
  MerchandiseNotReceived: { en: 'Merchandise Not Received', 'zh-CN': '【未收到商品】' },
  CannotVerifyInformation: { en: 'Cannot Verify Information', 'zh-CN': '【无法验证信息】' },
  PricingError: { en: 'Pricing Error', 'zh-CN': '【定价错误】' },
  RejectOrder: { en: 'Reject Order', 'zh-CN': '【拒绝订单】' },
  WeatherDelay: { en: 'Weather Delay', 'zh-CN': '【天气延误】' },
  BuyerSelfCanceled: { en: 'buyer cancelled', 'zh-CN': '【买家自行取消】' },
  NotShippedInTime: { en: 'not shipped in time', 'zh-CN': '【未及时发货】' },
};

/**
 * Names of the states for people, in both languages: the seed's 【未发货】 for unshipped.
 * @example
 * statusNames['label-generated']['zh-CN']; // '【已生成货件标签】'
 */
export const statusNames: Readonly<Record<string, Message>> = {
  'buyer-cancellable': { en: 'buyer-cancellable (pending)', 'zh-CN': '【等待中】(买家可取消)' },
  unshipped: { en: 'unshipped', 'zh-CN': '【未发货】' },
  'label-generated': { en: 'label-generated', 'zh-CN': '【已生成货件标签】' },
  shipped: { en: 'shipped', 'zh-CN': '【已发货】' },
  canceled: { en: 'canceled', 'zh-CN': '【已取消】' },
  'auto-canceled': { en: 'auto-canceled', 'zh-CN': '【已自动取消】' },
};

/** The marketplace's readiness words (Amazon's Pending and Unshipped), as Seller Central shows them. */
const reportedNames: Record<string, Message> = {
  pending: { en: 'Pending', 'zh-CN': '【等待中】' },
  unshipped: { en: 'Unshipped', 'zh-CN': '【未发货】' },
};

const byNames: Record<string, Message> = {
  buyer: { en: 'buyer', 'zh-CN': '买家' },
  seller: { en: 'seller', 'zh-CN': '卖家' },
  amazon: { en: 'marketplace', 'zh-CN': '亚马逊' },
  unknown: { en: 'party the marketplace did not name', 'zh-CN': '平台未注明的一方' },
};

/** "30 minutes" / "30 分钟": a policy duration in words. */
function durationText(ms: number, lang: Lang): string {
  const units: Array<[number, string, string, string]> = [
    [86_400_000, 'day', 'days', '天'],
    [3_600_000, 'hour', 'hours', '小时'],
    [60_000, 'minute', 'minutes', '分钟'],
    [1_000, 'second', 'seconds', '秒'],
  ];
  for (const [size, one, many, zh] of units) {
    if (ms % size === 0) {
      const count = ms / size;
      return lang === 'en' ? `${count} ${count === 1 ? one : many}` : `${count} ${zh}`;
    }
  }
  return lang === 'en' ? `${ms} ms` : `${ms} 毫秒`;
}

function fill(template: string, params: MessageParams, lang: Lang): string {
  const offset = typeof params['offset'] === 'number' ? params['offset'] : 0;
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    if (key === 'window')
      return durationText(typeof params['windowMs'] === 'number' ? params['windowMs'] : 1_800_000, lang);
    if (key === 'autoCancel')
      return durationText(typeof params['autoCancelMs'] === 'number' ? params['autoCancelMs'] : 7 * 86_400_000, lang);
    const value = params[key];
    if (value === undefined) return `{${key}}`;
    if (instantKeys.has(key) && typeof value === 'number') return formatInstant(value, offset);
    if (key === 'reason') return reasonNames[String(value)]?.[lang] ?? String(value);
    if (key === 'status') return statusNames[String(value)]?.[lang] ?? String(value);
    if (key === 'by') return byNames[String(value)]?.[lang] ?? String(value);
    if (key === 'reported') return reportedNames[String(value)]?.[lang] ?? String(value);
    return String(value);
  });
}

const refusals: Record<RefusalCode, Message> = {
  EVENT_BEFORE_PLACEMENT: {
    en: 'The event at {at} happened before the order was placed at {placedAt}, so it was refused.',
    'zh-CN': '该事件发生于 {at},早于订单下单时间 {placedAt},因此被拒绝。',
  },
  BUYER_WINDOW_CLOSED: {
    en: 'The {window} in which the buyer can cancel by themselves have passed: the buyer can request a cancellation (Your Account > Your Orders > Request Cancellation), but only the seller can cancel the order.',
    'zh-CN':
      '买家自行取消订单的 {window}时限已过:买家可以申请取消订单(【我的账户】>【我的订单】>【申请取消】),但只有卖家才能取消相应订单。',
  },
  ORDER_PENDING: {
    en: 'The order is still pending: during the first {window} only the buyer can cancel it, and it cannot be shipped yet.',
    'zh-CN': '订单仍处于等待中:下单后 {window}内只有买家可以取消订单,且尚不能发货。',
  },
  LABEL_GENERATED: {
    en: 'A shipping label has already been generated: inform the buyer that you are unable to cancel the order at this stage and ask them to return the item for a refund.',
    'zh-CN': '您已经生成货件标签:请告知买家您在此阶段无法取消订单,并请他们通过退货来获得退款。',
  },
  NO_LABEL: {
    en: 'There is no shipping label to void.',
    'zh-CN': '没有可作废的货件标签。',
  },
  ALREADY_SHIPPED: {
    en: 'The order has been shipped and confirmed: tell the buyer that the order is already on its way and ask them to return it for a refund.',
    'zh-CN': '订单已发货并确认发货:请告诉买家订单已在运送途中,请买家通过退货来获得退款。',
  },
  ALREADY_CANCELED: {
    en: 'The order is already cancelled, and a cancellation cannot be undone: if it was a mistake, contact the buyer through Buyer-Seller Messaging and, if the buyer wishes, encourage them to place a new order.',
    'zh-CN':
      '订单已取消,取消无法撤销:如果您误取消了订单,可以通过“买家与卖家消息服务”联系买家;如果买家愿意,鼓励他们重新下单。',
  },
  FULFILLED_BY_AMAZON: {
    en: 'This order is Fulfilled by Amazon: the seller cannot cancel it.',
    'zh-CN': '该订单由亚马逊配送:卖家无法取消。',
  },
  QUANTITY_EXCEEDS_REMAINING: {
    en: 'Cannot cancel {requested} of item {orderItemId}: only {remaining} remain.',
    'zh-CN': '无法取消商品 {orderItemId} 的 {requested} 件:仅剩 {remaining} 件。',
  },
  UNKNOWN_ITEM: {
    en: 'Item {orderItemId} is not part of order {orderId}.',
    'zh-CN': '商品 {orderItemId} 不属于订单 {orderId}。',
  },
  REFUSED_BY_MACHINE: {
    en: 'The machine refused {event} in state {status}: its guard "{guard}" did not allow it, although the package\'s rules would have.',
    'zh-CN': '状态机在 {status} 状态下拒绝了 {event}:守卫条件“{guard}”不允许此操作(尽管本软件包的规则允许)。',
  },
};

/** Refusals worded for a particular situation; the code stays the same. */
const refusalVariants: Record<string, Message> = {
  'ALREADY_CANCELED:auto': {
    en: 'Amazon cancelled this order automatically because its shipment was not confirmed in time ({autoCancel} after the latest ship date); this cancellation counts against your Cancellation Rate and cannot be undone. Contact the buyer through Buyer-Seller Messaging and, if the buyer wishes, invite them to place a new order.',
    'zh-CN':
      '由于未在规定时间内确认发货(最晚发货日期后 {autoCancel}),亚马逊已自动取消此订单;此次取消会计入您的取消率,且无法撤销。请通过“买家与卖家消息服务”联系买家;如果买家愿意,邀请他们重新下单。',
  },
  'ALREADY_SHIPPED:conflict': {
    en: 'The marketplace reports a cancellation, but this order has already shipped here and an ended order cannot change: reconcile the two by hand (the buyer may return the item).',
    'zh-CN': '平台报告订单已取消,但本地记录显示订单已发货,已结束的订单无法再更改:请手动核对(买家可通过退货获得退款)。',
  },
  'ALREADY_CANCELED:conflict': {
    en: 'The marketplace reports a shipment, but this order was already cancelled here and an ended order cannot change: reconcile the two by hand.',
    'zh-CN': '平台报告订单已发货,但本地记录显示订单已取消,已结束的订单无法再更改:请手动核对。',
  },
  'LABEL_GENERATED:buyer': {
    en: 'A shipping label has already been generated, so nobody can cancel the order now: the buyer may return the item for a refund once it arrives.',
    'zh-CN': '卖家已生成货件标签,此时任何人都无法取消订单:买家可在收到商品后通过退货获得退款。',
  },
  'ORDER_PENDING:marketplace': {
    en: 'Amazon reports the order as Pending (not ready for shipment, e.g. payment not yet authorized): it cannot be shipped or cancelled by the seller until Amazon reports it Unshipped.',
    'zh-CN':
      '亚马逊报告该订单为【等待中】(尚不能发货,例如付款尚未授权):在亚马逊报告其为【未发货】之前,卖家无法发货或取消订单。',
  },
  'QUANTITY_EXCEEDS_REMAINING:ship': {
    en: 'Cannot ship {requested} of item {orderItemId}: only {remaining} are neither shipped nor cancelled.',
    'zh-CN': '无法为商品 {orderItemId} 发货 {requested} 件:仅有 {remaining} 件既未发货也未取消。',
  },
  'FULFILLED_BY_AMAZON:ship': {
    en: 'This order is Fulfilled by Amazon: Amazon buys the label and ships it, so the seller cannot buy a label or confirm its shipment.',
    'zh-CN': '该订单由亚马逊配送:由亚马逊购买货件标签并发货,卖家无法购买标签或确认发货。',
  },
};

/** Outcomes of accepted events; some carry guidance too. */
const outcomes = {
  orderPlaced: {
    en: 'Order {orderId} placed; the buyer may cancel it until {until}.',
    'zh-CN': '订单 {orderId} 已下单;买家可在 {until} 之前自行取消。',
  },
  buyerCanceled: {
    en: 'The buyer cancelled the order within the {window} after purchase; this does not count against your Cancellation Rate.',
    'zh-CN': '买家在下单后 {window}内自行取消了订单;这不会计入您的取消率。',
  },
  officialRequest: {
    en: 'Official cancellation request recorded for items {items}: cancel them with the reason Buyer Canceled and it will not count against your metrics.',
    'zh-CN':
      '已记录针对商品 {items} 的正式订单取消申请:选择【买家取消】作为原因取消这些商品,不会对您的指标产生不利影响。',
  },
  nonStandardRequest: {
    en: 'This request (items {items}) is not an official cancellation request, so cancelling on it may count against your metrics. Ask the buyer to submit one: "You can find the order in your Amazon account by clicking Your Account > Your Orders > Request Cancellation". If you cannot fulfil the order for lack of inventory, cancel with the reason No Inventory instead.',
    'zh-CN':
      '此申请(商品 {items})不是正式的订单取消申请,据此取消订单可能会对您的指标产生不利影响。请买家按标准流程提交正式申请:“您可以在亚马逊账户中点击【我的账户】>【我的订单】>【申请取消】来找到相应订单”。如果因库存不足无法配送,请改选【无库存】作为原因取消订单。',
  },
  requestAlreadyRecorded: {
    en: 'The same cancellation request (items {items}) is already on record; nothing new was recorded and nobody is notified again.',
    'zh-CN': '相同的取消申请(商品 {items})已有记录;未重复记录,也不会再次通知任何人。',
  },
  sellerCanceledNotCounted: {
    en: "Cancelled {quantity} unit(s) with the reason {reason} on the buyer's official request; this does not count against your Cancellation Rate. Amazon emails you and the buyer.",
    'zh-CN':
      '已应买家的正式申请以{reason}为原因取消 {quantity} 件商品;这不会计入您的取消率。亚马逊会分别向您和买家发送确认邮件。',
  },
  sellerCanceledCounted: {
    en: 'Cancelled {quantity} unit(s) with the reason {reason}; this counts against your Cancellation Rate. Amazon emails you and the buyer.',
    'zh-CN': '已以{reason}为原因取消 {quantity} 件商品;这会计入您的取消率。亚马逊会分别向您和买家发送确认邮件。',
  },
  buyerCanceledWithoutRequest: {
    en: 'Cancelled {quantity} unit(s) with the reason {reason}, but no official cancellation request covers items {items}, so this counts against your Cancellation Rate. Next time, ask the buyer to request cancellation first (Your Account > Your Orders > Request Cancellation).',
    'zh-CN':
      '已以{reason}为原因取消 {quantity} 件商品,但商品 {items} 没有正式的取消申请,因此会计入您的取消率。下次请先请买家申请取消(【我的账户】>【我的订单】>【申请取消】)。',
  },
  buyerCanceledPartlyRequested: {
    en: 'Cancelled {quantity} unit(s) with the reason {reason}; the official request does not cover items {items}, so this cancellation counts against your Cancellation Rate. Cancel only the requested items with Buyer Canceled to keep it from counting.',
    'zh-CN':
      '已以{reason}为原因取消 {quantity} 件商品;正式申请未涵盖商品 {items},因此此次取消会计入您的取消率。仅以【买家取消】取消已申请的商品,才不会计入。',
  },
  labelGenerated: {
    en: 'Shipping label generated: from now on the order can no longer be cancelled.',
    'zh-CN': '已生成货件标签:此后订单无法再取消。',
  },
  labelVoided: {
    en: 'Shipping label voided; cancellation does not reopen: the order stays label-generated.',
    'zh-CN': '已作废货件标签;订单仍无法取消,状态保持为已生成标签。',
  },
  shipped: {
    en: 'Shipment confirmed.',
    'zh-CN': '已确认发货。',
  },
  shippedLate: {
    en: 'Shipment confirmed after the latest ship date; it counts towards your Late Shipment Rate.',
    'zh-CN': '在最晚发货日期之后确认发货;这会计入您的迟发率。',
  },
  timePassed: {
    en: 'Time advanced to {at}; the order is {status}.',
    'zh-CN': '时间推进到 {at};订单状态为{status}。',
  },
  marketplaceCanceled: {
    en: 'The marketplace reports that the order was cancelled by the {by} at {at}; the order follows it.',
    'zh-CN': '平台报告该订单已于 {at} 由{by}取消;订单状态随之更新。',
  },
  marketplaceShipped: {
    en: 'The marketplace reports that the order shipped at {at}; the order follows it.',
    'zh-CN': '平台报告该订单已于 {at} 发货;订单状态随之更新。',
  },
  marketplaceStatus: {
    en: 'The marketplace reports the order as {reported} at {at}; the seller may ship and cancel it only while it is not pending.',
    'zh-CN': '平台报告该订单于 {at} 为{reported}状态;只有在订单不处于等待中时,卖家才能发货或取消订单。',
  },
  marketplaceConflict: {
    en: "The marketplace reports {fact} at {at}, which contradicts this order's history (it was {status}); the marketplace is right, so the report was applied over it. Check what your system did with the order.",
    'zh-CN':
      '平台报告的 {fact}(时间 {at})与本订单的记录不一致(当时为{status});以平台为准,已按平台报告更新。请检查您的系统对该订单的处理。',
  },
  duplicate: {
    en: 'Event {eventId} was already applied to this order; nothing changed.',
    'zh-CN': '事件 {eventId} 已应用于此订单;未做任何更改。',
  },
  acceptedByMachine: {
    en: "The machine accepted {event} in state {status}, although the package's rules would have refused it ({code}).",
    'zh-CN': '状态机在 {status} 状态下接受了 {event}(尽管本软件包的规则会拒绝:{code})。',
  },
} satisfies Record<string, Message>;
export type OutcomeKey = keyof typeof outcomes;

function render(message: Message, params: MessageParams): Message {
  return { en: fill(message.en, params, 'en'), 'zh-CN': fill(message['zh-CN'], params, 'zh-CN') };
}

/** The guidance for a refusal code, filled with its parameters; `variant` picks wording for a situation. */
export function refusalMessage(code: RefusalCode, params: MessageParams = {}, variant?: string): Message {
  return render((variant && refusalVariants[`${code}:${variant}`]) || refusals[code], params);
}

/** The message for an accepted event, filled with its parameters. */
export function outcomeMessage(key: OutcomeKey, params: MessageParams = {}): Message {
  return render(outcomes[key], params);
}

/** Every refusal code, for docs and tests. */
export const refusalCodes = Object.keys(refusals) as RefusalCode[];
