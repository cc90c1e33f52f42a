/*
 * The statechart pane: the server's SVG for the order's policy, zoomed and panned, with the order's active
 * states and the transition its step took highlighted.
 */
import type { OrderView } from '../orders.js';
import { byId } from './dom.js';
import type { ClientConfig } from './protocol.js';
import type { PageState } from './state.js';

/** The SVG's own size in CSS px at 100 % (Graphviz writes points). */
function naturalSize(svg: SVGSVGElement): { width: number; height: number } {
  const box = svg.viewBox.baseVal;
  return { width: (box.width * 4) / 3, height: (box.height * 4) / 3 };
}

/** The chart's query for an order's policy (the windows change the chart's labels). */
function chartKey(order: OrderView): string {
  return `buyerCancelWindowMs=${order.policy.buyerCancelWindowMs}&autoCancelAfterMs=${order.policy.autoCancelAfterMs}`;
}

/**
 * The chart pane of the page (`#chart`).
 * @example
 * const chart = new ChartView(config, state);
 * chart.wire();
 * chart.draw(state.current());
 */
export class ChartView {
  readonly #charts = new Map<string, Promise<string>>();
  #drawn: string | null = null;
  /** The user's zoom; null means "fit" (the default). */
  #zoom: number | null = null;
  #shownState = '';

  constructor(
    private readonly config: ClientConfig,
    private readonly state: PageState,
  ) {}

  /** Draws the chart for an order's policy (fetched once per policy), then highlights its step. */
  draw(order: OrderView | undefined): void {
    const holder = byId('chart');
    if (!order) {
      holder.replaceChildren();
      this.#drawn = null;
      return;
    }
    const key = chartKey(order);
    if (this.#drawn === key) return this.highlight();
    this.#drawn = key;
    holder.setAttribute('aria-busy', 'true');
    void this.#load(key).then(
      (svg) => {
        if (this.#drawn !== key) return;
        // The SVG comes from this server's Graphviz rendering of the machine, not from an app.
        holder.innerHTML = svg;
        holder.removeAttribute('aria-busy');
        this.#applyZoom();
        this.highlight();
      },
      (error: Error) => {
        holder.textContent = error.message;
      },
    );
  }

  /** Whether the server lists an order store (`inspect --db` or `--database-url`). */
  get hasStore(): boolean {
    return this.config.stored === true;
  }

  /** Whether a state is final (the order has ended there): neither a compound state nor inside one. */
  isFinal(key: string): boolean {
    const { parents } = this.config;
    return !(key in parents) && !Object.values(parents).includes(key);
  }

  /** Marks the shown step's state (and its parents) active, and the transition that led to it taken. */
  highlight(): void {
    const holder = byId('chart');
    for (const element of Array.from(holder.querySelectorAll('.active, .taken')))
      element.classList.remove('active', 'taken');
    const order = this.state.current();
    if (!order) return;
    const { parents, edgeAliases } = this.config;
    const index = this.state.cursorOf(order);
    const step = order.steps[index]!;
    for (let key: string | undefined = step.state; key !== undefined; key = parents[key]) {
      document.getElementById(`state-${key}`)?.classList.add('active');
    }
    const node = document.getElementById(`state-${step.state}`);
    if (node && this.#shownState !== `${order.id}/${step.state}`) {
      this.#shownState = `${order.id}/${step.state}`;
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
    for (let key: string | undefined = previous.state; key !== undefined; key = parents[key]) sources.push(key);
    const find = (source: string, target: string, type: string) => {
      const id = `edge-${source}-${target}-${type}-0`;
      return document.getElementById(edgeAliases[id] ?? id);
    };
    // The event's own transition; an event that empties the order (a whole-order cancel) took its loop and then
    // the eventless `always` transition out of `placed`: both are marked. A refused event moved the order only
    // through a deadline (`*`).
    const types = step.verdict.accepted ? [eventType, 'always', '*'] : ['*'];
    for (const type of types) {
      // A self-transition of a compound state (`placed`) is drawn as its own loop.
      const edge = sources
        .flatMap((source) =>
          moved ? [find(source, step.state, type)] : [find(source, step.state, type), find(source, source, type)],
        )
        .find((found) => found !== null);
      if (!edge) continue;
      edge.classList.add('taken');
      if (type === 'always')
        sources
          .map((source) => find(source, source, eventType))
          .find((found) => found !== null)
          ?.classList.add('taken');
      return;
    }
  }

  /** Connects the zoom buttons, Ctrl+wheel zoom, drag to pan, and refitting when the window resizes. */
  wire(): void {
    byId('zoom-in').addEventListener('click', () => this.#setZoom(this.#current() * 1.25));
    byId('zoom-out').addEventListener('click', () => this.#setZoom(this.#current() / 1.25));
    byId('zoom-fit').addEventListener('click', () => this.#setZoom(this.#wholeZoom()));
    byId('zoom-reset').addEventListener('click', () => this.#setZoom(null));
    const holder = byId('chart');
    holder.addEventListener(
      'wheel',
      (event) => {
        if (!event.ctrlKey && !event.metaKey) return;
        event.preventDefault();
        this.#setZoom(this.#current() * (event.deltaY < 0 ? 1.1 : 1 / 1.1));
      },
      { passive: false },
    );
    let drag: { x: number; y: number; left: number; top: number } | null = null;
    holder.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      drag = { x: event.clientX, y: event.clientY, left: holder.scrollLeft, top: holder.scrollTop };
      holder.setPointerCapture(event.pointerId);
      holder.classList.add('panning');
    });
    holder.addEventListener('pointermove', (event) => {
      if (!drag) return;
      holder.scrollLeft = drag.left - (event.clientX - drag.x);
      holder.scrollTop = drag.top - (event.clientY - drag.y);
    });
    const endDrag = () => {
      drag = null;
      holder.classList.remove('panning');
    };
    holder.addEventListener('pointerup', endDrag);
    holder.addEventListener('pointercancel', endDrag);
    window.addEventListener('resize', () => {
      if (this.#zoom === null) this.#applyZoom();
    });
  }

  #load(key: string): Promise<string> {
    let chart = this.#charts.get(key);
    if (!chart) {
      chart = fetch(`/chart.svg?${key}`).then((response) => {
        if (!response.ok) throw new Error(`chart request failed with HTTP ${response.status}`);
        return response.text();
      });
      this.#charts.set(key, chart);
    }
    return chart;
  }

  #current(): number {
    return this.#zoom ?? this.#fitZoom();
  }

  /** The zoom that shows the whole chart in its pane. */
  #wholeZoom(): number {
    const holder = byId('chart');
    const svg = holder.querySelector('svg');
    if (!svg) return 1;
    const size = naturalSize(svg);
    return Math.min((holder.clientWidth - 12) / size.width, (holder.clientHeight - 10) / size.height);
  }

  /** The default zoom: the whole chart if it fits, but never so small that edge labels drop under 12 px. */
  #fitZoom(): number {
    return Math.max(0.75, Math.min(1, this.#wholeZoom()));
  }

  #applyZoom(): void {
    const svg = byId('chart').querySelector('svg');
    if (!svg) return;
    const size = naturalSize(svg);
    const value = this.#current();
    svg.setAttribute('width', `${Math.round(size.width * value)}px`);
    svg.setAttribute('height', `${Math.round(size.height * value)}px`);
    byId('zoom-level').textContent = `${Math.round(value * 100)} %`;
  }

  #setZoom(value: number | null): void {
    const holder = byId('chart');
    const before = this.#current();
    this.#zoom = value === null ? null : Math.max(0.3, Math.min(4, value));
    // Keep the point at the centre of the pane where it was.
    const cx = (holder.scrollLeft + holder.clientWidth / 2) / before;
    const cy = (holder.scrollTop + holder.clientHeight / 2) / before;
    this.#applyZoom();
    const after = this.#current();
    holder.scrollLeft = cx * after - holder.clientWidth / 2;
    holder.scrollTop = cy * after - holder.clientHeight / 2;
  }
}
