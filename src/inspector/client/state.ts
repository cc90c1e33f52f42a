/*
 * The page's model: the orders the server sent, which one is shown and at which step, the filters, the
 * activity, and what changed since the last frame. No DOM here: the rendering reads this model, and the
 * unit tests drive it with server messages alone.
 */
import { applyChanges } from '../changes.js';
import type { OrderView } from '../orders.js';
import type { ActivityEntry, ServerMessage } from './protocol.js';
import type { Lang } from './i18n.js';

/** The page's connection to its server. */
type SocketState = 'connected' | 'connecting' | 'lost';

/** How many of the server's activity entries the page keeps. */
export const MAX_ACTIVITY = 500;

/**
 * What the page shows, as data: fed by `receive(messages)` and the user's choices, read by the rendering.
 * @example
 * const state = new PageState({ wanted: null, lang: 'en' });
 * state.receive([{ type: 'orders', orders, activity: [] }]);
 * state.selected; // the first order's id
 */
export class PageState {
  readonly orders = new Map<string, OrderView>();
  /** The step shown for each order; absent means "the latest" (follow live). */
  readonly cursors = new Map<string, number>();
  /** The server's activity (app connections, ignored messages). */
  serverActivity: ActivityEntry[] = [];
  /** The page's own activity (its connection lost and back). */
  readonly pageActivity: ActivityEntry[] = [];
  selected: string | null = null;
  /**
   * The order named in the address (`#order=<order id>`, as an app links to it) until the page has it to show:
   * it may arrive later over the live stream. Null once shown, or when the user picks another order.
   */
  wanted: string | null;
  lang: Lang;
  socketState: SocketState = 'connecting';
  /** The server's last error, shown in the banner until dismissed. */
  notice: string | null = null;
  readonly filters = { id: '', state: '', refused: false };

  // What changed since the last frame: orders whose list entry needs redrawing, steps of the shown order.
  readonly dirtyOrders = new Set<string>();
  readonly dirtySteps = new Set<number>();
  fullRender = true;
  /** Bumped when a step is corrected: contexts computed past it are stale. */
  contextVersion = 0;

  /** The last context computed, so following a live order applies only the new steps' changes. */
  #contextCache: { order: OrderView; index: number; context: Record<string, unknown>; version: number } | null = null;

  constructor(options: { wanted: string | null; lang: Lang }) {
    this.wanted = options.wanted;
    this.lang = options.lang;
  }

  /** Applies one WebSocket frame's messages, then selects the order the address names, or else any order. */
  receive(messages: readonly ServerMessage[]): void {
    for (const message of messages) this.#handle(message);
    this.#resolveWanted();
    if (this.selected === null || !this.orders.has(this.selected)) {
      const first = [...this.orders.values()].find((order) => this.matches(order)) ?? this.orders.values().next().value;
      this.selected = first?.id ?? null;
      this.fullRender = true;
    }
  }

  /** The order shown, if any. */
  current(): OrderView | undefined {
    return this.selected === null ? undefined : this.orders.get(this.selected);
  }

  /** The user picked an order: show it, and stop waiting for the one the address named. */
  select(id: string): void {
    this.selected = id;
    this.wanted = null;
    this.fullRender = true;
  }

  /** The address names another order (or the user went back): show it, now or when it arrives. */
  want(name: string | null): void {
    this.wanted = name;
    this.#resolveWanted();
  }

  /** The order an address names: a view's own id, else its order id (a connected live actor first, then the latest seen). */
  named(name: string): OrderView | undefined {
    const exact = this.orders.get(name);
    if (exact) return exact;
    const same = [...this.orders.values()].filter((order) => order.orderId === name).reverse();
    return same.find((order) => order.source === 'live' && !order.disconnected) ?? same[0];
  }

  /**
   * The address for the order shown (`#order=<order id>`, or the view's own id when the order id leads elsewhere),
   * or null while a named order is awaited or nothing is shown.
   */
  hash(): string | null {
    const order = this.current();
    if (this.wanted !== null || !order) return null;
    return `#order=${encodeURIComponent(this.named(order.orderId) === order ? order.orderId : order.id)}`;
  }

  /** The step shown for an order: its cursor, or its latest step. */
  cursorOf(order: OrderView): number {
    const cursor = this.cursors.get(order.id);
    return cursor === undefined ? order.steps.length - 1 : Math.min(cursor, order.steps.length - 1);
  }

  /** Shows step `index` of an order (bounded to its steps); the latest step of a live order follows it again. */
  setCursor(order: OrderView, index: number): void {
    const bounded = Math.max(0, Math.min(index, order.steps.length - 1));
    if (order.source === 'live' && bounded === order.steps.length - 1) this.cursors.delete(order.id);
    else this.cursors.set(order.id, bounded);
  }

  /** Whether the page follows a live order's latest step. */
  following(order: OrderView): boolean {
    return order.source === 'live' && !this.cursors.has(order.id);
  }

  /** Follows a live order's new steps, or stays at the step shown. */
  follow(order: OrderView, on: boolean): void {
    if (on) this.cursors.delete(order.id);
    else this.cursors.set(order.id, this.cursorOf(order));
  }

  /** Whether an order passes the list's filters (order id or name, state now, refused steps). */
  matches(order: OrderView): boolean {
    const id = this.filters.id.trim().toLowerCase();
    if (id && !order.orderId.toLowerCase().includes(id) && !order.name.toLowerCase().includes(id)) return false;
    if (this.filters.state && order.steps[order.steps.length - 1]!.state !== this.filters.state) return false;
    if (this.filters.refused && !hasRefusal(order)) return false;
    return true;
  }

  /** The server's and the page's activity, oldest first. */
  activity(): ActivityEntry[] {
    return [...this.serverActivity, ...this.pageActivity].sort((a, b) => a.at - b.at);
  }

  /**
   * The order's context after step `index`. Following an order applies only the steps new since the last call;
   * the value returned is never changed afterwards (`applyChanges` copies).
   */
  contextAt(order: OrderView, index: number): Record<string, unknown> {
    const cached = this.#contextCache;
    if (cached && cached.order === order && cached.version === this.contextVersion && cached.index <= index) {
      if (cached.index < index) {
        cached.context = applyChanges(cached.context, changesBetween(order, cached.index, index));
        cached.index = index;
      }
      return cached.context;
    }
    const context = applyChanges(order.context as unknown as Record<string, unknown>, changesBetween(order, 0, index));
    this.#contextCache = { order, index, context, version: this.contextVersion };
    return context;
  }

  /** Marks everything for redrawing (another language, filter or order). */
  invalidate(): void {
    this.fullRender = true;
  }

  /** Forgets what changed: the frame has drawn it. */
  drawn(): void {
    this.dirtyOrders.clear();
    this.dirtySteps.clear();
    this.fullRender = false;
  }

  #handle(message: ServerMessage): void {
    switch (message.type) {
      case 'orders':
        this.orders.clear();
        for (const order of message.orders) this.#see(order);
        this.serverActivity = message.activity.slice();
        this.fullRender = true;
        break;
      case 'order':
        this.#see(message.order);
        break;
      case 'step': {
        const order = this.orders.get(message.id);
        if (!order) break;
        // A corrected step (the app's snapshot differed) invalidates contexts computed past it.
        if (message.step.index < order.steps.length) this.contextVersion += 1;
        order.steps[message.step.index] = message.step;
        this.dirtyOrders.add(order.id);
        if (order.id === this.selected) this.dirtySteps.add(message.step.index);
        break;
      }
      case 'confirm': {
        const step = this.orders.get(message.id)?.steps[message.index];
        if (!step) break;
        delete step.pending;
        this.dirtyOrders.add(message.id);
        if (message.id === this.selected) this.dirtySteps.add(message.index);
        break;
      }
      case 'connection': {
        const order = this.orders.get(message.id);
        if (!order) break;
        order.disconnected = message.disconnected;
        this.dirtyOrders.add(order.id);
        break;
      }
      case 'forgot':
        this.orders.delete(message.id);
        this.cursors.delete(message.id);
        if (this.selected === message.id) this.selected = null;
        break;
      case 'activity':
        this.serverActivity.push(message.entry);
        if (this.serverActivity.length > MAX_ACTIVITY) this.serverActivity.shift();
        break;
      case 'loaded':
        this.selected = message.ids[0] ?? this.selected;
        if (message.ids.length) this.wanted = null;
        this.notice = null;
        this.fullRender = true;
        break;
      case 'error':
        this.notice = message.message;
        break;
    }
  }

  #see(order: OrderView): void {
    // A recording starts at its first step, ready to replay; a live order follows its latest step.
    if (order.source === 'recording' && !this.orders.has(order.id)) this.cursors.set(order.id, 0);
    this.orders.set(order.id, order);
    this.dirtyOrders.add(order.id);
    if (order.id === this.selected) this.fullRender = true;
  }

  /** Selects the order the address names once it is there. */
  #resolveWanted(): void {
    if (this.wanted === null) return;
    const order = this.named(this.wanted);
    if (!order) return;
    this.wanted = null;
    if (this.selected !== order.id) {
      this.selected = order.id;
      this.fullRender = true;
    }
  }
}

/** Whether any step of an order was refused. */
export const hasRefusal = (order: OrderView): boolean => order.steps.some((step) => !step.verdict.accepted);

/** The changes of the steps after `from` up to and including `to`. */
function changesBetween(order: OrderView, from: number, to: number) {
  return order.steps.slice(from + 1, to + 1).flatMap((step) => step.changes);
}
