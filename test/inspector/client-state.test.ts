import { describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  createOrderActor,
  restoreOrder,
  serializeOrder,
  type OrderEventInput,
  type OrderInput,
} from '../../src/index.js';
import type { ServerMessage } from '../../src/inspector/client/protocol.js';
import { MAX_ACTIVITY, PageState } from '../../src/inspector/client/state.js';
import { contextAt, loadRecordings, OrderBook, type OrderChange, type OrderView } from '../../src/inspector/index.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

/** What the wire does to a message: the page sees JSON, never the server's objects. */
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

/** One server's recordings: each has its own id. */
const recordings = new OrderBook();

/** A recorded order as the server lists it. */
function recording(events: OrderEventInput[], input: OrderInput = orderInput(), name = 'recorded.json'): OrderView {
  return wire(recordings.addRecordings(loadRecordings({ input, events }, name))[0]!);
}

/**
 * A live order driven through the server's OrderBook with @statelyai/inspect's messages: returns the messages
 * the server would send the page, in order (the new order, then each step and its confirmation).
 */
function liveOrder(input: OrderInput, events: OrderEventInput[], sessionId = 'x:0', connection = 'c1'): OrderChange[] {
  const book = new OrderBook();
  const changes: OrderChange[] = [];
  book.subscribe((change) => changes.push(wire(change)));
  const actor = createOrderActor(input, { clock: new SimulatedClock() });
  const snapshot = () => wire(actor.getSnapshot()) as unknown as { value: unknown; context: unknown };
  const init = { type: 'xstate.init', input };
  book.receive(connection, JSON.stringify({ type: '@xstate.event', sessionId, event: init }));
  book.receive(connection, JSON.stringify({ type: '@xstate.snapshot', sessionId, event: init, snapshot: snapshot() }));
  for (const event of events) {
    actor.send(event);
    book.receive(connection, JSON.stringify({ type: '@xstate.event', sessionId, event }));
    book.receive(connection, JSON.stringify({ type: '@xstate.snapshot', sessionId, event, snapshot: snapshot() }));
  }
  actor.stop();
  return changes;
}

const events: OrderEventInput[] = [
  { type: 'buyer.requestCancellation', at: placedAt + 35 * MINUTE, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'buyer.cancel', at: placedAt + 36 * MINUTE },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
];

const fresh = (wanted: string | null = null) => new PageState({ wanted, lang: 'en' });
const orders = (list: OrderView[]): ServerMessage => ({ type: 'orders', orders: list, activity: [] });

describe('the inspector page state', () => {
  it('should list the orders of the first frame and show the first one, a recording at its first step', () => {
    const first = recording(events, orderInput({ orderId: '113-0000000-0000001' }), 'one.json');
    const second = recording(events.slice(0, 1), orderInput({ orderId: '113-0000000-0000002' }), 'two.json');
    const state = fresh();
    state.receive([orders([first, second])]);
    expect([...state.orders.keys()]).toEqual([first.id, second.id]);
    expect(state.selected).toBe(first.id);
    expect(state.current()).toBe(state.orders.get(first.id));
    expect(state.cursorOf(first)).toBe(0);
    expect(state.following(first)).toBe(false);
    expect(state.fullRender).toBe(true);
    expect(state.hash()).toBe(`#order=${first.orderId}`);
  });

  it('should follow a live order as its steps arrive, and mark only the new steps for drawing', () => {
    const changes = liveOrder(orderInput(), events);
    const state = fresh();
    state.receive([orders([])]);
    expect(state.selected).toBeNull();
    state.receive(changes.slice(0, 1));
    const order = state.current()!;
    expect(order.source).toBe('live');
    state.drawn();
    state.receive(changes.slice(1));
    expect(order.steps.map((step) => step.state)).toEqual([
      'buyerCancellable',
      'unshipped',
      'unshipped',
      'labelGenerated',
    ]);
    expect(order.steps.map((step) => step.verdict.accepted)).toEqual([true, true, false, true]);
    expect(order.steps.some((step) => step.pending)).toBe(false);
    expect(state.following(order)).toBe(true);
    expect(state.cursorOf(order)).toBe(3);
    expect([...state.dirtySteps].sort()).toEqual([0, 1, 2, 3]);
    expect([...state.dirtyOrders]).toEqual([order.id]);
    expect(state.fullRender).toBe(false);
  });

  it('should keep one order when the app restarts its actor from a saved snapshot, drawing only the steps it adds', () => {
    const book = new OrderBook();
    const changes: OrderChange[] = [];
    book.subscribe((change) => changes.push(wire(change)));
    const run = (sessionId: string, from: Parameters<typeof createOrderActor>[0], sent: OrderEventInput[]) => {
      const actor = createOrderActor(from, { clock: new SimulatedClock() });
      const snapshot = () => wire(actor.getSnapshot()) as unknown as { value: unknown; context: unknown };
      const init = 'orderId' in from ? { type: 'xstate.init', input: from } : { type: 'xstate.init' };
      book.receive('c1', JSON.stringify({ type: '@xstate.event', sessionId, event: init }));
      book.receive('c1', JSON.stringify({ type: '@xstate.snapshot', sessionId, event: init, snapshot: snapshot() }));
      for (const event of sent) {
        actor.send(event);
        book.receive('c1', JSON.stringify({ type: '@xstate.event', sessionId, event }));
        book.receive('c1', JSON.stringify({ type: '@xstate.snapshot', sessionId, event, snapshot: snapshot() }));
      }
      return actor.getSnapshot();
    };
    const state = fresh();
    state.receive([orders([])]);
    const after = run('x:0', orderInput(), events.slice(0, 2));
    state.receive(changes.splice(0));
    const order = state.current()!;
    state.drawn();
    // The app restarts: a new actor (x:1) from the saved snapshot, then one more event.
    run('x:1', restoreOrder(serializeOrder(after)), events.slice(2));
    state.receive(changes.splice(0));
    expect([...state.orders.values()]).toEqual([order]);
    expect(state.current()).toBe(order);
    expect(order.steps.map((step) => [step.kind, step.state])).toEqual([
      ['created', 'buyerCancellable'],
      ['event', 'unshipped'],
      ['event', 'unshipped'],
      ['event', 'labelGenerated'],
    ]);
    expect([...state.dirtySteps]).toEqual([3]);
    expect(state.fullRender).toBe(false);
  });

  it('should rebuild the context at every step as the server does, from the first context and the changes', () => {
    const changes = liveOrder(orderInput(), events);
    const state = fresh();
    state.receive([orders([]), ...changes]);
    const order = state.current()!;
    for (let index = 0; index < order.steps.length; index += 1)
      expect(state.contextAt(order, index)).toEqual(contextAt(order, index));
    // Backwards too (the cache restarts from the first context), and never changed by a later call.
    const atOne = state.contextAt(order, 1);
    const copy = structuredClone(atOne);
    expect(state.contextAt(order, 3)).toEqual(contextAt(order, 3));
    expect(atOne).toEqual(copy);
    expect(state.contextAt(order, 0)).toEqual(order.context);
  });

  it('should leave the steps as they came while rebuilding contexts, when a step changes inside an object an earlier step set', () => {
    const order = recording(events);
    order.steps[1]!.changes = [{ path: 'label', keys: ['label'], before: null, after: { a: 1 } }];
    order.steps[2]!.changes = [{ path: 'label.a', keys: ['label', 'a'], before: 1, after: 2 }];
    const state = fresh();
    state.receive([orders([order])]);
    expect(state.contextAt(order, 2)['label']).toEqual({ a: 2 });
    expect(order.steps[1]!.changes[0]!.after).toEqual({ a: 1 });
    expect(contextAt(order, 2)).toMatchObject({ label: { a: 2 } });
    expect(order.steps[1]!.changes[0]!.after).toEqual({ a: 1 });
  });

  it('should recompute contexts past a corrected step, not reuse the cached one', () => {
    const state = fresh();
    const order = { ...recording(events), source: 'live' as const };
    state.receive([orders([order])]);
    const shown = state.current()!;
    expect(state.contextAt(shown, 3)).toEqual(contextAt(shown, 3));
    const corrected = { ...shown.steps[1]!, changes: [{ path: 'note', keys: ['note'], after: 'corrected' }] };
    state.receive([{ type: 'step', id: shown.id, step: corrected }]);
    expect(state.contextVersion).toBe(1);
    expect(state.contextAt(shown, 3)['note']).toBe('corrected');
    expect(state.dirtySteps.has(1)).toBe(true);
  });

  it('should drop the pending mark of a confirmed step, and mark a live order disconnected', () => {
    const changes = liveOrder(orderInput(), events.slice(2));
    const state = fresh();
    // The step as predicted, before the app's snapshot confirmed it.
    const predicted = changes.filter((change) => change.type !== 'confirm');
    state.receive([orders([]), ...predicted]);
    const order = state.current()!;
    expect(order.steps[1]!.pending).toBe(true);
    state.receive([{ type: 'confirm', id: order.id, index: 1 }]);
    expect(order.steps[1]!.pending).toBeUndefined();
    state.receive([{ type: 'connection', id: order.id, disconnected: true }]);
    expect(order.disconnected).toBe(true);
  });

  it('should forget an order and show another one instead', () => {
    const first = recording(events, orderInput({ orderId: '113-0000000-0000001' }));
    const second = recording(events, orderInput({ orderId: '113-0000000-0000002' }));
    const state = fresh();
    state.receive([orders([first, second])]);
    state.receive([{ type: 'forgot', id: first.id }]);
    expect(state.orders.has(first.id)).toBe(false);
    expect(state.cursors.has(first.id)).toBe(false);
    expect(state.selected).toBe(second.id);
  });

  it('should show the first order a loaded file added, and clear the error banner', () => {
    const first = recording(events, orderInput({ orderId: '113-0000000-0000001' }));
    const loaded = recording(events, orderInput({ orderId: '113-0000000-0000002' }), 'loaded.json');
    const state = fresh();
    state.receive([orders([first])]);
    state.receive([{ type: 'error', message: 'Invalid recording loaded.json: expected JSON.' }]);
    expect(state.notice).toBe('Invalid recording loaded.json: expected JSON.');
    state.receive([
      { type: 'order', order: loaded },
      { type: 'loaded', ids: [loaded.id] },
    ]);
    expect(state.selected).toBe(loaded.id);
    expect(state.notice).toBeNull();
  });

  it('should keep the latest activity entries, with its own, oldest first', () => {
    const state = fresh();
    state.receive([{ type: 'orders', orders: [], activity: [{ at: 5, kind: 'connected', message: 'opened' }] }]);
    state.pageActivity.push({ at: 3, kind: 'dropped', message: 'page lost' });
    expect(state.activity().map((entry) => entry.message)).toEqual(['page lost', 'opened']);
    state.receive(
      Array.from({ length: MAX_ACTIVITY + 10 }, (_, i) => ({
        type: 'activity' as const,
        entry: { at: 10 + i, kind: 'ignored' as const, message: `ignored ${i}` },
      })),
    );
    expect(state.serverActivity).toHaveLength(MAX_ACTIVITY);
    expect(state.serverActivity.at(-1)!.message).toBe(`ignored ${MAX_ACTIVITY + 9}`);
  });

  it('should select the order the address names when it arrives, preferring a connected live actor', () => {
    const orderId = '113-0000000-0000009';
    const other = recording(events, orderInput({ orderId: '113-0000000-0000001' }));
    const state = fresh(orderId);
    state.receive([orders([other])]);
    // Not there yet: another order is shown meanwhile, and the address is left alone.
    expect(state.selected).toBe(other.id);
    expect(state.wanted).toBe(orderId);
    expect(state.hash()).toBeNull();
    const old = recording(events, orderInput({ orderId }), 'old.json');
    const live = liveOrder(orderInput({ orderId }), events.slice(0, 1));
    state.receive([{ type: 'order', order: old }, ...live]);
    const shown = state.current()!;
    expect(shown.orderId).toBe(orderId);
    expect(shown.source).toBe('live');
    expect(state.wanted).toBeNull();
    expect(state.hash()).toBe(`#order=${orderId}`);
    // The recording of the same order is named by its own id in the address.
    state.select(old.id);
    expect(state.hash()).toBe(`#order=${encodeURIComponent(old.id)}`);
    state.want(other.orderId);
    expect(state.selected).toBe(other.id);
  });

  it('should show the first order that passes the filters, and filter by id, name, state and refusals', () => {
    const refused = recording(events, orderInput({ orderId: '113-0000000-0000001' }), 'mug.json');
    const clean = recording(events.slice(0, 1), orderInput({ orderId: '113-0000000-0000002' }), 'plate.json');
    const state = fresh();
    state.filters.refused = true;
    state.receive([orders([clean, refused])]);
    expect(state.selected).toBe(refused.id);
    expect(state.matches(clean)).toBe(false);
    state.filters.refused = false;
    state.filters.id = ' PLATE ';
    expect([clean, refused].filter((order) => state.matches(order))).toEqual([clean]);
    state.filters.id = '0000001';
    expect([clean, refused].filter((order) => state.matches(order))).toEqual([refused]);
    state.filters.id = '';
    state.filters.state = 'labelGenerated';
    expect([clean, refused].filter((order) => state.matches(order))).toEqual([refused]);
  });

  it('should keep the cursor within the steps, and follow a live order again at its latest step', () => {
    const live = { ...recording(events), source: 'live' as const };
    const state = fresh();
    state.receive([orders([live])]);
    const order = state.current()!;
    state.setCursor(order, -4);
    expect(state.cursorOf(order)).toBe(0);
    expect(state.following(order)).toBe(false);
    state.setCursor(order, 99);
    expect(state.cursorOf(order)).toBe(3);
    expect(state.following(order)).toBe(true);
    state.follow(order, false);
    expect(state.cursors.get(order.id)).toBe(3);
    const recorded = recording(events);
    state.receive([{ type: 'order', order: recorded }]);
    state.setCursor(recorded, 99);
    expect(state.cursors.get(recorded.id)).toBe(3);
  });
});
