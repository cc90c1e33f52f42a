/*
 * An order's past is never lost or rewritten: a restored order starts from its restored snapshot, one order id is
 * one entry however often the app restarts, reconnects or restores it, and an export replays to the same verdicts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SimulatedClock, type InspectionEvent } from 'xstate';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  InvalidInputError,
  orderStatus,
  replayRecording,
  restoreOrder,
  serializeOrder,
  type OrderEventInput,
  type OrderSnapshot,
} from '../../src/index.js';
import {
  contextAt,
  loadRecordings,
  OrderBook,
  readRecordingFile,
  type OrderChange,
  type OrderView,
} from '../../src/inspector/index.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

const ORDER_ID = '113-0000000-0000024';
const input = orderInput({ orderId: ORDER_ID });
const before: OrderEventInput[] = [
  { type: 'buyer.requestCancellation', at: placedAt + 35 * MINUTE, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
];
const cancel: OrderEventInput = { type: 'seller.cancel', at: placedAt + 55 * MINUTE, reason: 'BuyerCanceled' };

/** The order as a back end saved it: label generated, then stored with `serializeOrder`. */
function saved(): string {
  let snapshot = createOrder(input).snapshot;
  for (const event of before) snapshot = applyEvent(snapshot, event).snapshot;
  return serializeOrder(snapshot);
}

/**
 * An app's connection to an OrderBook, sending XState's inspection events as `@statelyai/inspect` words them
 * (JSON text, `createdAt` as text): what a WebSocket between them would carry.
 */
function appConnection(book: OrderBook, connection: string, createdAt = () => Date.now()) {
  return (event: InspectionEvent): void => {
    const sessionId = event.actorRef.sessionId;
    const message =
      event.type === '@xstate.event'
        ? { type: event.type, sessionId, event: event.event, createdAt: String(createdAt()) }
        : event.type === '@xstate.snapshot'
          ? {
              type: event.type,
              sessionId,
              event: event.event,
              snapshot: event.snapshot,
              createdAt: String(createdAt()),
            }
          : event.type === '@xstate.actor'
            ? { type: event.type, sessionId, name: 'order', createdAt: String(createdAt()) }
            : null;
    if (message) book.receive(connection, JSON.stringify(message));
  };
}

const kinds = (order: OrderView) => order.steps.map((step) => [step.kind, step.status]);

describe('a restored order in the inspector', () => {
  it('should start from its restored snapshot, saying when it was restored, not "order created"', () => {
    const book = new OrderBook({ log: (message) => expect.fail(message) });
    const restoredAt = Date.parse('2026-11-26T14:05:00+08:00');
    const actor = createOrderActor(restoreOrder(saved()), {
      inspect: appConnection(book, 'c1', () => restoredAt),
      clock: new SimulatedClock(),
    });
    actor.send(cancel);
    actor.stop();

    const [order] = book.list();
    expect(book.list()).toHaveLength(1);
    expect(kinds(order!)).toEqual([
      ['restored', 'label-generated'],
      ['event', 'label-generated'],
    ]);
    const first = order!.steps[0]!;
    expect(first.at).toBe(restoredAt);
    expect(first.event).toEqual({ type: 'order.restored', at: restoredAt });
    expect(first.verdict.message.en).toMatch(
      /^Restored at 2026-11-26 06:05:00 GMT\+0 from a saved snapshot, already label-generated;/,
    );
    expect(first.verdict.message['zh-CN']).toContain('于 2026-11-26 06:05:00 GMT+0 从保存的快照恢复');
    expect(order!.steps[1]!.verdict).toMatchObject({ accepted: false, code: 'LABEL_GENERATED' });
    expect(order!.steps.some((step) => step.pending)).toBe(false);
  });

  it('should replay an export that starts from the restored snapshot to the same verdicts', () => {
    const book = new OrderBook();
    const actor = createOrderActor(restoreOrder(saved()), {
      inspect: appConnection(book, 'c1'),
      clock: new SimulatedClock(),
    });
    actor.send(cancel);
    actor.send({ type: 'seller.confirmShipment', at: placedAt + 60 * MINUTE });
    actor.stop();
    const order = book.list()[0]!;
    // What the page's "Export recording" writes for it: the snapshot it started from, then the events after it.
    const recording = {
      snapshot: JSON.parse(serializeOrder(restoreOrder(saved()))) as Record<string, unknown>,
      restoredAt: order.steps[0]!.at,
      events: order.steps.slice(1).map((step) => step.event),
    };
    const replayed = replayRecording(JSON.parse(JSON.stringify(recording)));
    expect(
      replayed.map((step) => [step.verdict.accepted, step.verdict.code ?? null, orderStatus(step.snapshot)]),
    ).toEqual(order.steps.map((step) => [step.verdict.accepted, step.verdict.code ?? null, step.status]));
    expect(replayed[1]!.verdict.code).toBe('LABEL_GENERATED');
    // Opened again in the inspector, it starts restored too.
    const [loaded] = new OrderBook().addRecordings(loadRecordings(recording, 'restored.json'));
    expect(kinds(loaded!)).toEqual(kinds(order));
    expect(loaded!.steps[0]!.verdict.message).toEqual(order.steps[0]!.verdict.message);
  });
});

describe('one order, one entry', () => {
  it('should continue the same entry when the app restarts the actor, restores it or reconnects, appending and never resetting', () => {
    const book = new OrderBook({ log: (message) => expect.fail(message) });
    const changes: OrderChange[] = [];
    book.subscribe((change) => changes.push(change));
    let stored = serializeOrder(createOrder(input).snapshot);
    // Three visits of a page that restores its orders from storage, restarting every actor twice on each visit.
    for (const visit of [1, 2, 3]) {
      for (const restart of [1, 2, 3]) {
        const actor = createOrderActor(restoreOrder(stored), {
          inspect: appConnection(book, `c${visit}`),
          clock: new SimulatedClock(),
        });
        actor.subscribe((snapshot) => (stored = serializeOrder(snapshot)));
        if (visit === 2 && restart === 1) for (const event of before) actor.send(event);
        if (visit === 3 && restart === 3) actor.send(cancel);
        actor.stop();
      }
      book.disconnect(`c${visit}`);
    }
    expect(book.list()).toHaveLength(1);
    const order = book.list()[0]!;
    expect(order.orderId).toBe(ORDER_ID);
    expect(kinds(order)).toEqual([
      ['restored', 'buyer-cancellable'],
      ['event', 'unshipped'],
      ['event', 'label-generated'],
      ['event', 'label-generated'],
    ]);
    expect(order.steps.at(-1)!.verdict.code).toBe('LABEL_GENERATED');
    expect(changes.filter((change) => change.type === 'order')).toHaveLength(1);
    expect(contextAt(order, 3)).toEqual(JSON.parse(JSON.stringify(restoreOrder(stored).context)));
  });

  it('should show what changed while the inspector was not told, as a restored step in the same entry', () => {
    const book = new OrderBook();
    const first = createOrderActor(input, { inspect: appConnection(book, 'c1'), clock: new SimulatedClock() });
    first.stop();
    // Meanwhile, without the inspector: a label bought by another process.
    let elsewhere: OrderSnapshot = createOrder(input).snapshot;
    for (const event of before) elsewhere = applyEvent(elsewhere, event).snapshot;
    const second = createOrderActor(restoreOrder(serializeOrder(elsewhere)), {
      inspect: appConnection(book, 'c1'),
      clock: new SimulatedClock(),
    });
    second.stop();
    const [order] = book.list();
    expect(book.list()).toHaveLength(1);
    expect(kinds(order!)).toEqual([
      ['created', 'buyer-cancellable'],
      ['restored', 'label-generated'],
    ]);
    expect(order!.steps[1]!.changes.map((change) => change.path)).toContain('labelGeneratedAt');
  });

  it('should keep the order connected when its new actor runs on a new connection and the old one closes late', () => {
    const book = new OrderBook();
    const stored = serializeOrder(createOrder(input).snapshot);
    createOrderActor(restoreOrder(stored), { inspect: appConnection(book, 'old'), clock: new SimulatedClock() });
    createOrderActor(restoreOrder(stored), { inspect: appConnection(book, 'new'), clock: new SimulatedClock() });
    expect(book.disconnect('old')).toEqual([]);
    expect(book.list()[0]!.disconnected).toBe(false);
    expect(book.disconnect('new')).toEqual([ORDER_ID]);
  });
});

describe('a stopped actor', () => {
  it('should leave its order listed, and marked disconnected when its connection closes', () => {
    const book = new OrderBook();
    const actor = createOrderActor(input, { inspect: appConnection(book, 'c1'), clock: new SimulatedClock() });
    actor.send(before[0]!);
    actor.stop();
    expect(book.list().map((order) => [order.orderId, order.steps.length, order.disconnected])).toEqual([
      [ORDER_ID, 2, false],
    ]);
    expect(book.disconnect('c1')).toEqual([ORDER_ID]);
    expect(book.list()[0]!.disconnected).toBe(true);
  });
});

describe('a recording that starts from a snapshot', () => {
  it('should name a recording with both an input and a snapshot, or with neither', () => {
    const snapshot = JSON.parse(saved()) as Record<string, unknown>;
    expect(() => replayRecording({ input, snapshot, events: [] })).toThrow(InvalidInputError);
    expect(() => replayRecording({ input, snapshot, events: [] })).toThrow(
      /snapshot: expected either input or snapshot/,
    );
    expect(() => replayRecording({ events: [] })).toThrow(/input: expected the order's input, or the snapshot/);
  });

  it('should name the snapshot field a bad snapshot fails on', () => {
    const snapshot = JSON.parse(saved()) as { context: Record<string, unknown> };
    snapshot.context['orderId'] = '';
    expect(() => replayRecording({ snapshot, events: [] })).toThrow(/^Invalid recorded order: snapshot: .*orderId/);
  });

  it('should replay a restored order from its file, as order-lifecycle replay reads it, in both languages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ol-restored-'));
    try {
      const file = join(dir, `${ORDER_ID}.json`);
      const recording = {
        snapshot: JSON.parse(saved()) as unknown,
        restoredAt: '2026-11-26T14:05:00+08:00',
        events: [cancel],
      };
      writeFileSync(file, JSON.stringify(recording));
      const [loaded] = await readRecordingFile(file);
      expect(loaded!.steps.map((step) => [step.event?.['type'], step.verdict.code ?? null])).toEqual([
        ['order.restored', null],
        ['seller.cancel', 'LABEL_GENERATED'],
      ]);
      expect(loaded!.steps[0]!.verdict.message['zh-CN']).toBe(
        '于 2026-11-26 06:05:00 GMT+0 从保存的快照恢复，当时已是【已生成货件标签】；此前的事件不在这段历史中。',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("should start at the order's clock when the recording does not say when it was restored", () => {
    const [first] = replayRecording({ snapshot: JSON.parse(saved()) as Record<string, unknown>, events: [] });
    expect(first!.event).toEqual({ type: 'order.restored', at: placedAt + 40 * MINUTE });
    expect(orderStatus(first!.snapshot)).toBe('label-generated');
  });
});
