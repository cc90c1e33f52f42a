/*
 * The inspector page's script. `inspectorClient` runs in the browser: the server sends its source text
 * (`inspectorClient.toString()`), so it must not use anything from this module's scope but types.
 */
import type { OrderView, StepView } from './orders.js';

/** What the server tells the page: where to connect and how states nest. */
export interface ClientConfig {
  socketPath: string;
  /** State key to its parent compound state's key, e.g. `{ unshipped: 'placed' }`. */
  parents: Record<string, string>;
}

/** Messages the server sends to the page. */
export type ServerMessage =
  | { type: 'orders'; orders: OrderView[] }
  | { type: 'order'; order: OrderView }
  | { type: 'loaded'; ids: string[] }
  | { type: 'error'; message: string };

export function inspectorClient(config: ClientConfig): void {
  type Lang = 'en' | 'zh-CN';
  const text = {
    en: {
      orders: 'Orders',
      waiting: 'No orders yet. Point an actor at this server: createOrderActor(input, { inspect: createWebSocketInspector({ url }).inspect }), or open a recorded order.',
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
      afterPurchase: 'after purchase',
      noChanges: 'no context change',
      orderId: 'Order',
    },
    'zh-CN': {
      orders: '订单',
      waiting: '暂无订单。请将 actor 指向本服务器:createOrderActor(input, { inspect: createWebSocketInspector({ url }).inspect }),或打开一个录制的订单。',
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
      afterPurchase: '下单后',
      noChanges: '上下文无变化',
      orderId: '订单',
    },
  } as const;
  type TextKey = keyof (typeof text)['en'];

  const orders = new Map<string, OrderView>();
  /** The step shown for each order; absent means "the latest" (follow live). */
  const cursors = new Map<string, number>();
  const charts = new Map<string, Promise<string>>();
  let selected: string | null = null;
  let lang: Lang = readLang();
  let socketState: 'connected' | 'connecting' = 'connecting';
  let drawnChart: string | null = null;
  let notice: string | null = null;

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

  function formatAt(at: number | null, placedAt: number): string {
    if (at === null) return '';
    const iso = new Date(at).toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
    const minutes = Math.round((at - placedAt) / 60_000);
    const relative =
      Math.abs(minutes) < 120 ? `${minutes} min` : Math.abs(minutes) < 48 * 60 ? `${(minutes / 60).toFixed(1)} h` : `${(minutes / 1440).toFixed(1)} d`;
    return `${iso} · ${minutes >= 0 ? '+' : ''}${relative} ${t('afterPurchase')}`;
  }

  function short(value: unknown, path = ''): string {
    if (value === undefined) return '—';
    if (typeof value === 'number' && /(At|Until|Date)$/.test(path)) return new Date(value).toISOString().replace(/\.000Z$/, 'Z');
    const json = JSON.stringify(value) ?? String(value);
    return json.length > 90 ? `${json.slice(0, 87)}…` : json;
  }

  function cursorOf(order: OrderView): number {
    const cursor = cursors.get(order.id);
    return cursor === undefined ? order.steps.length - 1 : Math.min(cursor, order.steps.length - 1);
  }

  function setCursor(order: OrderView, index: number): void {
    const bounded = Math.max(0, Math.min(index, order.steps.length - 1));
    if (order.source === 'live' && bounded === order.steps.length - 1) cursors.delete(order.id);
    else cursors.set(order.id, bounded);
    render();
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
    for (const element of Array.from(holder.querySelectorAll('.active, .taken'))) element.classList.remove('active', 'taken');
    const order = selected === null ? undefined : orders.get(selected);
    if (!order) return;
    const index = cursorOf(order);
    const step = order.steps[index]!;
    for (let key: string | undefined = step.state; key !== undefined; key = config.parents[key]) {
      document.getElementById(`state-${key}`)?.classList.add('active');
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
        const edge = document.getElementById(`edge-${source}-${step.state}-${type}-0`);
        if (edge) {
          edge.classList.add('taken');
          return;
        }
      }
    }
  }

  // ---- rendering -------------------------------------------------------------------------------

  function renderOrderList(): void {
    const list = $('orders');
    const all = [...orders.values()];
    if (all.length === 0) {
      list.replaceChildren(h('p', { className: 'empty' }, t('waiting')), h('p', { className: 'empty' }, `${t('waitingUrl')}: `, h('code', {}, `ws://${location.host}`)));
      return;
    }
    list.replaceChildren(
      ...all.map((order) => {
        const last = order.steps[order.steps.length - 1]!;
        return h(
          'button',
          {
            className: `order${order.id === selected ? ' selected' : ''}`,
            'data-order-id': order.id,
            'data-testid': 'order',
            'aria-pressed': order.id === selected ? 'true' : 'false',
            onclick: () => {
              selected = order.id;
              render();
            },
          },
          h('span', { className: 'order-id' }, order.orderId),
          h(
            'span',
            { className: 'order-meta' },
            h('span', { className: `badge ${order.source}` }, t(order.source)),
            order.disconnected ? h('span', { className: 'badge disconnected' }, t('disconnected')) : null,
            h('span', { className: `status status-${last.state}` }, last.status),
          ),
          h('span', { className: 'order-name' }, order.name),
        );
      }),
    );
  }

  function stepTitle(step: StepView): string {
    if (step.kind === 'created') return t('created');
    if (step.kind === 'joined') return t('joined');
    return String(step.event?.['type'] ?? '');
  }

  function eventDetails(step: StepView): string {
    if (!step.event) return '';
    const { type: _type, at: _at, ...rest } = step.event;
    return Object.keys(rest).length ? short(rest) : '';
  }

  function renderEffect(effect: StepView['effects'][number]): HTMLElement {
    const detail =
      'topic' in effect ? effect.topic : 'items' in effect ? effect.items.map((item) => `${item.orderItemId}×${item.quantity}`).join(', ') : effect.message[lang];
    return h('li', { className: 'effect' }, h('code', {}, effect.type), ' ', detail);
  }

  function renderStep(order: OrderView, step: StepView, cursor: number): HTMLElement {
    const verdict = step.verdict;
    const placedAt = order.steps[0]!.context.placedAt;
    return h(
      'li',
      {
        className: `step${step.index === cursor ? ' current' : ''}${step.index > cursor ? ' future' : ''}${verdict.accepted ? ' accepted' : ' refused'}`,
        'data-testid': 'step',
        'data-index': step.index,
        'data-event': step.event ? String(step.event['type']) : step.kind,
        'data-accepted': String(verdict.accepted),
        'data-code': verdict.code,
        onclick: () => setCursor(order, step.index),
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
        h('span', { className: `status status-${step.state}` }, step.status),
      ),
      h('div', { className: 'step-at' }, formatAt(step.at, placedAt), eventDetails(step) ? h('code', { className: 'step-args' }, eventDetails(step)) : null),
      h('p', { className: 'message', 'data-testid': 'message', lang }, verdict.message[lang]),
      step.pending ? h('p', { className: 'pending' }, t('pending')) : null,
      step.mismatch ? h('p', { className: 'mismatch' }, step.mismatch) : null,
      step.effects.length
        ? h('div', { className: 'effects' }, h('span', { className: 'label' }, t('effects')), h('ul', {}, ...step.effects.map(renderEffect)))
        : null,
      step.changes.length
        ? h(
            'div',
            { className: 'changes' },
            h('span', { className: 'label' }, t('changes')),
            h(
              'table',
              {},
              ...step.changes.map((change) =>
                h('tr', {}, h('td', { className: 'path' }, change.path), h('td', {}, short(change.before, change.path)), h('td', { className: 'arrow' }, '→'), h('td', {}, short(change.after, change.path))),
              ),
            ),
          )
        : null,
    );
  }

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
      render();
    };
    $('context').textContent = JSON.stringify(step.context, null, 2);
    const timeline = $('timeline');
    timeline.replaceChildren(...order.steps.map((each) => renderStep(order, each, cursor)));
    timeline.querySelector('.step.current')?.scrollIntoView({ block: 'nearest' });
  }

  function render(): void {
    document.documentElement.lang = lang;
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-text]'))) element.textContent = t(element.dataset['text'] as TextKey);
    for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lang]'))) {
      button.setAttribute('aria-pressed', String(button.dataset['lang'] === lang));
    }
    const status = $('connection');
    status.className = `connection ${socketState}`;
    status.textContent = t(socketState);
    const banner = $('notice');
    banner.hidden = notice === null;
    banner.textContent = notice ?? '';
    renderOrderList();
    renderDetail();
  }

  // ---- wiring ----------------------------------------------------------------------------------

  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lang]'))) {
    button.addEventListener('click', () => {
      lang = button.dataset['lang'] === 'zh-CN' ? 'zh-CN' : 'en';
      try {
        localStorage.setItem('order-lifecycle.lang', lang);
      } catch {
        // Storage may be disabled; the choice then lasts until the page reloads.
      }
      render();
    });
  }

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
  const fileInput = $('file') as HTMLInputElement;
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    void file.text().then((content) => {
      socket?.send(JSON.stringify({ type: 'load', name: file.name, text: content }));
      fileInput.value = '';
    });
  });

  function connect(): void {
    socketState = 'connecting';
    const ws = new WebSocket(`ws://${location.host}${config.socketPath}`);
    socket = ws;
    ws.addEventListener('open', () => {
      socketState = 'connected';
      render();
    });
    ws.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as ServerMessage;
      const see = (order: OrderView) => {
        // A recording starts at its first step, ready to replay; a live order follows its latest step.
        if (order.source === 'recording' && !orders.has(order.id)) cursors.set(order.id, 0);
        orders.set(order.id, order);
      };
      if (message.type === 'orders') {
        orders.clear();
        message.orders.forEach(see);
      } else if (message.type === 'order') {
        see(message.order);
      } else if (message.type === 'loaded') {
        selected = message.ids[0] ?? selected;
        notice = null;
      } else if (message.type === 'error') {
        notice = message.message;
      }
      if (selected === null || !orders.has(selected)) selected = orders.keys().next().value ?? null;
      render();
    });
    ws.addEventListener('close', () => {
      socketState = 'connecting';
      render();
      setTimeout(connect, 1000);
    });
  }

  render();
  connect();
}
