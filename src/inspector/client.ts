/*
 * The inspector page's script. `inspectorClient` runs in the browser: the server sends its source text
 * (`inspectorClient.toString()`), so it must not use anything from this module's scope but types.
 */
import type { ContextChange, OrderChange, OrderView, StepView } from './orders.js';

/** What the server tells the page: where to connect, how states nest, and the states' names. */
export interface ClientConfig {
  socketPath: string;
  /** State key to its parent compound state's key, e.g. `{ unshipped: 'placed' }`. */
  parents: Record<string, string>;
  /** Edge ids drawn under another edge's id (a state's self-loops share one drawn loop). */
  edgeAliases: Record<string, string>;
  /** The states an order can be in, key to the product brief's name, e.g. `{ labelGenerated: 'label-generated' }`. */
  statuses: Record<string, string>;
  /** Whether the server has an order store to list (`inspect --db` or `--database-url`). */
  stored?: boolean;
}

/** One line of the page's activity panel: an app connection opened or dropped, or an ignored message. */
export interface ActivityEntry {
  at: number;
  kind: 'connected' | 'dropped' | 'ignored';
  message: string;
}

/** Messages the server sends to the page; each WebSocket frame is a JSON array of them. */
export type ServerMessage =
  | { type: 'orders'; orders: OrderView[]; activity: ActivityEntry[] }
  | OrderChange
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'loaded'; ids: string[] }
  | { type: 'error'; message: string };

export function inspectorClient(config: ClientConfig): void {
  type Lang = 'en' | 'zh-CN';
  const text = {
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
      exportJoined:
        'The inspector joined this order after it started, so its events cannot be replayed from the input.',
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
    },
    'zh-CN': {
      orders: '订单',
      waiting:
        '暂无订单。请将 actor 指向本服务器:createOrderActor(input, { inspect: connectInspector(url).inspect }),或打开一个录制的订单。',
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
      lost: '已断开,正在重试…',
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
      exportJoined: '检查器在该订单开始后才连接,无法从输入重放其事件。',
      close: '关闭',
      zoomIn: '放大',
      zoomOut: '缩小',
      fit: '适应',
      readable: '清晰',
      pageLost: '与检查器服务器的连接已断开;正在重连。',
      pageBack: '已连接到检查器服务器。',
      noSteps: '没有符合筛选条件的步骤。',
      late: '迟到:按订单时钟判定',
      duplicate: '重复:已应用过',
      conflict: '与本地历史冲突',
      stored: '已存储的订单',
      more: '更多',
      noStored: '没有匹配的已存储订单。',
      filterStored: '按编号搜索已存储订单',
    },
  } as const;
  type TextKey = keyof (typeof text)['en'];

  const orders = new Map<string, OrderView>();
  /** The step shown for each order; absent means "the latest" (follow live). */
  const cursors = new Map<string, number>();
  const charts = new Map<string, Promise<string>>();
  /** The server's activity (app connections, ignored messages) and the page's own (its connection). */
  let serverActivity: ActivityEntry[] = [];
  const pageActivity: ActivityEntry[] = [];
  const openPaths = new Set<string>(['items']);
  let selected: string | null = null;
  /**
   * The order named in the address (`#order=<order id>`, as an app links to it) until the page has it to show:
   * it may arrive later over the live stream. Null once shown, or when the user picks another order.
   */
  let wanted: string | null = readHash();
  let lang: Lang = readLang();
  let socketState: 'connected' | 'connecting' | 'lost' = 'connecting';
  let drawnChart: string | null = null;
  let notice: string | null = null;
  let zoom: number | null = null;
  let shownState = '';
  const filters = { id: '', state: '', refused: false };

  // What changed since the last frame: orders whose list entry needs redrawing, steps of the shown order.
  const dirtyOrders = new Set<string>();
  const dirtySteps = new Set<number>();
  let fullRender = true;
  let scheduled = false;

  function readHash(): string | null {
    return new URLSearchParams(location.hash.slice(1)).get('order') || null;
  }

  /** The order an address names: a view's own id, else its order id (a connected live actor first, then the latest seen). */
  function named(name: string): OrderView | undefined {
    const exact = orders.get(name);
    if (exact) return exact;
    const same = [...orders.values()].filter((order) => order.orderId === name).reverse();
    return same.find((order) => order.source === 'live' && !order.disconnected) ?? same[0];
  }

  /** Selects the order the address names once it is there. */
  function resolveWanted(): void {
    if (wanted === null) return;
    const order = named(wanted);
    if (!order) return;
    wanted = null;
    if (selected !== order.id) {
      selected = order.id;
      fullRender = true;
    }
  }

  /** Puts the selected order in the address (replacing, not adding, a history entry), unless a named order is awaited. */
  function writeHash(): void {
    const order = selected === null ? undefined : orders.get(selected);
    if (wanted !== null || !order) return;
    // The order id when it leads back to this view; otherwise the view's own id (a recording or a second actor).
    const hash = `#order=${encodeURIComponent(named(order.orderId) === order ? order.orderId : order.id)}`;
    if (location.hash !== hash) history.replaceState(null, '', hash);
  }

  function readLang(): Lang {
    try {
      return localStorage.getItem('order-lifecycle.lang') === 'zh-CN' ? 'zh-CN' : 'en';
    } catch {
      return 'en';
    }
  }

  const t = (key: TextKey): string => text[lang][key];

  function h<K extends keyof HTMLElementTagNameMap>(
    tag: K,
    attrs: Record<string, string | number | boolean | ((event: Event) => void) | undefined> = {},
    ...children: Array<Node | string | null | undefined | false>
  ): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === false) continue;
      if (typeof value === 'function') element.addEventListener(name.slice(2), value);
      else if (name === 'className') element.className = String(value);
      else element.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
    return element;
  }

  const $ = (id: string) => document.getElementById(id)!;
  const pad = (n: number) => String(n).padStart(2, '0');

  /** An instant in the browser's time zone: `2026-12-05 23:59:59 GMT+8`. */
  function localDate(ms: number): string {
    const date = new Date(ms);
    const offset = -date.getTimezoneOffset();
    const zone = `GMT${offset >= 0 ? '+' : '-'}${Math.floor(Math.abs(offset) / 60)}${Math.abs(offset) % 60 ? `:${pad(Math.abs(offset) % 60)}` : ''}`;
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
  }

  /** `9 d 12 h 3 min 5 s`: the largest three units of a duration. */
  function duration(ms: number): string {
    let rest = Math.floor(Math.abs(ms) / 1000);
    const parts: string[] = [];
    for (const [unit, size] of [
      ['d', 86_400],
      ['h', 3_600],
      ['min', 60],
      ['s', 1],
    ] as const) {
      const n = Math.floor(rest / size);
      rest -= n * size;
      if (n > 0 || (unit === 's' && parts.length === 0)) parts.push(`${n} ${unit}`);
    }
    return parts.slice(0, 3).join(' ');
  }

  function countdown(deadline: number): string {
    const left = deadline - Date.now();
    return left > 0
      ? `${t('in')} ${duration(left)}`
      : lang === 'zh-CN'
        ? `${duration(left)}${t('ago')}`
        : `${duration(left)} ${t('ago')}`;
  }

  /** Whether a context value is an instant: an epoch-ms number under a key such as `placedAt`, `buyerCancelUntil`, `clock`. */
  function isInstant(key: string | number | undefined, value: unknown): value is number {
    return (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value > 946_684_800_000 &&
      value < 4_102_444_800_000 &&
      /(^at$|At$|Until$|Date$|^clock$)/.test(String(key ?? ''))
    );
  }

  function formatAt(at: number | null, placedAt: number): string {
    if (at === null) return '';
    const minutes = Math.round((at - placedAt) / 60_000);
    const relative =
      Math.abs(minutes) < 120
        ? `${minutes} min`
        : Math.abs(minutes) < 48 * 60
          ? `${(minutes / 60).toFixed(1)} h`
          : `${(minutes / 1440).toFixed(1)} d`;
    return `${localDate(at)} · ${minutes >= 0 ? '+' : ''}${relative} ${t('afterPurchase')}`;
  }

  // ---- values: dates as dates, objects as expandable trees ----------------------------------------

  function leaf(value: unknown, key?: string | number): HTMLElement {
    if (isInstant(key, value))
      return h(
        'time',
        {
          className: 'value date',
          datetime: new Date(value).toISOString(),
          title: `${new Date(value).toISOString()} (${value})`,
        },
        localDate(value),
      );
    if (value === undefined) return h('span', { className: 'value none' }, '—');
    const kind = value === null ? 'null' : typeof value;
    return h('span', { className: `value ${kind}` }, JSON.stringify(value) ?? String(value));
  }

  /** A short preview of a value for a collapsed tree node (opening it shows every field in full). */
  function preview(value: object): string {
    if (Array.isArray(value)) {
      if (value.length === 0) return '[]';
      const first =
        typeof value[0] === 'object' && value[0] !== null
          ? preview(value[0] as object)
          : (JSON.stringify(value[0]) ?? '');
      return `[${value.length}] ${first.length > 60 ? `${first.slice(0, 59)}…` : first}${value.length > 1 ? ', …' : ''}`;
    }
    const text =
      JSON.stringify(value, (name: string, inner: unknown) => (isInstant(name, inner) ? localDate(inner) : inner)) ??
      '';
    return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
  }

  /**
   * A value as a tree: objects and arrays are `<details>`, their children built when first opened (a
   * context's history can be long), and their open state kept across redraws (by `path`).
   */
  function valueTree(value: unknown, key: string | number | undefined, path: string): HTMLElement {
    if (typeof value !== 'object' || value === null) return leaf(value, key);
    const details = h(
      'details',
      { className: 'tree', 'data-path': path },
      h('summary', {}, h('span', { className: 'summary-size' }, preview(value))),
    );
    let built = false;
    const build = () => {
      if (built) return;
      built = true;
      const entries = Array.isArray(value)
        ? value.map((inner, index) => [index, inner] as const)
        : Object.entries(value);
      details.append(
        h(
          'ul',
          {},
          ...entries.map(([name, inner]) =>
            h(
              'li',
              { 'data-key': String(name) },
              h('span', { className: 'key' }, `${String(name)}: `),
              valueTree(inner, name, path ? `${path}.${String(name)}` : String(name)),
            ),
          ),
        ),
      );
    };
    if (openPaths.has(path)) {
      build();
      details.open = true;
    }
    details.addEventListener('toggle', () => {
      if (details.open) {
        build();
        openPaths.add(path);
      } else openPaths.delete(path);
    });
    return details;
  }

  function contextTree(context: Record<string, unknown>): HTMLElement {
    return h(
      'ul',
      { className: 'tree root' },
      ...Object.entries(context).map(([name, value]) =>
        h('li', { 'data-key': name }, h('span', { className: 'key' }, `${name}: `), valueTree(value, name, name)),
      ),
    );
  }

  // ---- orders and steps -----------------------------------------------------------------------------

  function applyChanges(context: unknown, changes: readonly ContextChange[]): void {
    for (const change of changes) {
      if (change.keys.length === 0) continue;
      let holder = context as Record<string | number, unknown>;
      for (const key of change.keys.slice(0, -1)) {
        // Own properties only, defined rather than assigned: a key such as `__proto__` is data here.
        const inner = Object.hasOwn(holder, key) ? holder[key] : undefined;
        if (typeof inner !== 'object' || inner === null)
          Object.defineProperty(holder, key, {
            value: typeof key === 'number' ? [] : {},
            writable: true,
            enumerable: true,
            configurable: true,
          });
        holder = holder[key] as Record<string | number, unknown>;
      }
      const last = change.keys[change.keys.length - 1]!;
      if ('after' in change)
        Object.defineProperty(holder, last, {
          value: change.after,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      else if (Array.isArray(holder) && typeof last === 'number') holder.length = Math.min(holder.length, last);
      else delete holder[last];
    }
  }

  /** The last context computed, so following a live order applies only the new steps' changes. */
  let contextCache: { order: OrderView; index: number; context: Record<string, unknown>; version: number } | null =
    null;
  let contextVersion = 0;

  function contextAt(order: OrderView, index: number): Record<string, unknown> {
    const cached = contextCache;
    if (cached && cached.order === order && cached.version === contextVersion && cached.index <= index) {
      for (let i = cached.index + 1; i <= index; i += 1) applyChanges(cached.context, order.steps[i]!.changes);
      cached.index = index;
      return structuredClone(cached.context);
    }
    const context = structuredClone(order.context) as unknown as Record<string, unknown>;
    for (let i = 1; i <= index; i += 1) applyChanges(context, order.steps[i]!.changes);
    contextCache = { order, index, context, version: contextVersion };
    return structuredClone(context);
  }

  function cursorOf(order: OrderView): number {
    const cursor = cursors.get(order.id);
    return cursor === undefined ? order.steps.length - 1 : Math.min(cursor, order.steps.length - 1);
  }

  function setCursor(order: OrderView, index: number): void {
    const bounded = Math.max(0, Math.min(index, order.steps.length - 1));
    if (order.source === 'live' && bounded === order.steps.length - 1) cursors.delete(order.id);
    else cursors.set(order.id, bounded);
    schedule();
  }

  const hasRefusal = (order: OrderView) => order.steps.some((step) => !step.verdict.accepted);

  function matches(order: OrderView): boolean {
    const id = filters.id.trim().toLowerCase();
    if (id && !order.orderId.toLowerCase().includes(id) && !order.name.toLowerCase().includes(id)) return false;
    if (filters.state && order.steps[order.steps.length - 1]!.state !== filters.state) return false;
    if (filters.refused && !hasRefusal(order)) return false;
    return true;
  }

  // ---- chart -------------------------------------------------------------------------------------

  function chartKey(order: OrderView): string {
    return `buyerCancelWindowMs=${order.policy.buyerCancelWindowMs}&autoCancelAfterMs=${order.policy.autoCancelAfterMs}`;
  }

  function loadChart(key: string): Promise<string> {
    let chart = charts.get(key);
    if (!chart) {
      chart = fetch(`/chart.svg?${key}`).then((response) => {
        if (!response.ok) throw new Error(`chart request failed with HTTP ${response.status}`);
        return response.text();
      });
      charts.set(key, chart);
    }
    return chart;
  }

  /** The SVG's own size in CSS px at 100 % (Graphviz writes points). */
  function naturalSize(svg: SVGSVGElement): { width: number; height: number } {
    const box = svg.viewBox.baseVal;
    return { width: (box.width * 4) / 3, height: (box.height * 4) / 3 };
  }

  /** The zoom that shows the whole chart in its pane. */
  function wholeZoom(): number {
    const holder = $('chart');
    const svg = holder.querySelector('svg');
    if (!svg) return 1;
    const size = naturalSize(svg);
    return Math.min((holder.clientWidth - 20) / size.width, (holder.clientHeight - 20) / size.height);
  }

  /** The default zoom: the whole chart if it fits, but never so small that edge labels drop under 12 px. */
  function fitZoom(): number {
    return Math.max(0.75, Math.min(1, wholeZoom()));
  }

  function applyZoom(): void {
    const holder = $('chart');
    const svg = holder.querySelector('svg');
    if (!svg) return;
    const size = naturalSize(svg);
    const value = zoom ?? fitZoom();
    svg.setAttribute('width', `${Math.round(size.width * value)}px`);
    svg.setAttribute('height', `${Math.round(size.height * value)}px`);
    $('zoom-level').textContent = `${Math.round(value * 100)} %`;
  }

  function setZoom(value: number | null): void {
    const holder = $('chart');
    const before = zoom ?? fitZoom();
    zoom = value === null ? null : Math.max(0.3, Math.min(4, value));
    // Keep the point at the centre of the pane where it was.
    const cx = (holder.scrollLeft + holder.clientWidth / 2) / before;
    const cy = (holder.scrollTop + holder.clientHeight / 2) / before;
    applyZoom();
    const after = zoom ?? fitZoom();
    holder.scrollLeft = cx * after - holder.clientWidth / 2;
    holder.scrollTop = cy * after - holder.clientHeight / 2;
  }

  function drawChart(order: OrderView | undefined): void {
    const holder = $('chart');
    if (!order) {
      holder.replaceChildren();
      drawnChart = null;
      return;
    }
    const key = chartKey(order);
    if (drawnChart !== key) {
      drawnChart = key;
      holder.setAttribute('aria-busy', 'true');
      void loadChart(key).then(
        (svg) => {
          if (drawnChart !== key) return;
          // The SVG comes from this server's Graphviz rendering of the machine, not from an app.
          holder.innerHTML = svg;
          holder.removeAttribute('aria-busy');
          applyZoom();
          highlight();
        },
        (error: Error) => {
          holder.textContent = error.message;
        },
      );
      return;
    }
    highlight();
  }

  function highlight(): void {
    const holder = $('chart');
    for (const element of Array.from(holder.querySelectorAll('.active, .taken')))
      element.classList.remove('active', 'taken');
    const order = selected === null ? undefined : orders.get(selected);
    if (!order) return;
    const index = cursorOf(order);
    const step = order.steps[index]!;
    for (let key: string | undefined = step.state; key !== undefined; key = config.parents[key]) {
      document.getElementById(`state-${key}`)?.classList.add('active');
    }
    const node = document.getElementById(`state-${step.state}`);
    if (node && shownState !== `${order.id}/${step.state}`) {
      shownState = `${order.id}/${step.state}`;
      // Bring the state into view when it changes (the chart may be wider than its pane); leave panning alone otherwise.
      const box = node.getBoundingClientRect();
      const pane = holder.getBoundingClientRect();
      if (box.left < pane.left || box.right > pane.right)
        holder.scrollLeft += box.left + box.width / 2 - (pane.left + pane.width / 2);
      if (box.top < pane.top || box.bottom > pane.bottom)
        holder.scrollTop += box.top + box.height / 2 - (pane.top + pane.height / 2);
    }
    const previous = order.steps[index - 1];
    if (!previous || !step.event) return;
    // A refused event moves the order only when a deadline fell before it: that is the `*` transition.
    const moved = previous.state !== step.state;
    if (!moved && !step.verdict.accepted) return;
    const eventType = String(step.event['type']);
    const sources: string[] = [];
    for (let key: string | undefined = previous.state; key !== undefined; key = config.parents[key]) sources.push(key);
    for (const source of sources) {
      for (const type of step.verdict.accepted ? [eventType, '*'] : ['*']) {
        const id = `edge-${source}-${step.state}-${type}-0`;
        const edge = document.getElementById(config.edgeAliases[id] ?? id);
        if (edge) {
          edge.classList.add('taken');
          return;
        }
      }
    }
  }

  // ---- rendering -------------------------------------------------------------------------------

  const orderButtons = new Map<string, HTMLButtonElement>();

  function orderButton(order: OrderView): HTMLButtonElement {
    const last = order.steps[order.steps.length - 1]!;
    return h(
      'button',
      {
        type: 'button',
        className: `order${order.id === selected ? ' selected' : ''}`,
        'data-order-id': order.id,
        'data-testid': 'order',
        'data-state': last.state,
        'data-steps': order.steps.length,
        'aria-pressed': order.id === selected ? 'true' : 'false',
        title: order.session ? `${order.orderId} (${order.session})` : order.name,
        onclick: () => {
          selected = order.id;
          wanted = null;
          writeHash();
          fullRender = true;
          schedule();
        },
      },
      h('span', { className: 'order-id' }, order.orderId),
      h(
        'span',
        { className: 'order-meta' },
        h('span', { className: `badge ${order.source}` }, t(order.source)),
        order.disconnected ? h('span', { className: 'badge disconnected' }, t('disconnected')) : null,
        hasRefusal(order) ? h('span', { className: 'badge refused' }, '✗') : null,
        h('span', { className: `status status-${last.state}` }, last.status),
      ),
      order.source === 'recording' && order.name !== order.orderId
        ? h('span', { className: 'order-name' }, order.name)
        : null,
    );
  }

  function renderOrderList(): void {
    const list = $('orders');
    if (orders.size === 0) {
      orderButtons.clear();
      list.replaceChildren(
        h('p', { className: 'empty' }, t('waiting')),
        h('p', { className: 'empty' }, `${t('waitingUrl')}: `, h('code', {}, `ws://${location.host}`)),
      );
      $('filter-count').textContent = '';
      return;
    }
    if (fullRender || list.querySelector('.empty')) {
      orderButtons.clear();
      list.replaceChildren();
    }
    for (const id of Array.from(orderButtons.keys())) {
      if (!orders.has(id)) {
        orderButtons.get(id)!.remove();
        orderButtons.delete(id);
      }
    }
    for (const order of orders.values()) {
      const existing = orderButtons.get(order.id);
      if (existing && !dirtyOrders.has(order.id)) continue;
      const button = orderButton(order);
      if (existing) existing.replaceWith(button);
      else list.append(button);
      orderButtons.set(order.id, button);
    }
    let shown = 0;
    for (const [id, button] of orderButtons) {
      const order = orders.get(id)!;
      const visible = matches(order);
      button.hidden = !visible;
      if (visible) shown += 1;
      const isSelected = id === selected;
      button.classList.toggle('selected', isSelected);
      button.setAttribute('aria-pressed', String(isSelected));
    }
    $('filter-count').textContent = `${shown} / ${orders.size} ${t('shown')}`;
  }

  function stepTitle(step: StepView): string {
    if (step.kind === 'created') return t('created');
    if (step.kind === 'joined') return t('joined');
    return String(step.event?.['type'] ?? '');
  }

  function eventDetails(step: StepView): Record<string, unknown> | null {
    if (!step.event) return null;
    const { type: _type, at: _at, ...rest } = step.event;
    return Object.keys(rest).length ? rest : null;
  }

  function renderEffect(effect: StepView['effects'][number]): HTMLElement {
    const detail =
      'topic' in effect
        ? effect.topic
        : 'items' in effect
          ? effect.items.map((item) => `${item.orderItemId}×${item.quantity}`).join(', ')
          : effect.message[lang];
    return h('li', { className: 'effect' }, h('code', {}, effect.type), ' ', detail);
  }

  function renderChange(order: OrderView, step: StepView, change: ContextChange): HTMLElement {
    const key = change.keys[change.keys.length - 1];
    const base = `diff:${order.id}:${step.index}:${change.path}`;
    return h(
      'tr',
      { 'data-path': change.path },
      h('td', { className: 'path' }, change.path),
      h(
        'td',
        { className: 'before' },
        'before' in change ? valueTree(change.before, key, `${base}:before`) : leaf(undefined),
      ),
      h('td', { className: 'arrow' }, '→'),
      h(
        'td',
        { className: 'after' },
        'after' in change ? valueTree(change.after, key, `${base}:after`) : leaf(undefined),
      ),
    );
  }

  function renderStep(order: OrderView, step: StepView): HTMLElement {
    const verdict = step.verdict;
    const placedAt = order.context.placedAt;
    const details = eventDetails(step);
    return h(
      'li',
      {
        className: `step${verdict.accepted ? ' accepted' : ' refused'}`,
        'data-testid': 'step',
        'data-index': step.index,
        'data-event': step.event ? String(step.event['type']) : step.kind,
        'data-accepted': String(verdict.accepted),
        'data-code': verdict.code,
        onclick: (event: Event) => {
          // Opening a tree inside the entry is not a request to jump to it.
          if ((event.target as HTMLElement).closest('summary, details > ul')) return;
          setCursor(order, step.index);
        },
      },
      h(
        'div',
        { className: 'step-head' },
        h('span', { className: 'step-index' }, `#${step.index}`),
        h('span', { className: 'step-event' }, stepTitle(step)),
        h(
          'span',
          { className: `verdict ${verdict.accepted ? 'ok' : 'no'}`, 'data-testid': 'verdict' },
          verdict.accepted ? `✓ ${t('accepted')}` : `✗ ${t('refused')} · ${verdict.code ?? ''}`,
        ),
        ...(['late', 'duplicate', 'conflict'] as const)
          .filter((flag) => (verdict as unknown as Record<string, unknown>)[flag] === true)
          .map((flag) => h('span', { className: `badge flag ${flag}`, 'data-flag': flag }, t(flag))),
        h('span', { className: `status status-${step.state}` }, step.status),
      ),
      h('div', { className: 'step-at' }, formatAt(step.at, placedAt)),
      details
        ? h('div', { className: 'step-args' }, valueTree(details, undefined, `args:${order.id}:${step.index}`))
        : null,
      h('p', { className: 'message', 'data-testid': 'message', lang }, verdict.message[lang]),
      step.pending ? h('p', { className: 'pending' }, t('pending')) : null,
      step.mismatch ? h('p', { className: 'mismatch' }, step.mismatch) : null,
      step.effects.length
        ? h(
            'div',
            { className: 'effects' },
            h('span', { className: 'label' }, t('effects')),
            h('ul', {}, ...step.effects.map(renderEffect)),
          )
        : null,
      step.changes.length
        ? h(
            'div',
            { className: 'changes', 'data-testid': 'changes' },
            h('span', { className: 'label' }, t('changes')),
            h('table', {}, h('tbody', {}, ...step.changes.map((change) => renderChange(order, step, change)))),
          )
        : null,
    );
  }

  let timelineOrder: string | null = null;
  let stepElements: HTMLElement[] = [];
  /** The cursor and filter the step classes were last set for; only what changed is touched. */
  let classCursor = -1;
  let classFilter = false;

  function classify(element: HTMLElement, index: number, cursor: number): void {
    element.hidden = filters.refused && element.dataset['accepted'] !== 'false';
    element.classList.toggle('current', index === cursor);
    element.classList.toggle('future', index > cursor);
  }

  function renderTimeline(order: OrderView, cursor: number, following: boolean): void {
    const timeline = $('timeline');
    const rebuilt = fullRender || timelineOrder !== order.id;
    if (rebuilt) {
      timelineOrder = order.id;
      stepElements = order.steps.map((step) => renderStep(order, step));
      timeline.replaceChildren(...stepElements);
    } else if (dirtySteps.size) {
      const appended: HTMLElement[] = [];
      for (const index of [...dirtySteps].sort((a, b) => a - b)) {
        const step = order.steps[index];
        if (!step) continue;
        const element = renderStep(order, step);
        classify(element, index, cursor);
        if (stepElements[index]) stepElements[index]!.replaceWith(element);
        else appended.push(element);
        stepElements[index] = element;
      }
      if (appended.length) timeline.append(...appended);
    }
    if (rebuilt || classFilter !== filters.refused) {
      stepElements.forEach((element, index) => classify(element, index, cursor));
    } else if (classCursor !== cursor) {
      const from = Math.max(0, Math.min(classCursor, cursor));
      const to = Math.min(stepElements.length - 1, Math.max(classCursor, cursor));
      for (let index = from; index <= to; index += 1) classify(stepElements[index]!, index, cursor);
    }
    const moved = rebuilt || classCursor !== cursor;
    classCursor = cursor;
    classFilter = filters.refused;
    $('timeline-empty').hidden = !filters.refused || stepElements.some((element) => !element.hidden);
    const current = stepElements[cursor];
    const pane = $('timeline-pane');
    if (following) {
      if (rebuilt || dirtySteps.size) pane.scrollTop = pane.scrollHeight;
    } else if (current && !current.hidden && moved) {
      // Scroll the timeline pane only, never the page.
      const top = current.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
      if (top < pane.scrollTop || top + current.offsetHeight > pane.scrollTop + pane.clientHeight)
        pane.scrollTop = top - 8;
    }
  }

  function renderDeadlines(context: Record<string, unknown>, step: StepView): void {
    const clock =
      typeof context['clock'] === 'number'
        ? (context['clock'] as number)
        : (step.at ?? (context['placedAt'] as number));
    const rows = (['buyerCancelUntil', 'latestShipDate', 'autoCancelAt'] as const)
      .filter(
        (key) =>
          typeof context[key] === 'number' && !(key === 'autoCancelAt' && context['fulfillmentChannel'] === 'AFN'),
      )
      .map((key) => {
        const at = context[key] as number;
        const passed = clock >= at;
        return h(
          'tr',
          { 'data-deadline': key, 'data-passed': String(passed) },
          h('th', {}, t(key)),
          h(
            'td',
            {},
            h(
              'time',
              { className: 'value date', datetime: new Date(at).toISOString(), title: new Date(at).toISOString() },
              localDate(at),
            ),
          ),
          h('td', { className: 'countdown', 'data-at': at }, countdown(at)),
          h(
            'td',
            { className: `at-step ${passed ? 'passed' : 'open'}` },
            `${t('atThisStep')}: ${passed ? t('passed') : t('open')}`,
          ),
        );
      });
    $('deadlines').replaceChildren(h('table', {}, h('tbody', {}, ...rows)));
  }

  function tickCountdowns(): void {
    for (const cell of Array.from(document.querySelectorAll<HTMLElement>('#deadlines .countdown')))
      cell.textContent = countdown(Number(cell.dataset['at']));
  }

  let detailKey = '';
  let detailBase = '';
  let detailDrawn = 0;
  let detailTimer = 0;

  function renderDetail(): void {
    const order = selected === null ? undefined : orders.get(selected);
    const detail = $('detail');
    detail.hidden = !order;
    drawChart(order);
    if (!order) return;
    const cursor = cursorOf(order);
    const step = order.steps[cursor]!;
    const following = order.source === 'live' && !cursors.has(order.id);
    $('current-order').textContent = `${t('orderId')} ${order.orderId}`;
    const state = $('current-state');
    state.textContent = step.status;
    state.setAttribute('data-state', step.state);
    state.className = `status big status-${step.state}`;
    $('position').textContent = `${t('step')} ${cursor} ${t('of')} ${order.steps.length - 1}`;
    const controls: Array<[string, number, boolean]> = [
      ['first', 0, cursor > 0],
      ['previous', cursor - 1, cursor > 0],
      ['next', cursor + 1, cursor < order.steps.length - 1],
      ['last', order.steps.length - 1, cursor < order.steps.length - 1],
    ];
    for (const [id, target, enabled] of controls) {
      const button = $(id) as HTMLButtonElement;
      button.disabled = !enabled;
      button.title = t(id as TextKey);
      button.onclick = () => setCursor(order, target);
    }
    const follow = $('follow') as HTMLInputElement;
    follow.parentElement!.hidden = order.source !== 'live';
    follow.checked = following;
    follow.onchange = () => {
      if (follow.checked) cursors.delete(order.id);
      else cursors.set(order.id, cursorOf(order));
      schedule();
    };
    const exporter = $('export') as HTMLButtonElement;
    exporter.hidden = order.source !== 'live';
    const replayable = order.steps.every((each, index) =>
      index === 0 ? each.kind === 'created' : each.kind === 'event',
    );
    exporter.disabled = !replayable;
    exporter.title = replayable ? '' : t('exportJoined');
    exporter.onclick = () => exportRecording(order);

    renderTimeline(order, cursor, following);
    // The context and deadlines change only with the step shown (or the language).
    const key = `${order.id}/${cursor}/${lang}/${order.steps.length}/${contextVersion}`;
    // Only new steps of the order followed are throttled; another order, step or language draws at once.
    const base = `${order.id}/${lang}/${contextVersion}`;
    const streaming = key !== detailKey && base === detailBase && following && performance.now() - detailDrawn < 200;
    if (streaming) {
      // While a live order streams in, its context and deadlines are redrawn at most five times a second.
      if (!detailTimer)
        detailTimer = window.setTimeout(() => {
          detailTimer = 0;
          schedule();
        }, 200);
    } else if (fullRender || key !== detailKey) {
      detailKey = key;
      detailBase = base;
      detailDrawn = performance.now();
      const context = contextAt(order, cursor);
      renderDeadlines(context, step);
      $('context').replaceChildren(contextTree(context));
    }
    highlight();
  }

  function exportRecording(order: OrderView): void {
    const first = order.context;
    const input: Record<string, unknown> = {
      orderId: first.orderId,
      ...(first.marketplaceId === undefined ? {} : { marketplaceId: first.marketplaceId }),
      fulfillmentChannel: first.fulfillmentChannel,
      placedAt: first.placedAt,
      // An order Amazon gave no latest ship date yet starts without one (the input leaves it out).
      ...(first.latestShipDate === null || first.latestShipDate === undefined
        ? {}
        : { latestShipDate: first.latestShipDate }),
      items: first.items.map((item) => ({
        orderItemId: item.orderItemId,
        ...(item.sku === undefined ? {} : { sku: item.sku }),
        quantity: item.quantity,
      })),
      policy: first.policy,
    };
    const recording = { input, events: order.steps.slice(1).map((step) => step.event) };
    const url = URL.createObjectURL(
      new Blob([`${JSON.stringify(recording, null, 2)}\n`], { type: 'application/json' }),
    );
    const link = h('a', { href: url, download: `${order.orderId}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  function renderActivity(): void {
    const activity = [...serverActivity, ...pageActivity].sort((a, b) => a.at - b.at);
    const count = activity.length;
    $('activity-count').textContent = String(count);
    $('activity-toggle').classList.toggle('has-entries', count > 0);
    const list = $('activity-list');
    if (count === 0) {
      list.replaceChildren(h('li', { className: 'empty' }, t('noActivity')));
      return;
    }
    list.replaceChildren(
      ...activity
        .slice()
        .reverse()
        .map((entry) =>
          h(
            'li',
            { className: `activity-entry ${entry.kind}`, 'data-kind': entry.kind },
            h('time', { datetime: new Date(entry.at).toISOString() }, localDate(entry.at).slice(11, 19)),
            ' ',
            entry.message,
          ),
        ),
    );
  }

  function render(): void {
    scheduled = false;
    document.documentElement.lang = lang;
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-text]')))
      element.textContent = t(element.dataset['text'] as TextKey);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-title]'))) {
      element.title = t(element.dataset['title'] as TextKey);
      element.setAttribute('aria-label', element.title);
    }
    ($('filter-id') as HTMLInputElement).placeholder = t('filterId');
    ($('stored-id') as HTMLInputElement).placeholder = t('filterStored');
    for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lang]'))) {
      button.setAttribute('aria-pressed', String(button.dataset['lang'] === lang));
    }
    const status = $('connection');
    status.className = `connection ${socketState}`;
    status.textContent = t(socketState);
    const banner = $('notice');
    banner.hidden = notice === null;
    $('notice-text').textContent = notice ?? '';
    renderOrderList();
    renderDetail();
    renderActivity();
    dirtyOrders.clear();
    dirtySteps.clear();
    fullRender = false;
  }

  /** Draws once per frame however many messages arrived. */
  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(render);
  }

  function rerender(): void {
    fullRender = true;
    schedule();
  }

  // ---- wiring ----------------------------------------------------------------------------------

  const stateFilter = $('filter-state') as HTMLSelectElement;
  stateFilter.replaceChildren(
    h('option', { value: '', 'data-text': 'allStates' }),
    ...Object.entries(config.statuses).map(([key, name]) => h('option', { value: key }, name)),
  );
  stateFilter.addEventListener('change', () => {
    filters.state = stateFilter.value;
    rerender();
  });
  const idFilter = $('filter-id') as HTMLInputElement;
  idFilter.addEventListener('input', () => {
    filters.id = idFilter.value;
    rerender();
  });
  const refusedFilter = $('filter-refused') as HTMLInputElement;
  refusedFilter.addEventListener('change', () => {
    filters.refused = refusedFilter.checked;
    rerender();
  });

  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lang]'))) {
    button.addEventListener('click', () => {
      lang = button.dataset['lang'] === 'zh-CN' ? 'zh-CN' : 'en';
      try {
        localStorage.setItem('order-lifecycle.lang', lang);
      } catch {
        // Storage may be disabled; the choice then lasts until the page reloads.
      }
      rerender();
    });
  }

  $('notice-close').addEventListener('click', () => {
    notice = null;
    schedule();
  });
  $('activity-toggle').addEventListener('click', () => {
    const panel = $('activity');
    panel.hidden = !panel.hidden;
    $('activity-toggle').setAttribute('aria-expanded', String(!panel.hidden));
  });
  $('activity-close').addEventListener('click', () => {
    $('activity').hidden = true;
    $('activity-toggle').setAttribute('aria-expanded', 'false');
  });

  $('zoom-in').addEventListener('click', () => setZoom((zoom ?? fitZoom()) * 1.25));
  $('zoom-out').addEventListener('click', () => setZoom((zoom ?? fitZoom()) / 1.25));
  $('zoom-fit').addEventListener('click', () => setZoom(wholeZoom()));
  $('zoom-reset').addEventListener('click', () => setZoom(null));
  const chartHolder = $('chart');
  chartHolder.addEventListener(
    'wheel',
    (event) => {
      if (!event.ctrlKey && !event.metaKey) return;
      event.preventDefault();
      setZoom((zoom ?? fitZoom()) * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
    },
    { passive: false },
  );
  let drag: { x: number; y: number; left: number; top: number } | null = null;
  chartHolder.addEventListener('pointerdown', (event) => {
    if (event.button !== 0) return;
    drag = { x: event.clientX, y: event.clientY, left: chartHolder.scrollLeft, top: chartHolder.scrollTop };
    chartHolder.setPointerCapture(event.pointerId);
    chartHolder.classList.add('panning');
  });
  chartHolder.addEventListener('pointermove', (event) => {
    if (!drag) return;
    chartHolder.scrollLeft = drag.left - (event.clientX - drag.x);
    chartHolder.scrollTop = drag.top - (event.clientY - drag.y);
  });
  const endDrag = () => {
    drag = null;
    chartHolder.classList.remove('panning');
  };
  chartHolder.addEventListener('pointerup', endDrag);
  chartHolder.addEventListener('pointercancel', endDrag);
  window.addEventListener('resize', () => {
    if (zoom === null) applyZoom();
  });

  document.addEventListener('keydown', (event) => {
    const order = selected === null ? undefined : orders.get(selected);
    if (!order || (event.target as HTMLElement).closest('input, textarea, select')) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') setCursor(order, cursorOf(order) - 1);
    else if (event.key === 'ArrowRight' || event.key === 'ArrowDown') setCursor(order, cursorOf(order) + 1);
    else if (event.key === 'Home') setCursor(order, 0);
    else if (event.key === 'End') setCursor(order, order.steps.length - 1);
    else return;
    event.preventDefault();
  });

  let socket: WebSocket | null = null;

  // ---- stored orders (inspect --db / --database-url): the server lists them; opening one loads its history ----
  const STORED_PAGE = 50;
  const storedId = $('stored-id') as HTMLInputElement;
  const storedStatus = $('stored-status') as HTMLSelectElement;
  const storedList = $('stored-list');
  const storedMore = $('stored-more') as HTMLButtonElement;
  storedStatus.replaceChildren(
    h('option', { value: '', 'data-text': 'allStates' }, t('allStates')),
    ...[...new Set(Object.values(config.statuses))].map((name) => h('option', { value: name }, name)),
  );
  let storedQuery = 0;
  let storedTimer: ReturnType<typeof setTimeout> | undefined;
  function loadStored(append: boolean): void {
    const query = ++storedQuery;
    const params = new URLSearchParams({ limit: String(STORED_PAGE) });
    if (storedId.value) params.set('id', storedId.value);
    if (storedStatus.value) params.set('status', storedStatus.value);
    const last = append ? storedList.lastElementChild?.getAttribute('data-stored-id') : null;
    if (last) params.set('after', last);
    void fetch(`/api/stored?${params.toString()}`).then(async (response) => {
      if (response.status === 404) return; // started without a store
      if (query !== storedQuery) return;
      if (!response.ok) {
        notice = await response.text();
        schedule();
        return;
      }
      const body = (await response.json()) as {
        orders: Array<{ orderId: string; status: string; version: number; updatedAt?: number }>;
      };
      if (query !== storedQuery) return;
      $('stored').hidden = false;
      const buttons = body.orders.map((order) =>
        h(
          'button',
          {
            type: 'button',
            className: 'order stored-order',
            'data-testid': 'stored-order',
            'data-stored-id': order.orderId,
            'data-status': order.status,
            title: order.orderId,
            onclick: () => socket?.send(JSON.stringify({ type: 'openStored', orderId: order.orderId })),
          },
          h('span', { className: 'order-id' }, order.orderId),
          h(
            'span',
            { className: 'order-meta' },
            h('span', { className: 'status' }, order.status),
            h(
              'span',
              { className: 'order-name' },
              `v${order.version}${order.updatedAt === undefined ? '' : ` · ${localDate(order.updatedAt)}`}`,
            ),
          ),
        ),
      );
      if (append) storedList.append(...buttons);
      else
        storedList.replaceChildren(
          ...(buttons.length ? buttons : [h('p', { className: 'empty', 'data-text': 'noStored' }, t('noStored'))]),
        );
      storedMore.hidden = body.orders.length < STORED_PAGE;
    });
  }
  storedId.addEventListener('input', () => {
    clearTimeout(storedTimer);
    storedTimer = setTimeout(() => loadStored(false), 150);
  });
  storedStatus.addEventListener('change', () => loadStored(false));
  storedMore.addEventListener('click', () => loadStored(true));
  if (config.stored) loadStored(false);

  const fileInput = $('file') as HTMLInputElement;
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    void file.text().then((content) => {
      socket?.send(JSON.stringify({ type: 'load', name: file.name, text: content }));
      fileInput.value = '';
    });
  });

  function see(order: OrderView): void {
    // A recording starts at its first step, ready to replay; a live order follows its latest step.
    if (order.source === 'recording' && !orders.has(order.id)) cursors.set(order.id, 0);
    orders.set(order.id, order);
    dirtyOrders.add(order.id);
    if (order.id === selected) fullRender = true;
  }

  function handle(message: ServerMessage): void {
    switch (message.type) {
      case 'orders':
        orders.clear();
        message.orders.forEach(see);
        serverActivity = message.activity.slice();
        fullRender = true;
        break;
      case 'order':
        see(message.order);
        break;
      case 'step': {
        const order = orders.get(message.id);
        if (!order) break;
        // A corrected step (the app's snapshot differed) invalidates contexts computed past it.
        if (message.step.index < order.steps.length) contextVersion += 1;
        order.steps[message.step.index] = message.step;
        dirtyOrders.add(order.id);
        if (order.id === selected) dirtySteps.add(message.step.index);
        break;
      }
      case 'confirm': {
        const step = orders.get(message.id)?.steps[message.index];
        if (!step) break;
        delete step.pending;
        dirtyOrders.add(message.id);
        if (message.id === selected) dirtySteps.add(message.index);
        break;
      }
      case 'connection': {
        const order = orders.get(message.id);
        if (!order) break;
        order.disconnected = message.disconnected;
        dirtyOrders.add(order.id);
        break;
      }
      case 'forgot':
        orders.delete(message.id);
        cursors.delete(message.id);
        if (selected === message.id) selected = null;
        break;
      case 'activity':
        serverActivity.push(message.entry);
        if (serverActivity.length > 500) serverActivity.shift();
        break;
      case 'loaded':
        selected = message.ids[0] ?? selected;
        if (message.ids.length) wanted = null;
        notice = null;
        fullRender = true;
        break;
      case 'error':
        notice = message.message;
        break;
    }
  }

  let retry = 0;
  function connect(): void {
    const ws = new WebSocket(`ws://${location.host}${config.socketPath}`);
    socket = ws;
    ws.addEventListener('open', () => {
      if (socketState === 'lost') pageActivity.push({ at: Date.now(), kind: 'connected', message: t('pageBack') });
      socketState = 'connected';
      retry = 0;
      schedule();
    });
    ws.addEventListener('message', (event) => {
      const messages = JSON.parse(String(event.data)) as ServerMessage[];
      for (const message of messages) handle(message);
      resolveWanted();
      if (selected === null || !orders.has(selected)) {
        const first = [...orders.values()].find(matches) ?? orders.values().next().value;
        selected = first?.id ?? null;
        fullRender = true;
      }
      writeHash();
      schedule();
    });
    ws.addEventListener('close', () => {
      if (socketState === 'connected') pageActivity.push({ at: Date.now(), kind: 'dropped', message: t('pageLost') });
      socketState = socketState === 'connected' || socketState === 'lost' ? 'lost' : 'connecting';
      schedule();
      // Back off up to 5 s between attempts while the server is away.
      retry += 1;
      setTimeout(connect, Math.min(5000, 250 * 2 ** Math.min(retry, 5)));
    });
  }

  // Another order named in the address bar (or by going back): show it, now or when it arrives.
  window.addEventListener('hashchange', () => {
    wanted = readHash();
    resolveWanted();
    writeHash();
    schedule();
  });

  setInterval(tickCountdowns, 1000);
  render();
  connect();
}
