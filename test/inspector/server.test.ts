import { request } from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createWebSocketInspector } from '@statelyai/inspect';
import { afterEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import WebSocket from 'ws';
import { createOrder, createOrderActor, restoreOrder, serializeOrder } from '../../src/index.js';
import {
  InspectorError,
  isLoopbackHost,
  PAGE_SOCKET_PATH,
  startInspector,
  type Inspector,
} from '../../src/inspector/index.js';

const MINUTE = 60_000;
const placedAt = Date.parse('2026-11-26T10:00:00+08:00');
const input = {
  orderId: '113-0000000-0000001',
  placedAt,
  latestShipDate: Date.parse('2026-11-28T23:59:59+08:00'),
  items: [{ orderItemId: 'A', quantity: 1 }],
};
const fixture = join(import.meta.dirname, 'fixtures', 'buyer-asks-after-label.json');

let running: Inspector[] = [];
async function start(
  options: Parameters<typeof startInspector>[0] = {},
): Promise<{ inspector: Inspector; logged: string[] }> {
  const logged: string[] = [];
  const inspector = await startInspector({ port: 0, log: (message) => logged.push(message), ...options });
  running.push(inspector);
  return { inspector, logged };
}

afterEach(async () => {
  await Promise.all(running.map((inspector) => inspector.close()));
  running = [];
});

/**
 * Resolves when `condition` holds, checking after each turn of the event loop; rejects after `timeoutMs`
 * with what it waited for, so a broken test fails with a message instead of hanging until vitest's timeout.
 */
async function until<T>(condition: () => T | undefined | false, what = 'the condition', timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

function connect(url: string, headers: Record<string, string> = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function get(
  inspector: Inspector,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: inspector.port, path, headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('startInspector binding', () => {
  it('should refuse to bind to a non-loopback address without allowRemote', async () => {
    await expect(startInspector({ port: 0, host: '0.0.0.0' })).rejects.toThrow(InspectorError);
    await expect(startInspector({ port: 0, host: '0.0.0.0' })).rejects.toThrow(
      /Refusing to bind the inspector to "0\.0\.0\.0": it is not a loopback address/,
    );
    await expect(startInspector({ port: 0, host: '192.168.1.10' })).rejects.toThrow(/"192\.168\.1\.10"/);
    await expect(startInspector({ port: 0, host: 'example.com' })).rejects.toThrow(/"example\.com"/);
  });

  it('should bind to 0.0.0.0 when allowRemote is set', async () => {
    const { inspector } = await start({ host: '0.0.0.0', allowRemote: true });
    expect(inspector.host).toBe('0.0.0.0');
  });

  it('should bind to 127.0.0.1 by default and print an http and a ws address', async () => {
    const { inspector } = await start();
    expect(inspector.host).toBe('127.0.0.1');
    expect(inspector.url).toBe(`http://127.0.0.1:${inspector.port}/`);
    expect(inspector.socketUrl).toBe(`ws://127.0.0.1:${inspector.port}`);
  });

  it('should tell loopback addresses from others', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '128.0.0.1', 'localhost.example.com', ''])
      expect(isLoopbackHost(host), host).toBe(false);
  });

  it('should name a bad port and a port in use', async () => {
    await expect(startInspector({ port: 70000 })).rejects.toThrow(/Invalid inspector option port 70000/);
    const { inspector } = await start();
    await expect(startInspector({ port: inspector.port })).rejects.toThrow(
      `Cannot listen on 127.0.0.1:${inspector.port}: the port is already in use`,
    );
  });

  it('should answer only requests whose Host is loopback, against DNS rebinding', async () => {
    const { inspector } = await start();
    expect((await get(inspector, '/')).status).toBe(200);
    const rebound = await get(inspector, '/api/orders', { host: `evil.example:${inspector.port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body).toContain('evil.example');
  });

  it('should serve the page, its script and the chart with no address outside the server', async () => {
    const { inspector } = await start();
    const page = await get(inspector, '/');
    expect(page.body).toContain('<script src="/app.js">');
    const everything = [
      page.body,
      (await get(inspector, '/app.js')).body,
      (await get(inspector, '/app.css')).body,
      (await get(inspector, '/chart.svg')).body,
    ].join('\n');
    // The SVG's own XML namespaces are names, not requests.
    const addresses = everything.match(/(?:https?:)?\/\/[\w.-]+\.[a-z]{2,}[^\s"')]*/gi) ?? [];
    expect(addresses.filter((address) => !address.includes('www.w3.org/'))).toEqual([]);
  });

  it('should label the deadline edges with the policy asked for', async () => {
    const { inspector } = await start();
    const chart = await get(
      inspector,
      `/chart.svg?buyerCancelWindowMs=${60 * MINUTE}&autoCancelAfterMs=${5 * 24 * 60 * MINUTE}`,
    );
    // A deadline's label breaks after "after" (the chart keeps to its pane's width).
    expect(chart.body).toMatch(/>1 hr after<\/text>\s*<text[^>]*>purchase</);
    expect(chart.body).toMatch(/>5 days after<\/text>\s*<text[^>]*>latest ship date</);
    expect(chart.body).toContain('id="state&#45;labelGenerated"');
    const bad = await get(inspector, '/chart.svg?buyerCancelWindowMs=-5');
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('buyerCancelWindowMs');
  });

  it('should accept the page socket only from its own origin', async () => {
    const { inspector, logged } = await start();
    await expect(
      connect(`${inspector.socketUrl}${PAGE_SOCKET_PATH}`, { origin: 'http://evil.example' }),
    ).rejects.toThrow(/403/);
    expect(logged.join('\n')).toContain('"http://evil.example"');
    const page = new WebSocket(`${inspector.socketUrl}${PAGE_SOCKET_PATH}`, {
      headers: { origin: `http://127.0.0.1:${inspector.port}` },
    });
    // The server greets the page with every order as soon as it connects.
    const first = await new Promise<string>((resolve) =>
      page.once('message', (data: Buffer) => resolve(data.toString())),
    );
    const [greeting] = JSON.parse(first) as Array<{
      type: string;
      orders: unknown[];
      activity: Array<{ kind: string; message: string }>;
    }>;
    expect(greeting!.type).toBe('orders');
    expect(greeting!.orders).toEqual([]);
    // The refused connection above is in the activity the page lists.
    expect(greeting!.activity.map((entry) => entry.kind)).toEqual(['ignored']);
    expect(greeting!.activity[0]!.message).toContain('"http://evil.example"');
    page.close();
  });
});

describe('inspector WebSocket messages', () => {
  it('should build a live order from createWebSocketInspector messages with server-side verdicts', async () => {
    const { inspector, logged } = await start();
    const stately = createWebSocketInspector({ url: inspector.socketUrl });
    const actor = createOrderActor(input, { inspect: stately.inspect, clock: new SimulatedClock() });
    actor.send({ type: 'seller.generateLabel', at: placedAt + 40 * MINUTE });
    actor.send({ type: 'seller.cancel', at: placedAt + 45 * MINUTE, reason: 'NoInventory' });
    const order = await until(() =>
      inspector.orders().find((each) => each.steps.length === 3 && each.steps.every((step) => !step.pending)),
    );
    actor.stop();
    stately.stop();
    expect(order.orderId).toBe(input.orderId);
    expect(order.steps.map((step) => [step.kind, step.state, step.verdict.accepted, step.verdict.code])).toEqual([
      ['created', 'buyerCancellable', true, undefined],
      // The window closed at minute 30: the label event finds the order unshipped.
      ['event', 'labelGenerated', true, undefined],
      ['event', 'labelGenerated', false, 'LABEL_GENERATED'],
    ]);
    expect(order.steps[1]!.changes.filter((change) => change.path !== 'clock')).toEqual([
      { path: 'labelGeneratedAt', keys: ['labelGeneratedAt'], before: null, after: placedAt + 40 * MINUTE },
    ]);
    expect(order.steps[2]!.verdict.message['zh-CN']).toContain('货件标签');
    expect(logged).toEqual([]);
  });

  it('should show the refusal of an event sent after the order ended, with no snapshot to wait for', async () => {
    const { inspector } = await start();
    const stately = createWebSocketInspector({ url: inspector.socketUrl });
    const actor = createOrderActor(input, { inspect: stately.inspect, clock: new SimulatedClock() });
    actor.send({ type: 'seller.confirmShipment', at: placedAt + 40 * MINUTE });
    actor.send({ type: 'buyer.cancel', at: placedAt + 50 * MINUTE });
    const order = await until(() =>
      inspector.orders().find((each) => each.steps.length === 3 && each.steps.every((step) => !step.pending)),
    );
    actor.stop();
    stately.stop();
    expect(order.steps.map((step) => [step.state, step.verdict.code])).toEqual([
      ['buyerCancellable', undefined],
      ['shipped', undefined],
      ['shipped', 'ALREADY_SHIPPED'],
    ]);
  });

  it('should show an order restored by createWebSocketInspector apps as one order, from where it was restored, across their connections', async () => {
    const { inspector, logged } = await start();
    let stored = serializeOrder(createOrder(input).snapshot);
    const visit = async (events: Parameters<ReturnType<typeof createOrderActor>['send']>[0][]) => {
      const stately = createWebSocketInspector({ url: inspector.socketUrl });
      const actor = createOrderActor(restoreOrder(stored), { inspect: stately.inspect, clock: new SimulatedClock() });
      actor.subscribe((snapshot) => (stored = serializeOrder(snapshot)));
      for (const event of events) actor.send(event);
      return { actor, stately };
    };
    const first = await visit([{ type: 'seller.generateLabel', at: placedAt + 40 * MINUTE }]);
    await until(() => inspector.orders()[0]?.steps.length === 2 && !inspector.orders()[0]!.steps[1]!.pending);
    // A reload: a new connection restores the order before the old one has closed.
    const second = await visit([{ type: 'seller.cancel', at: placedAt + 45 * MINUTE, reason: 'NoInventory' }]);
    await until(() => inspector.orders()[0]?.steps.length === 3 && !inspector.orders()[0]!.steps[2]!.pending);
    first.actor.stop();
    first.stately.stop();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(inspector.orders()).toHaveLength(1);
    const order = inspector.orders()[0]!;
    expect(order.steps.map((step) => [step.kind, step.state, step.verdict.code ?? null])).toEqual([
      ['restored', 'buyerCancellable', null],
      ['event', 'labelGenerated', null],
      ['event', 'labelGenerated', 'LABEL_GENERATED'],
    ]);
    expect(order.steps[0]!.verdict.message.en).toMatch(
      /^Restored at .* from a saved snapshot, already buyer-cancellable/,
    );
    // The order runs on the second connection: closing the first leaves it connected, closing the second does not.
    expect(order.disconnected).toBe(false);
    second.actor.stop();
    second.stately.stop();
    await until(() => inspector.orders()[0]!.disconnected, 'the order marked disconnected');
    expect(logged).toEqual([]);
  });

  it('should ignore malformed messages with a logged reason and keep serving', async () => {
    const { inspector, logged } = await start();
    const socket = await connect(inspector.socketUrl);
    const bad: Array<string | Buffer> = [
      'not json at all',
      '42',
      'null',
      JSON.stringify({ type: 'hello' }),
      JSON.stringify({ type: '@xstate.event', sessionId: 'x:0' }),
      JSON.stringify({
        type: '@xstate.snapshot',
        sessionId: 'x:0',
        event: { type: 'buyer.cancel' },
        snapshot: { value: 'nowhere', context: {} },
      }),
      JSON.stringify({
        type: '@xstate.snapshot',
        sessionId: 'x:0',
        event: { type: 'xstate.init' },
        snapshot: { value: null, context: null },
      }),
      JSON.stringify({
        type: '@xstate.event',
        sessionId: 'x:1',
        event: { type: 'xstate.init', input: { orderId: '' } },
      }),
      JSON.stringify({ type: '@xstate.event', sessionId: 'x:2', event: { type: 'seller.cancel', at: 1 } }),
      Buffer.from([0xde, 0xad, 0xbe, 0xef]),
    ];
    for (const message of bad) socket.send(message);
    await until(() => logged.length >= bad.length);
    socket.close();

    expect(logged).toHaveLength(bad.length);
    expect(logged[0]).toMatch(/^Ignored a WebSocket message from connection c1 that is not JSON: "not json at all"\.$/);
    expect(logged[3]).toContain('of type "hello"');
    expect(logged[4]).toContain('field "event"');
    expect(logged[5]).toContain('"x:0"');
    expect(logged[7]).toContain('orderId');
    expect(logged[8]).toContain('arrived before the order');
    expect(logged[9]).toContain('binary');
    expect(inspector.orders()).toEqual([]);

    // Still serving: a well-formed actor after the garbage shows up.
    const stately = createWebSocketInspector({ url: inspector.socketUrl });
    const actor = createOrderActor(input, { inspect: stately.inspect, clock: new SimulatedClock() });
    await until(() => inspector.orders().length === 1);
    actor.stop();
    stately.stop();
    expect((await get(inspector, '/')).status).toBe(200);
  });

  it('should ignore actors of other machines', async () => {
    const { inspector, logged } = await start();
    const socket = await connect(inspector.socketUrl);
    socket.send(
      JSON.stringify({ type: '@xstate.actor', sessionId: 'x:9', name: 'toggle', snapshot: { status: 'active' } }),
    );
    socket.send(
      JSON.stringify({
        type: '@xstate.snapshot',
        sessionId: 'x:9',
        event: { type: 'xstate.init' },
        snapshot: { value: 'on', context: {} },
      }),
    );
    await until(() => logged.length === 1);
    socket.close();
    expect(logged[0]).toContain('"toggle", not the order machine');
    expect(inspector.orders()).toEqual([]);
  });

  it('should refuse an app socket from a non-loopback browser origin', async () => {
    const { inspector, logged } = await start();
    await expect(connect(inspector.socketUrl, { origin: 'https://evil.example' })).rejects.toThrow(/403/);
    expect(logged[0]).toContain('"https://evil.example" is not a loopback address');
    const local = await connect(inspector.socketUrl, { origin: 'http://localhost:3000' });
    local.close();
  });
});

describe('recorded orders', () => {
  it('should load a recording file and replay every step', async () => {
    const { inspector } = await start({ open: fixture });
    const [order] = inspector.orders();
    expect(order!.source).toBe('recording');
    expect(order!.name).toBe('buyer-asks-after-label.json');
    expect(order!.steps.map((step) => step.state)).toEqual([
      'buyerCancellable',
      'unshipped',
      'unshipped',
      'labelGenerated',
      'labelGenerated',
      'shipped',
    ]);
    expect(order!.steps[4]!.verdict.code).toBe('LABEL_GENERATED');
    expect(order!.steps[2]!.effects.map((effect) => effect.type)).toEqual([
      'buyer.notified',
      'seller.notified',
      'items.refunded',
    ]);
  });

  it('should name the missing file, the JSON error, and the bad field with its value', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'inspector-'));
    const missing = join(dir, 'nope.json');
    await expect(startInspector({ port: 0, open: missing })).rejects.toThrow(
      `Cannot open recorded order "${missing}": no such file.`,
    );

    const notJson = join(dir, 'broken.json');
    writeFileSync(notJson, '{ "input": ');
    await expect(startInspector({ port: 0, open: notJson })).rejects.toThrow(
      new RegExp(`^Recorded order "${notJson.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}" is not valid JSON: `),
    );

    const { inspector } = await start();
    const recording = JSON.parse((await import('node:fs')).readFileSync(fixture, 'utf8')) as {
      input: Record<string, unknown>;
      events: Array<Record<string, unknown>>;
    };
    const badEvent = {
      ...recording,
      events: recording.events.map((event, index) => (index === 2 ? { ...event, at: 'yesterday' } : event)),
    };
    expect(() => inspector.loadRecording(badEvent, 'order.json')).toThrow(
      /^Cannot load recorded order "order\.json": events\.2\.at: .*\(got "yesterday"\)\.$/,
    );

    const badInput = { ...recording, input: { ...recording.input, placedAt: 'soon' } };
    expect(() => inspector.loadRecording(badInput, 'order.json')).toThrow(
      /^Cannot load recorded order "order\.json": input\.placedAt: .*\(got "soon"\)\.$/,
    );

    expect(() => inspector.loadRecording({ input: recording.input }, 'order.json')).toThrow(
      /^Cannot load recorded order "order\.json": events: /,
    );
    expect(() => inspector.loadRecording('hello', 'order.json')).toThrow(
      'Cannot load recorded order "order.json": expected an object { input, events } (or { snapshot, restoredAt, events }) or an array of them, got "hello".',
    );
    expect(() => inspector.loadRecording([recording, badEvent], 'orders.json')).toThrow(
      /"orders\.json\[1\]": events\.2\.at/,
    );
    expect(inspector.orders()).toEqual([]);
  });
});
