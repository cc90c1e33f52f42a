/*
 * connectInspector stays off the app's hot path: the app's `send` only queues, and the queue is written afterwards,
 * in order, a slice at a time, and before the connection closes.
 */
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createOrderActor, type OrderEventInput } from '../../src/index.js';
import { MAX_BACKLOG } from '../../src/inspector/connect.js';
import { connectInspector, startInspector, type Inspector } from '../../src/inspector/index.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** `count` events that keep an order open, each with an id the order remembers (its context grows). */
const burst = (count: number): OrderEventInput[] =>
  Array.from({ length: count }, (_, i): OrderEventInput => {
    const at = placedAt + 31 * MINUTE + i * MINUTE;
    return i % 2
      ? { type: 'clock.tick', at, eventId: `tick-${i}` }
      : { type: 'buyer.requestCancellation', at, source: 'order-flag', orderItemIds: ['A'], eventId: `ask-${i}` };
  });

/** Counts the frames every WebSocket in this process writes, until `restore`. */
function countFrames(): { frames: () => number; restore: () => void } {
  let frames = 0;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, ...args: Parameters<typeof send>) {
    frames += 1;
    return send.apply(this, args);
  } as typeof send;
  return { frames: () => frames, restore: () => (WebSocket.prototype.send = send) };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function connected(): Promise<{ inspector: Inspector; connection: ReturnType<typeof connectInspector> }> {
  const inspector = await startInspector({ port: 0, log: () => {} });
  cleanups.push(() => inspector.close());
  const connection = connectInspector(inspector.socketUrl);
  cleanups.push(() => connection.stop());
  await until(() => connection.connected);
  return { inspector, connection };
}

describe('connectInspector off the hot path', () => {
  it("should return from the app's sends before writing anything, then write every step in order", async () => {
    const { inspector, connection } = await connected();
    const counter = countFrames();
    cleanups.push(counter.restore);
    const events = burst(200);
    const actor = createOrderActor(orderInput({ orderId: '113-0000000-0002451' }), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    cleanups.push(() => actor.stop());
    for (const event of events) actor.send(event);
    expect(counter.frames()).toBe(0);

    await until(() => inspector.orders()[0]?.steps.length === events.length + 1);
    await until(() => !inspector.orders()[0]!.steps.some((step) => step.pending));
    expect(inspector.orders()[0]!.steps.map((step) => step.event?.['eventId'] ?? step.kind)).toEqual([
      'created',
      ...events.map((event) => event.eventId),
    ]);
  });

  it('should let the app run between slices of writing a long burst', async () => {
    const { connection } = await connected();
    const counter = countFrames();
    cleanups.push(counter.restore);
    const events = burst(1000);
    const actor = createOrderActor(orderInput({ orderId: '113-0000000-0002452' }), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    cleanups.push(() => actor.stop());
    for (const event of events) actor.send(event);
    // The app's own next turn comes while the burst is still being written, not after all of it.
    const atAppTurn = await new Promise<number>((resolve) => setImmediate(() => resolve(counter.frames())));
    expect(atAppTurn).toBeGreaterThan(0);
    expect(atAppTurn).toBeLessThan(2 * events.length);
  });

  it('should write the oldest message inside send once more than MAX_BACKLOG wait, so memory stays bounded', async () => {
    const { inspector, connection } = await connected();
    const counter = countFrames();
    cleanups.push(counter.restore);
    // Ticks without ids: the context stays small, so 12,000 messages are quick to write.
    const events = Array.from({ length: 6000 }, (_, i): OrderEventInput => ({
      type: 'clock.tick',
      at: placedAt + 31 * MINUTE + i * 1000,
    }));
    const actor = createOrderActor(orderInput({ orderId: '113-0000000-0002454' }), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    cleanups.push(() => actor.stop());
    for (const event of events) actor.send(event);
    // The actor's start and each event's two messages, less the ones still waiting.
    expect(counter.frames()).toBe(3 + 2 * events.length - MAX_BACKLOG);
    await until(() => inspector.orders()[0]?.steps.length === events.length + 1);
  });

  it('should write what the app sent before stop ahead of closing', async () => {
    const { inspector, connection } = await connected();
    const events = burst(50);
    const actor = createOrderActor(orderInput({ orderId: '113-0000000-0002453' }), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    for (const event of events) actor.send(event);
    actor.stop();
    connection.stop();
    await until(() => inspector.orders()[0]?.steps.length === events.length + 1);
    expect(inspector.orders()[0]!.steps.at(-1)!.event).toEqual(events.at(-1));
  });
});
