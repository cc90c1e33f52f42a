/**
 * `npm run bench:inspector` (also run by `npm run bench`): first, what `connectInspector` costs the app's own
 * `send` (1,000 events to one actor, with the inspector connected and without, in interleaved rounds through
 * bench/lib.ts; the inspector runs in another process, as it does for an app; goal from issue 24: at most 1.3×).
 * Then how long the inspector page takes to show a burst of live events, in headless Debian Chromium, next to a
 * baseline run in the same process (the same messages through the same server, with no page: the time until the
 * server has judged and confirmed every step). Rounds alternate between the two; medians are printed. Also: the
 * bytes the page received (counted on the WebSocket frames) and the server's retained heap per step for growing
 * orders (it must stay flat: memory grows with the steps kept). Goal from issue 10: each burst shown within 2 s
 * of the last send. Nothing here is asserted.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import type { Browser, Page } from 'playwright-core';
import { SimulatedClock, type InspectionEvent } from 'xstate';
import { createOrderActor, type OrderEventInput, type OrderInput } from '../src/index.js';
import { connectInspector, contextAt, startInspector, type Inspector } from '../src/inspector/index.js';
import { hasChromium, chromiumHint, launchChromium } from '../test/support/chromium.js';
import { consume, interleave, Table } from './lib.js';

const MINUTE = 60_000;
const placedAt = Date.parse('2026-11-26T10:00:00+08:00');
const ROUNDS = Number(process.env['ROUNDS'] ?? 3);

function input(n: number): OrderInput {
  return {
    orderId: `113-${String(1_000_000 + n).slice(1)}-${String(7_000_000 + n)}`,
    placedAt,
    latestShipDate: placedAt + 2 * 24 * 60 * MINUTE,
    items: [
      { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
      { orderItemId: 'B', quantity: 1 },
    ],
  };
}

/** `count` events that keep the order open: ticks, buyer requests, refused cancels; each with an id the order remembers, so its context grows. */
function events(count: number): OrderEventInput[] {
  return Array.from({ length: count }, (_, i): OrderEventInput => {
    const at = placedAt + 31 * MINUTE + i * MINUTE;
    const eventId = `evt-${String(i).padStart(6, '0')}`;
    if (i % 3 === 0) return { type: 'clock.tick', at, eventId };
    if (i % 3 === 1)
      return { type: 'buyer.requestCancellation', at, source: 'order-flag', orderItemIds: ['A'], eventId };
    return { type: 'buyer.cancel', at, eventId };
  });
}

interface Scenario {
  name: string;
  orders: number;
  eventsPerOrder: number;
}

const scenarios: Scenario[] = [
  { name: '1 order x 1,000 events', orders: 1, eventsPerOrder: 1000 },
  { name: '200 orders x 5 events', orders: 200, eventsPerOrder: 5 },
];

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** Sends the scenario's events from live actors; resolves at the last send with its time. */
async function drive(inspector: Inspector, scenario: Scenario): Promise<{ lastSend: number; stop: () => void }> {
  const connection = connectInspector(inspector.socketUrl);
  await until(() => connection.connected);
  const list = events(scenario.eventsPerOrder);
  const actors = Array.from({ length: scenario.orders }, (_, n) =>
    createOrderActor(input(n), { inspect: connection.inspect, clock: new SimulatedClock() }),
  );
  for (const event of list) for (const actor of actors) actor.send(event);
  const lastSend = performance.now();
  return {
    lastSend,
    stop: () => {
      for (const actor of actors) actor.stop();
      connection.stop();
    },
  };
}

const expectedSteps = (scenario: Scenario) => scenario.eventsPerOrder + 1;

async function serverOnly(scenario: Scenario): Promise<number> {
  const inspector = await startInspector({ port: 0, log: () => {} });
  const run = await drive(inspector, scenario);
  await until(() => {
    const orders = inspector.orders();
    return (
      orders.length === scenario.orders &&
      orders.every(
        (order) => order.steps.length === expectedSteps(scenario) && !order.steps.some((step) => step.pending),
      )
    );
  });
  const elapsed = performance.now() - run.lastSend;
  run.stop();
  await inspector.close();
  return elapsed;
}

async function withPage(browser: Browser, scenario: Scenario): Promise<{ ms: number; bytes: number }> {
  const inspector = await startInspector({ port: 0, log: () => {} });
  const page: Page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  let bytes = 0;
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => (bytes += Buffer.byteLength(frame.payload))));
  await page.goto(inspector.url);
  await page.locator('#connection.connected').waitFor();
  const run = await drive(inspector, scenario);
  const steps = expectedSteps(scenario);
  // Shown: every order listed with all its steps, none waiting for the app, and the selected order's last step drawn.
  await page.waitForFunction(
    ({ orders, steps }) => {
      const buttons = document.querySelectorAll('[data-testid="order"][data-steps]');
      if (buttons.length !== orders) return false;
      for (const button of Array.from(buttons)) if (button.getAttribute('data-steps') !== String(steps)) return false;
      // The timeline draws a window of entries (the newest while following): the last one, confirmed.
      const last = document.querySelector(`#timeline [data-testid="step"][data-index="${steps - 1}"]`);
      return last !== null && document.querySelectorAll('#timeline .pending').length === 0;
    },
    { orders: scenario.orders, steps },
    { polling: 'raf', timeout: 0 },
  );
  const ms = performance.now() - run.lastSend;
  run.stop();
  await page.close();
  await inspector.close();
  return { ms, bytes };
}

/**
 * Retained heap per step of one live order of `count` events as the inspector keeps it, next to a baseline
 * in the same process: the same order with a whole context per step, as the server kept it before.
 */
async function retainedPerStep(count: number): Promise<{ kept: number; contextPerStep: number }> {
  const inspector = await startInspector({ port: 0, log: () => {} });
  const connection = connectInspector(inspector.socketUrl);
  await until(() => connection.connected);
  const actor = createOrderActor(input(1), { inspect: connection.inspect, clock: new SimulatedClock() });
  for (const event of events(count)) actor.send(event);
  await until(
    () =>
      inspector.orders()[0]?.steps.length === count + 1 && !inspector.orders()[0]!.steps.some((step) => step.pending),
  );
  const order = inspector.orders()[0]!;
  actor.stop();
  connection.stop();
  await inspector.close();
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('Run with node --expose-gc (npm run bench:inspector does).');
  const measure = (build: () => unknown): number => {
    gc();
    const before = process.memoryUsage().heapUsed;
    const held = build();
    gc();
    const after = process.memoryUsage().heapUsed;
    if (held === null) throw new Error('unreachable');
    return (after - before) / (count + 1);
  };
  const kept = measure(() => structuredClone(order));
  const contextPerStep = measure(() =>
    structuredClone({
      ...order,
      steps: order.steps.map((step, index) => ({ ...step, context: contextAt(order, index) })),
    }),
  );
  return { kept, contextPerStep };
}

/** Starts `order-lifecycle inspect --port 0` in its own process (as an app meets it); resolves with its socket URL. */
async function inspectorProcess(): Promise<{ socketUrl: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'inspect', '--port', '0'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const socketUrl = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += String(chunk);
      const found = /ws:\/\/127\.0\.0\.1:\d+/.exec(output);
      if (found) resolve(found[0]);
    });
    child.once('exit', (code) => reject(new Error(`order-lifecycle inspect exited with ${code}: ${output}`)));
  });
  return { socketUrl, stop: () => child.kill() };
}

/**
 * The app's `send` with `connectInspector` against the same sends without it: 1,000 events to a fresh actor per
 * call (the actors are built untimed). Before each timed batch, what the previous one queued is written to the socket
 * and judged by the inspector, untimed; a third task times the sends and that writing together.
 */
async function sendOverhead(): Promise<void> {
  const server = await inspectorProcess();
  const connection = connectInspector(server.socketUrl);
  await until(() => connection.connected);
  // Counts the inspection messages the app's actors hand to the connection and the frames it writes.
  let queued = 0;
  let written = 0;
  const inspect = {
    next: (event: InspectionEvent) => {
      if (event.type === '@xstate.actor' || event.type === '@xstate.event' || event.type === '@xstate.snapshot')
        queued += 1;
      connection.inspect.next!(event);
    },
  };
  let socket: WebSocket | undefined;
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (this: WebSocket, ...args: Parameters<typeof send>) {
    written += 1;
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the connection's socket, to ping it
    socket = this;
    return send.apply(this, args);
  } as typeof send;
  const drained = () => until(() => written >= queued);
  // Written, then judged by the inspector: it answers a ping after every message before it, so no batch (with the
  // inspector or without) shares the machine's two cores with the inspector's work on an earlier one.
  const settled = async () => {
    await drained();
    if (!socket) return;
    const pong = new Promise((resolve) => socket!.once('pong', resolve));
    socket.ping();
    await pong;
  };
  const list = events(1000);
  let n = 0;
  const noop = { next: () => {} };
  const actors = (calls: number, observer: typeof inspect | typeof noop | null) =>
    Array.from({ length: calls }, () =>
      createOrderActor(input(2000 + (n++ % 1000)), {
        clock: new SimulatedClock(),
        ...(observer ? { inspect: observer } : {}),
      }),
    );
  const sendAll = (actor: ReturnType<typeof createOrderActor>) => {
    let last;
    for (const event of list) last = actor.send(event);
    actor.stop();
    return last;
  };
  type Actors = ReturnType<typeof actors>;
  const measured = await interleave(
    [
      {
        name: 'without',
        opsPerCall: list.length,
        setup: async (calls) => {
          await settled();
          return actors(calls, null);
        },
        run: (a: Actors, i) => sendAll(a[i]!),
      },
      {
        name: 'no-op observer',
        opsPerCall: list.length,
        setup: async (calls) => {
          await settled();
          return actors(calls, noop);
        },
        run: (a: Actors, i) => sendAll(a[i]!),
      },
      {
        name: 'with',
        opsPerCall: list.length,
        setup: async (calls) => {
          await settled();
          return actors(calls, inspect);
        },
        run: (a: Actors, i) => sendAll(a[i]!),
      },
      {
        name: 'with, until written',
        opsPerCall: list.length,
        setup: async (calls) => {
          await settled();
          return actors(calls, inspect);
        },
        run: async (a: Actors, i) => {
          consume(sendAll(a[i]!));
          await drained();
        },
      },
    ],
    // Two seconds a task a round: a call is tens of ms, and the shared machine is noisy.
    { rounds: ROUNDS, taskMs: 2000 },
  );
  await drained();
  WebSocket.prototype.send = send;
  connection.stop();
  server.stop();
  const table = new Table('inspector');
  table.ratio(
    "connectInspector: the app's send, 1,000 events to one actor, vs the same sends without the inspector",
    measured.get('with'),
    measured.get('without'),
    { max: 1.3 },
  );
  table.ratio(
    "… XState's inspection alone: the same sends with a no-op inspect observer",
    measured.get('no-op observer'),
    measured.get('without'),
  );
  table.ratio(
    '… and until every message is written to the socket (the work moved off the send)',
    measured.get('with, until written'),
    measured.get('without'),
  );
  console.log(table.markdown());
  console.log(
    `- per event: without ${(median(measured.get('without')!.mean) * 1000).toFixed(1)} µs, no-op observer ${(median(measured.get('no-op observer')!.mean) * 1000).toFixed(1)} µs, with ${(median(measured.get('with')!.mean) * 1000).toFixed(1)} µs, until written ${(median(measured.get('with, until written')!.mean) * 1000).toFixed(1)} µs (medians over the rounds; the inspector in its own process)\n`,
  );
}

await sendOverhead();
if (process.argv.includes('--send-only')) process.exit(0);

if (!hasChromium) {
  console.error(chromiumHint);
  process.exit(1);
}
const browser = await launchChromium();
console.log(
  `inspector: time from the last send until shown, ${ROUNDS} interleaved rounds, medians (headless Chromium, 1280x800)\n`,
);
for (const scenario of scenarios) {
  const page: number[] = [];
  const server: number[] = [];
  const bytes: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    server.push(await serverOnly(scenario));
    const shown = await withPage(browser, scenario);
    page.push(shown.ms);
    bytes.push(shown.bytes);
  }
  const steps = scenario.orders * expectedSteps(scenario);
  console.log(
    `${scenario.name.padEnd(24)} shown in the page ${(median(page) / 1000).toFixed(2)} s (goal 2 s)` +
      ` | baseline, server alone ${(median(server) / 1000).toFixed(2)} s | ratio ${(median(page) / median(server)).toFixed(2)}x` +
      ` | page received ${(median(bytes) / 1024).toFixed(0)} KiB, ${(median(bytes) / steps).toFixed(0)} B per step`,
  );
}
await browser.close();

console.log('\nserver memory: one live order as the inspector keeps it, retained heap per step (flat = linear growth)');
for (const count of [250, 500, 1000]) {
  const { kept, contextPerStep } = await retainedPerStep(count);
  console.log(
    `  ${String(count).padStart(5)} events: ${kept.toFixed(0)} B per step | baseline, a context per step ${contextPerStep.toFixed(0)} B per step | ratio ${(kept / contextPerStep).toFixed(2)}x`,
  );
}
