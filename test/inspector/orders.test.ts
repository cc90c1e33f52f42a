import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createOrderActor, type OrderEventInput } from '../../src/index.js';
import {
  applyChanges,
  connectInspector,
  contextAt,
  diffContext,
  InspectorError,
  OrderBook,
  startInspector,
  type OrderChange,
} from '../../src/inspector/index.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

/** Resolves when `condition` holds; rejects after `timeoutMs` naming what it waited for. */
async function until<T>(condition: () => T | undefined | false, what: string, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

const running: Array<{ close(): unknown }> = [];
afterEach(async () => {
  for (const each of running.splice(0).reverse()) await each.close();
});

describe('context diffs', () => {
  it('should rebuild the later value from the earlier one and the diff, also after a JSON round trip', () => {
    const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
    console.log(`context diff property: seed ${seed} (FC_SEED=${seed} replays it)`);
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (before, after) => {
        const changes = diffContext(before, after);
        const wired = JSON.parse(JSON.stringify(changes)) as typeof changes;
        const wrap = (value: unknown) => ({ value });
        // Diffs are of objects (contexts); wrap the values so that a top-level replacement is a change too.
        const rebuilt = applyChanges(wrap(before), diffContext(wrap(before), wrap(after)));
        const rebuiltFromWire = applyChanges(
          wrap(before),
          JSON.parse(JSON.stringify(diffContext(wrap(before), wrap(after)))) as typeof changes,
        );
        expect(rebuilt).toEqual(wrap(after));
        expect(rebuiltFromWire).toEqual(JSON.parse(JSON.stringify(wrap(after))));
        expect(changes.every((change) => change.path === change.keys.join('.'))).toBe(true);
        expect(wired.length).toBe(changes.length);
      }),
      { seed, numRuns: 300 },
    );
  });

  it('should treat a __proto__ key as data, never as the prototype', () => {
    const after = JSON.parse('{"__proto__": {"polluted": true}, "list": [{"__proto__": null}]}') as Record<
      string,
      unknown
    >;
    const rebuilt = applyChanges(
      {},
      JSON.parse(JSON.stringify(diffContext({}, after))) as ReturnType<typeof diffContext>,
    );
    expect(Object.hasOwn(rebuilt, '__proto__')).toBe(true);
    expect(rebuilt).toEqual(after);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.getPrototypeOf(rebuilt)).toBe(Object.prototype);
  });

  it('should report a removed key without an after side and an added one without a before side', () => {
    expect(diffContext({ a: 1, list: [1, 2, 3] }, { b: 2, list: [1] })).toEqual([
      { path: 'a', keys: ['a'], before: 1 },
      { path: 'list.1', keys: ['list', 1], before: 2 },
      { path: 'list.2', keys: ['list', 2], before: 3 },
      { path: 'b', keys: ['b'], after: 2 },
    ]);
    expect(
      applyChanges({ a: 1, list: [1, 2, 3] }, diffContext({ a: 1, list: [1, 2, 3] }, { b: 2, list: [1] })),
    ).toEqual({ b: 2, list: [1] });
  });
});

describe('OrderBook memory and messages', () => {
  it('should keep one context per order and each step as its changes, so a step costs the same at the end as at the start', async () => {
    const inspector = await startInspector({ port: 0, log: () => {} });
    running.push(inspector);
    const connection = connectInspector(inspector.socketUrl);
    running.push({ close: () => connection.stop() });
    const actor = createOrderActor(orderInput(), { inspect: connection.inspect, clock: new SimulatedClock() });
    running.push({ close: () => actor.stop() });
    // Each event carries an id, which the order remembers: the context grows with every step.
    const events: OrderEventInput[] = Array.from({ length: 120 }, (_, i) => ({
      type: 'buyer.requestCancellation',
      at: placedAt + (31 + i) * MINUTE,
      source: 'message',
      subject: `question ${i}`,
      eventId: `message-${String(i).padStart(4, '0')}-${'x'.repeat(60)}`,
    }));
    for (const event of events) actor.send(event);
    const order = await until(
      () => inspector.orders().find((each) => each.steps.length === 121 && !each.steps.some((step) => step.pending)),
      'the 121 confirmed steps',
    );
    const app = JSON.parse(JSON.stringify(actor.getSnapshot().context)) as { eventIds: string[] };
    expect(app.eventIds).toHaveLength(120);
    // A step keeps only what it changed, so it does not grow with the context.
    expect(order.steps.every((step) => !('context' in step))).toBe(true);
    const sizes = order.steps.slice(1).map((step) => JSON.stringify(step).length);
    expect(Math.max(...sizes.slice(-20))).toBeLessThan(1.2 * Math.max(...sizes.slice(0, 20)));
    expect(JSON.stringify(contextAt(order, 120)).length).toBeGreaterThan(Math.max(...sizes) * 5);
    // Yet every step's context can be rebuilt, and the last equals the app's.
    expect(contextAt(order, 120)).toEqual(app);
    expect(contextAt(order, 1).eventIds).toEqual([events[0]!.eventId]);
  });

  it('should announce a new order once, then each step once and its confirmation', () => {
    const book = new OrderBook();
    const changes: OrderChange[] = [];
    book.subscribe((change) => changes.push(JSON.parse(JSON.stringify(change)) as OrderChange));
    const input = orderInput();
    const snapshotOf = (actor: ReturnType<typeof createOrderActor>) =>
      JSON.parse(JSON.stringify(actor.getSnapshot())) as { value: unknown; context: unknown };
    const actor = createOrderActor(input, { clock: new SimulatedClock() });
    book.receive(
      'c1',
      JSON.stringify({ type: '@xstate.event', sessionId: 'x:0', event: { type: 'xstate.init', input } }),
    );
    book.receive(
      'c1',
      JSON.stringify({
        type: '@xstate.snapshot',
        sessionId: 'x:0',
        event: { type: 'xstate.init', input },
        snapshot: snapshotOf(actor),
      }),
    );
    const event: OrderEventInput = { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE };
    actor.send(event);
    book.receive('c1', JSON.stringify({ type: '@xstate.event', sessionId: 'x:0', event }));
    book.receive(
      'c1',
      JSON.stringify({ type: '@xstate.snapshot', sessionId: 'x:0', event, snapshot: snapshotOf(actor) }),
    );
    actor.stop();
    expect(changes.map((change) => change.type)).toEqual(['order', 'confirm', 'step', 'confirm']);
    expect(changes[2]).toMatchObject({ type: 'step', step: { index: 1, state: 'labelGenerated', pending: true } });
    expect(book.list()[0]!.steps[1]!.pending).toBeUndefined();
  });
});

describe('connectInspector', () => {
  it('should name a bad address and a bad option in one sentence', () => {
    expect(() => connectInspector('127.0.0.1:4820')).toThrow(InspectorError);
    expect(() => connectInspector('127.0.0.1:4820')).toThrow(
      'Invalid inspector address "127.0.0.1:4820": expected a ws:// URL such as "ws://127.0.0.1:4820".',
    );
    expect(() => connectInspector('http://127.0.0.1:4820')).toThrow(
      'Invalid inspector address "http://127.0.0.1:4820": expected a ws:// or wss:// URL, not http:.',
    );
    expect(() => connectInspector('ws://127.0.0.1:4820', { minDelayMs: -1 })).toThrow(
      /^Invalid connectInspector option minDelayMs -1: /,
    );
  });

  it('should reconnect with backoff after the inspector restarts and resend each live order, not the ended ones', async () => {
    const first = await startInspector({ port: 0, log: () => {} });
    const { port } = first;
    const statuses: string[] = [];
    const connection = connectInspector(first.socketUrl, {
      minDelayMs: 20,
      maxDelayMs: 80,
      onStatus: (status, detail) =>
        statuses.push(`${status}${detail.delayMs === undefined ? '' : ` ${detail.delayMs}`}`),
    });
    running.push({ close: () => connection.stop() });
    const live = createOrderActor(orderInput({ orderId: '113-0000000-0000010' }), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    const ended = createOrderActor(orderInput({ orderId: '113-0000000-0000011' }), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    running.push({ close: () => live.stop() }, { close: () => ended.stop() });
    ended.send({ type: 'buyer.cancel', at: placedAt + 5 * MINUTE });
    await until(() => first.orders().length === 2, 'both orders in the first inspector');
    await first.close();
    // Retries while nobody listens: the waits double up to maxDelayMs.
    await until(() => statuses.filter((status) => status.startsWith('closed')).length >= 4, 'four failed attempts');
    expect(statuses.filter((status) => status.startsWith('closed')).slice(0, 4)).toEqual([
      'closed 20',
      'closed 40',
      'closed 80',
      'closed 80',
    ]);
    live.send({ type: 'seller.generateLabel', at: placedAt + 40 * MINUTE });

    const second = await startInspector({ port, log: () => {} });
    running.push(second);
    const order = await until(() => second.orders()[0], 'the live order in the restarted inspector');
    expect(connection.reconnects).toBe(1);
    expect(connection.connected).toBe(true);
    expect(second.orders().map((each) => each.orderId)).toEqual(['113-0000000-0000010']);
    expect(order.steps.map((step) => [step.kind, step.state])).toEqual([['joined', 'labelGenerated']]);

    // Later events continue the same order.
    live.send({ type: 'seller.confirmShipment', at: placedAt + 50 * MINUTE });
    await until(
      () => second.orders()[0]!.steps.length === 2 && !second.orders()[0]!.steps[1]!.pending,
      'the shipment step',
    );
    expect(second.orders()[0]!.steps.map((step) => step.state)).toEqual(['labelGenerated', 'shipped']);
  });
});
