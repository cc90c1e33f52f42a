/*
 * The inspector page's own words, in the languages every message of the package ships in. Verdict messages come
 * from the server already worded (`verdict.message[lang]`); these are the page's labels around them. They stay
 * here rather than in the domain's locale tables for now: the domain's `render` brings zod into the page's bundle
 * (through the default policy), and the command line's verdict words differ from the page's (接受 / 已接受).
 */
import type { Lang } from '../../domain/index.js';

export type { Lang };

/** The page's words, per language: the same keys in each. */
export const text = {
  en: {
    orders: 'Orders',
    waiting:
      'No orders yet. Point an actor at this server: createOrderActor(input, { inspect: connectInspector(url).inspect }), or open a recorded order.',
    waitingUrl: 'WebSocket address',
    live: 'live',
    recording: 'recording',
    disconnected: 'disconnected',
    state: 'State',
    step: 'Step',
    of: 'of',
    first: 'First step',
    previous: 'Previous step',
    next: 'Next step',
    last: 'Last step',
    follow: 'Follow live',
    timeline: 'Timeline',
    accepted: 'accepted',
    refused: 'refused',
    created: 'order created',
    joined: 'inspector joined',
    effects: 'Effects',
    changes: 'Context changes',
    context: 'Context after this step',
    pending: 'waiting for the app’s snapshot',
    load: 'Open recording…',
    connected: 'connected',
    connecting: 'connecting…',
    lost: 'disconnected, retrying…',
    afterPurchase: 'after purchase',
    orderId: 'Order',
    filterId: 'Filter by order id',
    allStates: 'All states',
    refusedOnly: 'Refused only',
    shown: 'shown',
    deadlines: 'Deadlines',
    buyerCancelUntil: 'Buyer may cancel until',
    latestShipDate: 'Latest ship date',
    autoCancelAt: 'Auto-cancel at',
    passed: 'passed',
    open: 'open',
    atThisStep: 'at this step',
    ago: 'ago',
    in: 'in',
    activity: 'Activity',
    noActivity: 'No dropped connections or ignored messages.',
    export: 'Export recording',
    exportJoined: 'The inspector joined this order after it started, so its events cannot be replayed from the input.',
    close: 'Dismiss',
    zoomIn: 'Zoom in',
    zoomOut: 'Zoom out',
    fit: 'Fit',
    readable: 'Readable',
    pageLost: 'Lost the connection to the inspector server; reconnecting.',
    pageBack: 'Connected to the inspector server.',
    noSteps: 'No step matches the filter.',
    late: 'late: judged at the order’s clock',
    duplicate: 'duplicate: already applied',
    conflict: 'conflict with local history',
    stored: 'Stored orders',
    more: 'More',
    noStored: 'No stored order matches.',
    filterStored: 'Search stored orders by id',
    colon: ': ',
  },
  'zh-CN': {
    orders: '订单',
    waiting:
      '暂无订单。请将 actor 指向本服务器：createOrderActor(input, { inspect: connectInspector(url).inspect })，或打开一个录制的订单。',
    waitingUrl: 'WebSocket 地址',
    live: '实时',
    recording: '录制',
    disconnected: '已断开',
    state: '状态',
    step: '步骤',
    of: '/',
    first: '第一步',
    previous: '上一步',
    next: '下一步',
    last: '最后一步',
    follow: '跟随实时',
    timeline: '时间线',
    accepted: '已接受',
    refused: '已拒绝',
    created: '订单已创建',
    joined: '检查器已连接',
    effects: '副作用',
    changes: '上下文变化',
    context: '此步骤后的上下文',
    pending: '等待应用的快照',
    load: '打开录制…',
    connected: '已连接',
    connecting: '连接中…',
    lost: '已断开，正在重试…',
    afterPurchase: '下单后',
    orderId: '订单',
    filterId: '按订单号筛选',
    allStates: '全部状态',
    refusedOnly: '仅显示被拒绝',
    shown: '已显示',
    deadlines: '截止时间',
    buyerCancelUntil: '买家可取消至',
    latestShipDate: '最晚发货日期',
    autoCancelAt: '自动取消时间',
    passed: '已过',
    open: '未到',
    atThisStep: '此步骤时',
    ago: '前',
    in: '还有',
    activity: '活动',
    noActivity: '没有断开的连接或被忽略的消息。',
    export: '导出录制',
    exportJoined: '检查器在该订单开始后才连接，无法从输入重放其事件。',
    close: '关闭',
    zoomIn: '放大',
    zoomOut: '缩小',
    fit: '适应',
    readable: '清晰',
    pageLost: '与检查器服务器的连接已断开；正在重连。',
    pageBack: '已连接到检查器服务器。',
    noSteps: '没有符合筛选条件的步骤。',
    late: '迟到：按订单时钟判定',
    duplicate: '重复：已应用过',
    conflict: '与本地历史冲突',
    stored: '已存储的订单',
    more: '更多',
    noStored: '没有匹配的已存储订单。',
    filterStored: '按编号搜索已存储订单',
    colon: '：',
  },
} as const;

/** A key of the page's words, e.g. `'accepted'`. */
export type TextKey = keyof (typeof text)['en'];

/**
 * The page's word for `key` in `lang`.
 * @example
 * word('zh-CN', 'refused'); // '已拒绝'
 */
export function word(lang: Lang, key: TextKey): string {
  return text[lang][key];
}

/** The language a stored choice names: `zh-CN` when it says so, English otherwise. */
export function langOf(choice: string | null | undefined): Lang {
  return choice === 'zh-CN' ? 'zh-CN' : 'en';
}
