/*
 * Drawing the page from its model: the order list, the shown order's toolbar, timeline, deadlines and context,
 * and the activity panel. Draws at most once per animation frame, and only what changed since the last one.
 */
import type { ContextChange } from '../changes.js';
import type { OrderView, StepView } from '../orders.js';
import type { ChartView } from './chart.js';
import { byId, h } from './dom.js';
import { countdown, formatAt, instantParts, localDate } from './format.js';
import { word, type TextKey } from './i18n.js';
import { downloadRecording, replayable } from './recording.js';
import { hasRefusal, type PageState } from './state.js';
import { contextTree, leaf, valueTree } from './values.js';

/** The verdict flags the timeline shows as badges. */
const FLAGS = ['late', 'duplicate', 'conflict'] as const;

/**
 * The timeline's limits: the entries built for a new window (or added to one at a time), the most kept in the page,
 * and the most built in one frame (a new window's, then entries shown whose step changed).
 */
export const TIMELINE_CHUNK = 60;
export const TIMELINE_MAX_ROWS = 180;
export const TIMELINE_FRAME_BUDGET = 80;

/**
 * The page's view: call `schedule()` after changing the model, `rerender()` after a change that touches every
 * part (language, filters).
 * @example
 * const view = new PageView(state, chart);
 * state.receive(messages);
 * view.schedule();
 */
export class PageView {
  #scheduled = false;
  readonly #orderButtons = new Map<string, HTMLButtonElement>();
  #timelineOrder: string | null = null;
  /** The timeline's entries built, by step index: only those of the window shown. */
  readonly #rows = new Map<number, HTMLElement>();
  /** The indices of the steps the timeline lists (all, or the refused ones), and how many steps they cover. */
  #listedSteps: number[] = [];
  #known = 0;
  /** The window shown: positions in `#listedSteps`, `from` included, `to` not. */
  #from = 0;
  #to = 0;
  /** Entries shown whose step changed since they were built. */
  readonly #stale = new Set<number>();
  /** Entries built this frame, and the most in any frame. */
  #built = 0;
  #maxBuilt = 0;
  /** The cursor and filter the entries were last drawn for; only what changed is touched. */
  #classCursor = -1;
  #classFilter = false;
  #detailKey = '';
  #detailBase = '';
  #detailDrawn = 0;
  #detailTimer = 0;

  constructor(
    private readonly state: PageState,
    private readonly chart: ChartView,
  ) {
    // The timeline's window grows when its "earlier" or "later" button is clicked or scrolled into view.
    const earlier = byId('timeline-earlier');
    const later = byId('timeline-later');
    earlier.addEventListener('click', () => this.extendTimeline(-1));
    later.addEventListener('click', () => this.extendTimeline(1));
    if (typeof IntersectionObserver === 'function') {
      const observer = new IntersectionObserver(
        (entries) => {
          for (const entry of entries)
            if (entry.isIntersecting)
              requestAnimationFrame(() => this.extendTimeline(entry.target === earlier ? -1 : 1));
        },
        { root: byId('timeline-pane') },
      );
      observer.observe(earlier);
      observer.observe(later);
    }
  }

  /** Draws once per frame however many messages arrived. */
  schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    requestAnimationFrame(() => this.render());
  }

  /** Redraws every part at the next frame. */
  rerender(): void {
    this.state.invalidate();
    this.schedule();
  }

  /** Draws now. */
  render(): void {
    const state = this.state;
    this.#scheduled = false;
    document.documentElement.lang = state.lang;
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-text]')))
      element.textContent = this.#t(element.dataset['text'] as TextKey);
    for (const element of Array.from(document.querySelectorAll<HTMLElement>('[data-title]'))) {
      element.title = this.#t(element.dataset['title'] as TextKey);
      element.setAttribute('aria-label', element.title);
    }
    byId<HTMLInputElement>('filter-id').placeholder = this.#t('filterId');
    byId<HTMLInputElement>('stored-id').placeholder = this.#t('filterStored');
    for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lang]'))) {
      button.setAttribute('aria-pressed', String(button.dataset['lang'] === state.lang));
    }
    const status = byId('connection');
    status.className = `connection ${state.socketState}`;
    status.textContent = this.#t(state.socketState);
    byId('notice').hidden = state.notice === null;
    byId('notice-text').textContent = state.notice ?? '';
    this.#renderOrderList();
    this.#renderDetail();
    this.#renderActivity();
    state.drawn();
  }

  /** Updates the deadlines' countdowns (every second). */
  tickCountdowns(): void {
    for (const cell of Array.from(document.querySelectorAll<HTMLElement>('#deadlines .countdown')))
      cell.textContent = countdown(Number(cell.dataset['at']), this.state.lang);
  }

  #t(key: TextKey): string {
    return word(this.state.lang, key);
  }

  // ---- the order list ---------------------------------------------------------------------------

  #orderButton(order: OrderView): HTMLButtonElement {
    const state = this.state;
    const last = order.steps[order.steps.length - 1]!;
    return h(
      'button',
      {
        type: 'button',
        className: `order${order.id === state.selected ? ' selected' : ''}`,
        'data-order-id': order.id,
        'data-testid': 'order',
        'data-state': last.state,
        'data-steps': order.steps.length,
        'aria-pressed': order.id === state.selected ? 'true' : 'false',
        title: order.session ? `${order.orderId} (${order.session})` : order.name,
        onclick: () => {
          state.select(order.id);
          this.writeHash();
          this.schedule();
        },
      },
      h('span', { className: 'order-id' }, order.orderId),
      h(
        'span',
        { className: 'order-meta' },
        h('span', { className: `badge ${order.source}` }, this.#t(order.source)),
        order.disconnected ? h('span', { className: 'badge disconnected' }, this.#t('disconnected')) : null,
        hasRefusal(order) ? h('span', { className: 'badge refused' }, '✗') : null,
        h('span', { className: `status status-${last.state}` }, last.status),
      ),
      order.source === 'recording' && order.name !== order.orderId
        ? h('span', { className: 'order-name' }, order.name)
        : null,
    );
  }

  #renderOrderList(): void {
    const state = this.state;
    const list = byId('orders');
    const buttons = this.#orderButtons;
    if (state.orders.size === 0) {
      buttons.clear();
      list.replaceChildren(
        h('p', { className: 'empty' }, this.#t('waiting')),
        h(
          'p',
          { className: 'empty' },
          `${this.#t('waitingUrl')}${this.#t('colon')}`,
          h('code', {}, `ws://${location.host}`),
        ),
      );
      byId('filter-count').textContent = '';
      return;
    }
    if (state.fullRender || list.querySelector('.empty')) {
      buttons.clear();
      list.replaceChildren();
    }
    for (const id of Array.from(buttons.keys())) {
      if (!state.orders.has(id)) {
        buttons.get(id)!.remove();
        buttons.delete(id);
      }
    }
    for (const order of state.orders.values()) {
      const existing = buttons.get(order.id);
      if (existing && !state.dirtyOrders.has(order.id)) continue;
      const button = this.#orderButton(order);
      if (existing) existing.replaceWith(button);
      else list.append(button);
      buttons.set(order.id, button);
    }
    let shown = 0;
    for (const [id, button] of buttons) {
      const visible = state.matches(state.orders.get(id)!);
      button.hidden = !visible;
      if (visible) shown += 1;
      const isSelected = id === state.selected;
      button.classList.toggle('selected', isSelected);
      button.setAttribute('aria-pressed', String(isSelected));
    }
    byId('filter-count').textContent = `${shown} / ${state.orders.size} ${this.#t('shown')}`;
  }

  /** Puts the selected order in the address (replacing, not adding, a history entry), unless a named order is awaited. */
  writeHash(): void {
    const hash = this.state.hash();
    if (hash !== null && location.hash !== hash) history.replaceState(null, '', hash);
  }

  // ---- the timeline -----------------------------------------------------------------------------

  #stepTitle(step: StepView): string {
    if (step.kind === 'created') return this.#t('created');
    if (step.kind === 'joined') return this.#t('joined');
    if (step.kind === 'restored') return this.#t('restored');
    return String(step.event?.['type'] ?? '');
  }

  #renderEffect(effect: StepView['effects'][number]): HTMLElement {
    const detail =
      'topic' in effect
        ? effect.topic
        : 'items' in effect
          ? effect.items.map((item) => `${item.orderItemId}×${item.quantity}`).join(', ')
          : effect.message[this.state.lang];
    return h('li', { className: 'effect' }, h('code', {}, effect.type), ' ', detail);
  }

  #renderChange(order: OrderView, step: StepView, change: ContextChange): HTMLElement {
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

  #renderStep(order: OrderView, step: StepView): HTMLElement {
    const lang = this.state.lang;
    const verdict = step.verdict;
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
          this.state.setCursor(order, step.index);
          this.schedule();
        },
      },
      h(
        'div',
        { className: 'step-head' },
        h('span', { className: 'step-index' }, `#${step.index}`),
        h('span', { className: 'step-event' }, this.#stepTitle(step)),
        h(
          'span',
          { className: `verdict ${verdict.accepted ? 'ok' : 'no'}`, 'data-testid': 'verdict' },
          verdict.accepted ? `✓ ${this.#t('accepted')}` : `✗ ${this.#t('refused')} · ${verdict.code ?? ''}`,
        ),
        ...FLAGS.filter((flag) => verdict[flag] === true).map((flag) =>
          h('span', { className: `badge flag ${flag}`, 'data-flag': flag }, this.#t(flag)),
        ),
        h('span', { className: `status status-${step.state}` }, step.status),
      ),
      h(
        'div',
        { className: 'step-at' },
        formatAt(step.kind === 'created' ? order.context.placedAt : step.at, order.context.placedAt, lang),
      ),
      details
        ? h('div', { className: 'step-args' }, valueTree(details, undefined, `args:${order.id}:${step.index}`))
        : null,
      h(
        'p',
        { className: 'message', 'data-testid': 'message', lang },
        // A date stays on one line: '2026-11-' and '25 03:37:07' on two read as two things.
        ...instantParts(verdict.message[lang]).map((part) =>
          typeof part === 'string' ? part : h('span', { className: 'date' }, part.date),
        ),
      ),
      step.pending ? h('p', { className: 'pending' }, this.#t('pending')) : null,
      step.mismatch ? h('p', { className: 'mismatch' }, step.mismatch) : null,
      step.effects.length
        ? h(
            'div',
            { className: 'effects' },
            h('span', { className: 'label' }, this.#t('effects')),
            h('ul', {}, ...step.effects.map((effect) => this.#renderEffect(effect))),
          )
        : null,
      step.changes.length
        ? h(
            'div',
            { className: 'changes', 'data-testid': 'changes' },
            h('span', { className: 'label' }, this.#t('changes')),
            h('table', {}, h('tbody', {}, ...step.changes.map((change) => this.#renderChange(order, step, change)))),
          )
        : null,
    );
  }

  #classify(element: HTMLElement, index: number, cursor: number): void {
    element.classList.toggle('current', index === cursor);
    element.classList.toggle('future', index > cursor);
  }

  /** The steps the timeline lists, from `from` on: all, or the refused ones under "Refused only". */
  #listed(order: OrderView, from = 0): number[] {
    const indices: number[] = [];
    for (let index = from; index < order.steps.length; index += 1)
      if (!this.state.filters.refused || !order.steps[index]!.verdict.accepted) indices.push(index);
    return indices;
  }

  /** The entry of the listed step at `position`, built when not yet (counted in `#built`). */
  #row(order: OrderView, position: number, cursor: number): HTMLElement {
    const index = this.#listedSteps[position]!;
    let element = this.#rows.get(index);
    if (!element) {
      element = this.#renderStep(order, order.steps[index]!);
      this.#classify(element, index, cursor);
      this.#rows.set(index, element);
      this.#built += 1;
    }
    return element;
  }

  /**
   * Shows the listed steps from position `from` to `to`, reusing the entries already built and removing the others,
   * so the timeline holds at most `TIMELINE_MAX_ROWS` entries however long the order.
   */
  #showWindow(order: OrderView, from: number, to: number, cursor: number): void {
    const timeline = byId('timeline');
    const pane = byId('timeline-pane');
    const keep = new Set(this.#listedSteps.slice(from, to));
    for (const [index, element] of this.#rows)
      if (!keep.has(index)) {
        element.remove();
        this.#rows.delete(index);
      }
    // Entries added above the ones shown must not move what the reader is looking at.
    // (Reading scrollHeight lays the page out: only when it is needed.)
    const prepending = timeline.firstChild !== null && from < this.#from;
    const before = prepending ? pane.scrollHeight : 0;
    let next: ChildNode | null = timeline.firstChild;
    for (let position = from; position < to; position += 1) {
      const row = this.#row(order, position, cursor);
      if (row === next) next = next.nextSibling;
      else timeline.insertBefore(row, next);
    }
    if (prepending) pane.scrollTop += pane.scrollHeight - before;
    this.#from = from;
    this.#to = to;
    const lang = this.state.lang;
    const earlier = byId<HTMLButtonElement>('timeline-earlier');
    earlier.hidden = from === 0;
    earlier.textContent = word(lang, 'earlierSteps', { count: from });
    const later = byId<HTMLButtonElement>('timeline-later');
    later.hidden = to >= this.#listedSteps.length;
    later.textContent = word(lang, 'laterSteps', { count: this.#listedSteps.length - to });
    timeline.dataset['rows'] = String(this.#rows.size);
  }

  /** Shows more entries above (-1) or below (1) the window: the "earlier" and "later" buttons, or scrolling to them. */
  extendTimeline(direction: -1 | 1): void {
    const order = this.state.current();
    if (!order || this.#timelineOrder !== order.id) return;
    this.#built = 0;
    let from = this.#from;
    let to = this.#to;
    if (direction < 0) {
      from = Math.max(0, from - TIMELINE_CHUNK);
      to = Math.min(to, from + TIMELINE_MAX_ROWS);
    } else {
      to = Math.min(this.#listedSteps.length, to + TIMELINE_CHUNK);
      from = Math.max(from, to - TIMELINE_MAX_ROWS);
    }
    if (from !== this.#from || to !== this.#to) this.#showWindow(order, from, to, this.state.cursorOf(order));
    this.#noteBuilt();
  }

  /** Keeps the most entries built in one frame in `#timeline[data-max-built]` (the browser test reads it). */
  #noteBuilt(): void {
    this.#maxBuilt = Math.max(this.#maxBuilt, this.#built);
    byId('timeline').dataset['maxBuilt'] = String(this.#maxBuilt);
  }

  /**
   * The timeline, drawn as a window of at most `TIMELINE_MAX_ROWS` entries around the step shown (the newest when
   * following a live order), building at most `TIMELINE_CHUNK` new entries a frame (plus entries already shown that
   * changed): an order of thousands of steps costs a frame no more than one of sixty. Entries further away are built
   * when scrolled or clicked to.
   */
  #renderTimeline(order: OrderView, cursor: number, following: boolean): void {
    const state = this.state;
    const pane = byId('timeline-pane');
    this.#built = 0;
    const rebuilt = state.fullRender || this.#timelineOrder !== order.id || this.#classFilter !== state.filters.refused;
    if (rebuilt) {
      this.#timelineOrder = order.id;
      this.#classFilter = state.filters.refused;
      for (const element of this.#rows.values()) element.remove();
      this.#rows.clear();
      this.#stale.clear();
      this.#listedSteps = this.#listed(order);
      this.#known = order.steps.length;
      this.#from = 0;
      this.#to = 0;
    } else if (state.dirtySteps.size) {
      if (order.steps.length > this.#known) {
        this.#listedSteps.push(...this.#listed(order, this.#known));
        this.#known = order.steps.length;
      }
      // A step already shown that changed (confirmed, or a mismatch found) is drawn again, below.
      for (const index of state.dirtySteps) if (this.#rows.has(index)) this.#stale.add(index);
    }
    const listed = this.#listedSteps;
    // The position among the listed steps of the step shown, or of the nearest listed step before it.
    let position = 0;
    if (following) position = listed.length - 1;
    else {
      let low = 0;
      let high = listed.length - 1;
      while (low <= high) {
        const middle = (low + high) >> 1;
        if (listed[middle]! <= cursor) {
          position = middle;
          low = middle + 1;
        } else high = middle - 1;
      }
    }
    let from = this.#from;
    let to = this.#to;
    if (following && to > from && listed.length - to <= TIMELINE_CHUNK) {
      // New steps of the order followed: appended, the oldest dropped (a reader who scrolls up gets them back).
      to = listed.length;
      from = Math.max(from, to - TIMELINE_CHUNK);
    } else if (rebuilt || from === to || position < from || position >= to) {
      // Another order, step far away or filter: a window around the step shown.
      from = Math.max(0, Math.min(position - TIMELINE_CHUNK / 2, listed.length - TIMELINE_CHUNK));
      to = Math.min(listed.length, from + TIMELINE_CHUNK);
    }
    if (rebuilt || from !== this.#from || to !== this.#to) this.#showWindow(order, from, to, cursor);
    // Entries shown whose step changed, within what is left of this frame's budget; the rest at the next frame.
    for (const index of this.#stale) {
      const element = this.#rows.get(index);
      const step = order.steps[index];
      if (element && step) {
        if (this.#built >= TIMELINE_FRAME_BUDGET) {
          this.schedule();
          break;
        }
        const fresh = this.#renderStep(order, step);
        this.#classify(fresh, index, cursor);
        element.replaceWith(fresh);
        this.#rows.set(index, fresh);
        this.#built += 1;
      }
      this.#stale.delete(index);
    }
    const moved = rebuilt || this.#classCursor !== cursor;
    if (moved) for (const [index, element] of this.#rows) this.#classify(element, index, cursor);
    this.#classCursor = cursor;
    byId('timeline-empty').hidden = !state.filters.refused || listed.length > 0;
    this.#noteBuilt();
    const current = this.#rows.get(cursor);
    if (following) {
      if (rebuilt || state.dirtySteps.size) pane.scrollTop = pane.scrollHeight;
    } else if (current && moved) {
      // Scroll the timeline pane only, never the page.
      const top = current.getBoundingClientRect().top - pane.getBoundingClientRect().top + pane.scrollTop;
      if (top < pane.scrollTop || top + current.offsetHeight > pane.scrollTop + pane.clientHeight)
        pane.scrollTop = top - 8;
    }
  }

  // ---- the shown order --------------------------------------------------------------------------

  #renderDeadlines(context: Record<string, unknown>, step: StepView, ended: boolean): void {
    const lang = this.state.lang;
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
        // An order that has ended (shipped or cancelled) has no deadline left to meet: no countdown, no "open".
        const verdict = ended ? 'ended' : passed ? 'passed' : 'open';
        return h(
          'tr',
          { 'data-deadline': key, 'data-passed': String(passed), 'data-ended': String(ended) },
          h('th', {}, this.#t(key)),
          h(
            'td',
            {},
            h(
              'time',
              { className: 'value date', datetime: new Date(at).toISOString(), title: new Date(at).toISOString() },
              localDate(at),
            ),
          ),
          ended ? null : h('td', { className: 'countdown', 'data-at': at }, countdown(at, lang)),
          h(
            'td',
            { className: `at-step ${verdict}` },
            ended
              ? this.#t('noLongerApplies')
              : `${this.#t('atThisStep')}${this.#t('colon')}${passed ? this.#t('passed') : this.#t('open')}`,
          ),
        );
      });
    byId('deadlines').replaceChildren(h('table', {}, h('tbody', {}, ...rows)));
  }

  #renderDetail(): void {
    const state = this.state;
    const order = state.current();
    byId('detail').hidden = !order;
    // With nothing selected, say what to do (with a store, the orders are in "Stored orders" until one is opened).
    const stored = this.chart.hasStore;
    byId('landing').hidden = Boolean(order) || (state.orders.size === 0 && !stored);
    byId('landing').textContent = this.#t(stored ? 'landingStored' : 'landing');
    this.chart.draw(order);
    if (!order) return;
    const cursor = state.cursorOf(order);
    const step = order.steps[cursor]!;
    const following = state.following(order);
    byId('current-order').textContent = `${this.#t('orderId')} ${order.orderId}`;
    const current = byId('current-state');
    current.textContent = step.status;
    current.setAttribute('data-state', step.state);
    current.className = `status big status-${step.state}`;
    byId('position').textContent = `${this.#t('step')} ${cursor} ${this.#t('of')} ${order.steps.length - 1}`;
    const controls: Array<['first' | 'previous' | 'next' | 'last', number, boolean]> = [
      ['first', 0, cursor > 0],
      ['previous', cursor - 1, cursor > 0],
      ['next', cursor + 1, cursor < order.steps.length - 1],
      ['last', order.steps.length - 1, cursor < order.steps.length - 1],
    ];
    for (const [id, target, enabled] of controls) {
      const button = byId<HTMLButtonElement>(id);
      button.disabled = !enabled;
      button.title = this.#t(id);
      button.onclick = () => {
        state.setCursor(order, target);
        this.schedule();
      };
    }
    const follow = byId<HTMLInputElement>('follow');
    follow.parentElement!.hidden = order.source !== 'live';
    follow.checked = following;
    follow.onchange = () => {
      state.follow(order, follow.checked);
      this.schedule();
    };
    const exporter = byId<HTMLButtonElement>('export');
    exporter.hidden = order.source !== 'live';
    const canReplay = replayable(order);
    exporter.disabled = !canReplay;
    exporter.title = canReplay ? '' : this.#t('exportJoined');
    exporter.onclick = () => downloadRecording(order);

    this.#renderTimeline(order, cursor, following);
    // The context and deadlines change only with the step shown (or the language).
    const key = `${order.id}/${cursor}/${state.lang}/${order.steps.length}/${state.contextVersion}`;
    // Only new steps of the order followed are throttled; another order, step or language draws at once.
    const base = `${order.id}/${state.lang}/${state.contextVersion}`;
    const streaming =
      key !== this.#detailKey && base === this.#detailBase && following && performance.now() - this.#detailDrawn < 200;
    if (streaming) {
      // While a live order streams in, its context and deadlines are redrawn at most five times a second.
      if (!this.#detailTimer)
        this.#detailTimer = window.setTimeout(() => {
          this.#detailTimer = 0;
          this.schedule();
        }, 200);
    } else if (state.fullRender || key !== this.#detailKey) {
      this.#detailKey = key;
      this.#detailBase = base;
      this.#detailDrawn = performance.now();
      const context = state.contextAt(order, cursor);
      this.#renderDeadlines(context, step, this.chart.isFinal(step.state));
      byId('context').replaceChildren(contextTree(context));
    }
    this.chart.highlight();
  }

  // ---- the activity panel -----------------------------------------------------------------------

  #renderActivity(): void {
    const activity = this.state.activity();
    const count = activity.length;
    byId('activity-count').textContent = String(count);
    byId('activity-toggle').classList.toggle('has-entries', count > 0);
    const list = byId('activity-list');
    if (count === 0) {
      list.replaceChildren(h('li', { className: 'empty' }, this.#t('noActivity')));
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
}

/** The event's own fields, beside its type and instant; null when it has none. */
function eventDetails(step: StepView): Record<string, unknown> | null {
  if (!step.event) return null;
  const { type: _type, at: _at, ...rest } = step.event;
  return Object.keys(rest).length ? rest : null;
}
