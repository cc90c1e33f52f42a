/*
 * The stored orders panel (`inspect --db` / `--database-url`): the server lists a store's orders by id, 50 at a
 * time; opening one asks the server to load its history as a recording.
 */
import { byId, h } from './dom.js';
import { localDate } from './format.js';
import { word, type Lang } from './i18n.js';

const PAGE_SIZE = 50;

/** One stored order as `/api/stored` lists it. */
interface StoredOrder {
  orderId: string;
  status: string;
  version: number;
  updatedAt?: number;
}

/**
 * Connects the panel's search, status filter and "More" button, and lists the first page when there is a store.
 * @example
 * storedPanel({ stored: true, statuses, lang: () => state.lang, open: (orderId) => socket.send({ type: 'openStored', orderId }), fail });
 */
export function storedPanel(options: {
  /** Whether the server has a store to list; without one the panel stays hidden. */
  stored: boolean;
  /** The product brief's names of the states, to filter by. */
  statuses: readonly string[];
  lang: () => Lang;
  open: (orderId: string) => void;
  /** The server refused a listing: its answer, for the page's banner. */
  fail: (message: string) => void;
}): void {
  const search = byId<HTMLInputElement>('stored-id');
  const status = byId<HTMLSelectElement>('stored-status');
  const list = byId('stored-list');
  const more = byId<HTMLButtonElement>('stored-more');
  status.replaceChildren(
    h('option', { value: '', 'data-text': 'allStates' }, word(options.lang(), 'allStates')),
    ...[...new Set(options.statuses)].map((name) => h('option', { value: name }, name)),
  );
  let query = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const load = (append: boolean): void => {
    const asked = ++query;
    const params = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (search.value) params.set('id', search.value);
    if (status.value) params.set('status', status.value);
    const last = append ? list.lastElementChild?.getAttribute('data-stored-id') : null;
    if (last) params.set('after', last);
    void fetch(`/api/stored?${params.toString()}`).then(async (response) => {
      if (response.status === 404) return; // started without a store
      if (asked !== query) return;
      if (!response.ok) return options.fail(await response.text());
      const body = (await response.json()) as { orders: StoredOrder[] };
      if (asked !== query) return;
      byId('stored').hidden = false;
      const buttons = body.orders.map((order) => storedButton(order, () => options.open(order.orderId)));
      if (append) list.append(...buttons);
      else
        list.replaceChildren(
          ...(buttons.length
            ? buttons
            : [h('p', { className: 'empty', 'data-text': 'noStored' }, word(options.lang(), 'noStored'))]),
        );
      more.hidden = body.orders.length < PAGE_SIZE;
    });
  };
  search.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => load(false), 150);
  });
  status.addEventListener('change', () => load(false));
  more.addEventListener('click', () => load(true));
  if (options.stored) load(false);
}

function storedButton(order: StoredOrder, open: () => void): HTMLButtonElement {
  return h(
    'button',
    {
      type: 'button',
      className: 'order stored-order',
      'data-testid': 'stored-order',
      'data-stored-id': order.orderId,
      'data-status': order.status,
      title: order.orderId,
      onclick: open,
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
  );
}
