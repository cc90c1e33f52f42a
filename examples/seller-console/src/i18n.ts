import { formatDateTime, formatDuration, reasonNames, statusNames, type Lang, type OrderStatus } from 'order-lifecycle';

/** The page's own words; what the machine says (verdicts) comes in both languages from order-lifecycle. */
const words = {
  title: { en: 'Seller console', 'zh-CN': '卖家订单控制台' },
  subtitle: {
    en: 'Each order is a live order-lifecycle actor: buttons are enabled exactly when the machine accepts the action.',
    'zh-CN': '每个订单都是一个运行中的 order-lifecycle actor：只有状态机接受的操作，按钮才可用。',
  },
  newOrder: { en: 'New order', 'zh-CN': '新订单' },
  reset: { en: 'Reset demo', 'zh-CN': '重置演示' },
  items: { en: 'Items', 'zh-CN': '商品' },
  ordered: { en: 'ordered', 'zh-CN': '订购' },
  canceled: { en: 'canceled', 'zh-CN': '已取消' },
  toCancel: { en: 'to cancel', 'zh-CN': '取消数量' },
  placedAt: { en: 'Placed', 'zh-CN': '下单时间' },
  buyerWindow: { en: 'Buyer can cancel until', 'zh-CN': '买家可自行取消至' },
  autoCancel: { en: 'Auto-cancel unless shipped by', 'zh-CN': '未发货将自动取消于' },
  left: { en: '{time} left', 'zh-CN': '剩余 {time}' },
  chooseQuantity: {
    en: 'Choose a quantity to cancel for at least one item.',
    'zh-CN': '请至少为一件商品填写取消数量。',
  },
  seller: { en: 'Seller', 'zh-CN': '卖家' },
  buyer: { en: 'Buyer (simulated)', 'zh-CN': '买家（模拟）' },
  generateLabel: { en: 'Buy shipping label', 'zh-CN': '购买货件标签' },
  voidLabel: { en: 'Void label', 'zh-CN': '作废标签' },
  confirmShipment: { en: 'Confirm shipment', 'zh-CN': '确认发货' },
  cancelOrder: { en: 'Cancel order', 'zh-CN': '取消订单' },
  cancelItems: { en: 'Cancel selected items', 'zh-CN': '取消所选商品' },
  reason: { en: 'Reason', 'zh-CN': '原因' },
  buyerCancel: { en: 'Buyer cancels', 'zh-CN': '买家取消' },
  buyerRequest: { en: 'Official cancellation request', 'zh-CN': '正式取消申请' },
  buyerMessage: { en: 'Buyer asks by message', 'zh-CN': '买家发消息要求取消' },
  requestBanner: { en: 'The buyer requested cancellation of', 'zh-CN': '买家申请取消' },
  requestAdvice: {
    en: 'Cancel the requested items with the reason Buyer Canceled: a cancellation the buyer officially requested does not count against your Cancellation Rate.',
    'zh-CN': '请以“买家取消”为原因取消所申请的商品：买家正式申请的取消不计入您的取消率。',
  },
  ended: {
    en: 'This order has ended ({status}): nothing on it can change any more.',
    'zh-CN': '该订单已结束（{status}）：无法再做任何更改。',
  },
  byBuyer: { en: 'buyer', 'zh-CN': '买家' },
  bySeller: { en: 'seller', 'zh-CN': '卖家' },
  bySystem: { en: 'Amazon (automatic)', 'zh-CN': '亚马逊（自动）' },
  byUnknown: { en: 'unknown', 'zh-CN': '未知' },
  cancelRequested: { en: 'Cancel requested items (Buyer Canceled)', 'zh-CN': '取消所申请的商品（买家取消）' },
  openInspector: { en: 'Open in inspector', 'zh-CN': '在检查器中打开' },
  inspectorOff: { en: 'Inspector not running', 'zh-CN': '检查器未运行' },
  cancellations: { en: 'Cancellations', 'zh-CN': '取消记录' },
  countsAgainstRate: { en: 'counts against Cancellation Rate', 'zh-CN': '计入取消率' },
  doesNotCount: { en: 'does not count', 'zh-CN': '不计入取消率' },
  restoreFailed: { en: 'Could not restore a saved order', 'zh-CN': '无法恢复已保存的订单' },
  dismiss: { en: 'Dismiss', 'zh-CN': '关闭' },
  empty: { en: 'No orders. Add one with "New order".', 'zh-CN': '没有订单。点击“新订单”添加。' },
} satisfies Record<string, Record<Lang, string>>;

export type Word = keyof typeof words;

/** The page's word for `key` in `lang`. */
export const t = (lang: Lang, key: Word): string => words[key][lang];

/** The package's own names of the states, so the page says what the CLI and the inspector say. */
export const statusName = (lang: Lang, status: OrderStatus): string => statusNames[status]![lang];

/** The package's own names of the cancel reasons (the seed's in Chinese), not their codes. */
export const reasonName = (lang: Lang, reason: string): string => reasonNames[reason]?.[lang] ?? reason;

/** Who cancelled, in the page's words. */
export const partyName = (lang: Lang, by: string): string =>
  t(lang, by === 'buyer' ? 'byBuyer' : by === 'seller' ? 'bySeller' : by === 'system' ? 'bySystem' : 'byUnknown');

/**
 * "19 min 59 sec left", "2 days 3 hr left" (剩余 2天3小时): the package's one duration formatter, in its two largest
 * units; null once the instant has passed.
 */
export function countdown(lang: Lang, until: number, now: number): string | null {
  const ms = until - now;
  if (ms <= 0) return null;
  return t(lang, 'left').replace('{time}', formatDuration(ms, lang, 2));
}

/** A local date and time, as the package writes every instant for people (the inspector writes the same). */
export const formatTime = (_lang: Lang, at: number): string => formatDateTime(at);
