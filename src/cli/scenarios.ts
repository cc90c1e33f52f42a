import type { Message, OrderEventInput, OrderInput, RefusalCode } from '../domain/index.js';

/** A scripted order that shows one rule: its events and the verdict code each must get (null = accepted). */
export interface Scenario {
  id: string;
  title: Message;
  input: OrderInput;
  events: Array<{ event: OrderEventInput; expect: RefusalCode | null }>;
  /** The status the order must end in. */
  endsIn: string;
}

const placedAt = '2026-11-26T10:00:00+08:00';
const latestShipDate = '2026-11-28T23:59:59+08:00';
const at = (minutes: number) => new Date(Date.parse(placedAt) + minutes * 60_000).toISOString();
const order = (orderId: string, extra: Partial<OrderInput> = {}): OrderInput => ({
  orderId,
  placedAt,
  latestShipDate,
  items: [
    { orderItemId: 'ITEM-A', sku: 'MUG-RED', quantity: 2 },
    { orderItemId: 'ITEM-B', sku: 'MUG-BLUE', quantity: 1 },
  ],
  ...extra,
});
const officialSubject = 'Order cancellation request from Amazon customer Li Lei (Order: 113-0000001-0000001)';

/** One order per rule of docs/rules.md, walked by `npm start`. */
export const scenarios: Scenario[] = [
  {
    id: 'R1',
    title: { en: 'The buyer cancels within 30 minutes of purchase', 'zh-CN': '买家在下单后 30 分钟内自行取消订单' },
    input: order('113-0000001-0000001'),
    events: [{ event: { type: 'buyer.cancel', at: at(29) }, expect: null }],
    endsIn: 'canceled',
  },
  {
    id: 'R2',
    title: {
      en: 'After 30 minutes the buyer can only request a cancellation',
      'zh-CN': '30 分钟后买家只能申请取消订单',
    },
    input: order('113-0000002-0000002'),
    events: [{ event: { type: 'buyer.cancel', at: at(30) }, expect: 'BUYER_WINDOW_CLOSED' }],
    endsIn: 'unshipped',
  },
  {
    id: 'R3',
    title: {
      en: 'While the order is pending the seller can neither cancel nor ship',
      'zh-CN': '订单等待中时卖家既不能取消也不能发货',
    },
    input: order('113-0000003-0000003'),
    events: [
      { event: { type: 'seller.cancel', at: at(10), reason: 'NoInventory' }, expect: 'ORDER_PENDING' },
      { event: { type: 'seller.generateLabel', at: at(11) }, expect: 'ORDER_PENDING' },
      { event: { type: 'seller.confirmShipment', at: at(12) }, expect: 'ORDER_PENDING' },
    ],
    endsIn: 'buyer-cancellable',
  },
  {
    id: 'R4',
    title: {
      en: 'Standard process: an official request, cancelled as Buyer Canceled, does not count',
      'zh-CN': '标准流程：正式申请并以【买家取消】取消，不影响指标',
    },
    input: order('113-0000004-0000004'),
    events: [
      {
        event: { type: 'buyer.requestCancellation', at: at(45), source: 'message', subject: officialSubject },
        expect: null,
      },
      { event: { type: 'seller.cancel', at: at(50), reason: 'BuyerCanceled' }, expect: null },
    ],
    endsIn: 'canceled',
  },
  {
    id: 'R5',
    title: {
      en: 'A request without the standard subject: ask for an official one, or the cancel counts',
      'zh-CN': '没有标准主题行的申请：请买家提交正式申请，否则取消会影响指标',
    },
    input: order('113-0000005-0000005'),
    events: [
      {
        event: { type: 'buyer.requestCancellation', at: at(45), source: 'message', subject: 'please cancel my order' },
        expect: null,
      },
      { event: { type: 'seller.cancel', at: at(50), reason: 'BuyerCanceled' }, expect: null },
    ],
    endsIn: 'canceled',
  },
  {
    id: 'R6',
    title: {
      en: 'No inventory: cancel with the reason No Inventory (it counts)',
      'zh-CN': '库存不足：以【无库存】为原因取消（会影响指标）',
    },
    input: order('113-0000006-0000006'),
    events: [{ event: { type: 'seller.cancel', at: at(60), reason: 'NoInventory' }, expect: null }],
    endsIn: 'canceled',
  },
  {
    id: 'R7',
    title: {
      en: 'With a shipping label nobody can cancel: ask the buyer to return the item',
      'zh-CN': '已生成货件标签后无法取消：请买家通过退货获得退款',
    },
    input: order('113-0000007-0000007'),
    events: [
      { event: { type: 'seller.generateLabel', at: at(40) }, expect: null },
      { event: { type: 'buyer.requestCancellation', at: at(41), source: 'order-flag' }, expect: 'LABEL_GENERATED' },
      { event: { type: 'seller.cancel', at: at(42), reason: 'BuyerCanceled' }, expect: 'LABEL_GENERATED' },
    ],
    endsIn: 'label-generated',
  },
  {
    id: 'R8',
    title: { en: 'Voiding the label does not reopen cancellation', 'zh-CN': '作废货件标签不会恢复取消' },
    input: order('113-0000008-0000008'),
    events: [
      { event: { type: 'seller.generateLabel', at: at(40) }, expect: null },
      { event: { type: 'seller.voidLabel', at: at(41) }, expect: null },
      { event: { type: 'seller.cancel', at: at(42), reason: 'NoInventory' }, expect: 'LABEL_GENERATED' },
    ],
    endsIn: 'label-generated',
  },
  {
    id: 'R9',
    title: {
      en: 'Shipped and confirmed: tell the buyer it is on its way and to return it',
      'zh-CN': '已发货并确认：告诉买家订单已在途中，请退货退款',
    },
    input: order('113-0000009-0000009'),
    events: [
      { event: { type: 'seller.confirmShipment', at: at(90) }, expect: null },
      { event: { type: 'buyer.requestCancellation', at: at(95), source: 'order-flag' }, expect: 'ALREADY_SHIPPED' },
      { event: { type: 'seller.cancel', at: at(96), reason: 'BuyerCanceled' }, expect: 'ALREADY_SHIPPED' },
    ],
    endsIn: 'shipped',
  },
  {
    id: 'R10',
    title: {
      en: 'A cancellation cannot be undone: invite the buyer to order again',
      'zh-CN': '取消无法撤销：鼓励买家重新下单',
    },
    input: order('113-0000010-0000010'),
    events: [
      { event: { type: 'seller.cancel', at: at(60), reason: 'PricingError' }, expect: null },
      { event: { type: 'seller.confirmShipment', at: at(61) }, expect: 'ALREADY_CANCELED' },
    ],
    endsIn: 'canceled',
  },
  {
    id: 'R11',
    title: {
      en: 'Partial cancellation reduces what remains; cancelling the rest cancels the order',
      'zh-CN': '部分取消减少剩余数量；取消全部剩余商品即取消订单',
    },
    input: order('113-0000011-0000011'),
    events: [
      {
        event: {
          type: 'seller.cancel',
          at: at(60),
          reason: 'NoInventory',
          items: [{ orderItemId: 'ITEM-A', quantity: 1 }],
        },
        expect: null,
      },
      {
        event: {
          type: 'seller.cancel',
          at: at(61),
          reason: 'NoInventory',
          items: [{ orderItemId: 'ITEM-A', quantity: 2 }],
        },
        expect: 'QUANTITY_EXCEEDS_REMAINING',
      },
      {
        event: {
          type: 'seller.cancel',
          at: at(62),
          reason: 'NoInventory',
          items: [{ orderItemId: 'ITEM-Z', quantity: 1 }],
        },
        expect: 'UNKNOWN_ITEM',
      },
      {
        event: {
          type: 'seller.cancel',
          at: at(63),
          reason: 'NoInventory',
          items: [
            { orderItemId: 'ITEM-A', quantity: 1 },
            { orderItemId: 'ITEM-B', quantity: 1 },
          ],
        },
        expect: null,
      },
    ],
    endsIn: 'canceled',
  },
  {
    id: 'R12',
    title: {
      en: 'Not ship-confirmed 7 days after the latest ship date: Amazon cancels (a label does not stop it)',
      'zh-CN': '最晚发货日期后 7 天仍未确认发货：亚马逊自动取消（已有标签也一样）',
    },
    input: order('113-0000012-0000012'),
    events: [
      { event: { type: 'seller.generateLabel', at: at(40) }, expect: null },
      { event: { type: 'clock.tick', at: '2026-12-05T23:59:58.999+08:00' }, expect: null },
      { event: { type: 'seller.confirmShipment', at: '2026-12-05T23:59:59+08:00' }, expect: 'ALREADY_CANCELED' },
    ],
    endsIn: 'auto-canceled',
  },
  {
    id: 'R13',
    title: { en: 'Fulfilled by Amazon: the seller cannot cancel', 'zh-CN': '亚马逊配送订单：卖家无法取消' },
    input: order('113-0000013-0000013', { fulfillmentChannel: 'AFN' }),
    events: [{ event: { type: 'seller.cancel', at: at(60), reason: 'BuyerCanceled' }, expect: 'FULFILLED_BY_AMAZON' }],
    endsIn: 'unshipped',
  },
  {
    id: 'R14',
    title: { en: 'An event before the order was placed is refused', 'zh-CN': '早于下单时间的事件被拒绝' },
    input: order('113-0000014-0000014'),
    events: [{ event: { type: 'buyer.cancel', at: at(-1) }, expect: 'EVENT_BEFORE_PLACEMENT' }],
    endsIn: 'buyer-cancellable',
  },
];
