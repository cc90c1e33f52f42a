/** A message in both shipped languages. */
export interface Message {
  en: string;
  'zh-CN': string;
}
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
  | 'UNKNOWN_ITEM';

type Params = Record<string, string | number>;

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

const refusals: Record<RefusalCode, Message> = {
  EVENT_BEFORE_PLACEMENT: {
    en: 'The event at {at} happened before the order was placed at {placedAt}, so it was refused.',
    'zh-CN': '该事件发生于 {at},早于订单下单时间 {placedAt},因此被拒绝。',
  },
  BUYER_WINDOW_CLOSED: {
    en: 'The 30-minute window in which the buyer can cancel by themselves has closed: the buyer can request a cancellation (Your Account > Your Orders > Request Cancellation), but only the seller can cancel the order.',
    'zh-CN': '买家自行取消订单的 30 分钟时限已过:买家可以申请取消订单(【我的账户】>【我的订单】>【申请取消】),但只有卖家才能取消相应订单。',
  },
  ORDER_PENDING: {
    en: 'The order is still pending: during the first 30 minutes only the buyer can cancel it, and it cannot be shipped yet.',
    'zh-CN': '订单仍处于等待中:下单后 30 分钟内只有买家可以取消订单,且尚不能发货。',
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
    'zh-CN': '订单已取消,取消无法撤销:如果您误取消了订单,可以通过“买家与卖家消息服务”联系买家;如果买家愿意,鼓励他们重新下单。',
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
};

/** Outcomes of accepted events; some carry guidance too. */
const outcomes = {
  orderPlaced: {
    en: 'Order {orderId} placed; the buyer may cancel it until {until}.',
    'zh-CN': '订单 {orderId} 已下单;买家可在 {until} 之前自行取消。',
  },
  buyerCanceled: {
    en: 'The buyer cancelled the order within the 30-minute window; this does not count against your Cancellation Rate.',
    'zh-CN': '买家在 30 分钟内自行取消了订单;这不会计入您的取消率。',
  },
  officialRequest: {
    en: 'Official cancellation request recorded: cancel with the reason Buyer Canceled and it will not count against your metrics.',
    'zh-CN': '已记录正式的订单取消申请:选择【买家取消】作为原因取消订单,不会对您的指标产生不利影响。',
  },
  nonStandardRequest: {
    en: 'This request is not an official cancellation request, so cancelling on it may count against your metrics. Ask the buyer to submit one: "You can find the order in your Amazon account by clicking Your Account > Your Orders > Request Cancellation". If you cannot fulfil the order for lack of inventory, cancel with the reason No Inventory instead.',
    'zh-CN': '此申请不是正式的订单取消申请,据此取消订单可能会对您的指标产生不利影响。请买家按标准流程提交正式申请:“您可以在亚马逊账户中点击【我的账户】>【我的订单】>【申请取消】来找到相应订单”。如果因库存不足无法配送,请改选【无库存】作为原因取消订单。',
  },
  sellerCanceledNotCounted: {
    en: 'Cancelled {quantity} unit(s) with the reason {reason} on the buyer\'s official request; this does not count against your Cancellation Rate. Amazon emails you and the buyer.',
    'zh-CN': '已应买家的正式申请以原因 {reason} 取消 {quantity} 件商品;这不会计入您的取消率。亚马逊会分别向您和买家发送确认邮件。',
  },
  sellerCanceledCounted: {
    en: 'Cancelled {quantity} unit(s) with the reason {reason}; this counts against your Cancellation Rate. Amazon emails you and the buyer.',
    'zh-CN': '已以原因 {reason} 取消 {quantity} 件商品;这会计入您的取消率。亚马逊会分别向您和买家发送确认邮件。',
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
    'zh-CN': '时间推进到 {at};订单状态为 {status}。',
  },
} satisfies Record<string, Message>;
export type OutcomeKey = keyof typeof outcomes;

function render(message: Message, params: Params): Message {
  return { en: fill(message.en, params), 'zh-CN': fill(message['zh-CN'], params) };
}

/** The guidance for a refusal code, filled with its parameters. */
export function refusalMessage(code: RefusalCode, params: Params = {}): Message {
  return render(refusals[code], params);
}

/** The message for an accepted event, filled with its parameters. */
export function outcomeMessage(key: OutcomeKey, params: Params = {}): Message {
  return render(outcomes[key], params);
}

/** Every refusal code, for docs and tests. */
export const refusalCodes = Object.keys(refusals) as RefusalCode[];
