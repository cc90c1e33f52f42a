/*
 * The inspector page's script (bundled into dist/src/inspector/app.js by scripts/build-inspector-client.ts):
 * reads the server's configuration from the page, connects to the server, and wires the page's controls to
 * the model (state.ts) and its drawing (render.ts).
 */
import { ChartView } from './chart.js';
import { byId, h } from './dom.js';
import { langOf, word } from './i18n.js';
import type { ClientConfig } from './protocol.js';
import { useSnapshotEnvelope } from './recording.js';
import { PageView } from './render.js';
import { connectPage } from './socket.js';
import { PageState } from './state.js';
import { storedPanel } from './stored.js';

const LANG_KEY = 'order-lifecycle.lang';

/** The order the address names (`#order=<order id>`), if any. */
function readHash(): string | null {
  return new URLSearchParams(location.hash.slice(1)).get('order') || null;
}

function readLang(): string | null {
  try {
    return localStorage.getItem(LANG_KEY);
  } catch {
    return null;
  }
}

function start(config: ClientConfig): void {
  useSnapshotEnvelope(config.snapshot);
  const state = new PageState({ wanted: readHash(), lang: langOf(readLang()) });
  const chart = new ChartView(config, state);
  const view = new PageView(state, chart);

  const stateFilter = byId<HTMLSelectElement>('filter-state');
  stateFilter.replaceChildren(
    h('option', { value: '', 'data-text': 'allStates' }),
    ...Object.entries(config.statuses).map(([key, name]) => h('option', { value: key }, name)),
  );
  stateFilter.addEventListener('change', () => {
    state.filters.state = stateFilter.value;
    view.rerender();
  });
  const idFilter = byId<HTMLInputElement>('filter-id');
  idFilter.addEventListener('input', () => {
    state.filters.id = idFilter.value;
    view.rerender();
  });
  const refusedFilter = byId<HTMLInputElement>('filter-refused');
  refusedFilter.addEventListener('change', () => {
    state.filters.refused = refusedFilter.checked;
    view.rerender();
  });

  for (const button of Array.from(document.querySelectorAll<HTMLButtonElement>('[data-lang]'))) {
    button.addEventListener('click', () => {
      state.lang = langOf(button.dataset['lang']);
      try {
        localStorage.setItem(LANG_KEY, state.lang);
      } catch {
        // Storage may be disabled; the choice then lasts until the page reloads.
      }
      view.rerender();
    });
  }

  byId('notice-close').addEventListener('click', () => {
    state.notice = null;
    view.schedule();
  });
  const activityPanel = byId('activity');
  const activityToggle = byId('activity-toggle');
  activityToggle.addEventListener('click', () => {
    activityPanel.hidden = !activityPanel.hidden;
    activityToggle.setAttribute('aria-expanded', String(!activityPanel.hidden));
  });
  byId('activity-close').addEventListener('click', () => {
    activityPanel.hidden = true;
    activityToggle.setAttribute('aria-expanded', 'false');
  });

  chart.wire();

  document.addEventListener('keydown', (event) => {
    const order = state.current();
    if (!order || (event.target as HTMLElement).closest('input, textarea, select')) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') state.setCursor(order, state.cursorOf(order) - 1);
    else if (event.key === 'ArrowRight' || event.key === 'ArrowDown') state.setCursor(order, state.cursorOf(order) + 1);
    else if (event.key === 'Home') state.setCursor(order, 0);
    else if (event.key === 'End') state.setCursor(order, order.steps.length - 1);
    else return;
    event.preventDefault();
    view.schedule();
  });

  const socket = connectPage(config.socketPath, {
    onOpen: () => {
      if (state.socketState === 'lost')
        state.pageActivity.push({ at: Date.now(), kind: 'connected', message: word(state.lang, 'pageBack') });
      state.socketState = 'connected';
      view.schedule();
    },
    onMessages: (messages) => {
      state.receive(messages);
      view.writeHash();
      view.schedule();
    },
    onClose: () => {
      if (state.socketState === 'connected')
        state.pageActivity.push({ at: Date.now(), kind: 'dropped', message: word(state.lang, 'pageLost') });
      state.socketState = state.socketState === 'connected' || state.socketState === 'lost' ? 'lost' : 'connecting';
      view.schedule();
    },
  });

  storedPanel({
    stored: config.stored === true,
    statuses: Object.values(config.statuses),
    lang: () => state.lang,
    open: (orderId) => socket.send({ type: 'openStored', orderId }),
    fail: (message) => {
      state.notice = message;
      view.schedule();
    },
  });

  const fileInput = byId<HTMLInputElement>('file');
  fileInput.addEventListener('change', () => {
    const file = fileInput.files?.[0];
    if (!file) return;
    void file.text().then((content) => {
      socket.send({ type: 'load', name: file.name, text: content });
      fileInput.value = '';
    });
  });

  // Another order named in the address bar (or by going back): show it, now or when it arrives.
  window.addEventListener('hashchange', () => {
    state.want(readHash());
    view.writeHash();
    view.schedule();
  });

  setInterval(() => view.tickCountdowns(), 1000);
  view.render();
}

// The server writes its configuration into the page as a JSON data block (not a script: the page's policy runs none inline).
start(JSON.parse(byId('inspector-config').textContent ?? '{}') as ClientConfig);
