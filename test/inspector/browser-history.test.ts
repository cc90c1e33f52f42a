/*
 * Issue 24 in headless Chromium: an order's past is never lost or rewritten (a restored order starts from its
 * restored snapshot and exports to a file that replays to the verdicts on the page; one order is one entry however
 * often the app restarts, restores or reconnects it), and a burst sent through connectInspector is shown whole.
 * Every check reads what the page draws: text, the disabled state and the chart's computed colours.
 */
import { readFileSync } from 'node:fs';
import { createWebSocketInspector } from '@statelyai/inspect';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi, type TestContext } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  replayRecording,
  restoreOrder,
  serializeOrder,
  type OrderEventInput,
  type OrderInput,
} from '../../src/index.js';
import { enInspector } from '../../src/domain/locales/en-inspector.js';
import { zhCNInspector } from '../../src/domain/locales/zh-CN-inspector.js';
import { connectInspector, startInspector, type Inspector } from '../../src/inspector/index.js';
import { chromiumHint as missing, hasChromium, launchChromium } from '../support/chromium.js';
import { screenshot } from '../support/inspector-page.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

/** Skips outside CI when Chromium is missing; in CI (`CI` set) the test fails instead. */
function needsChromium(context: TestContext): void {
  if (hasChromium) return;
  if (process.env['CI']) throw new Error(`${missing}; CI must run it.`);
  context.skip(missing);
}

/** Resolves when `condition` holds (vitest's timeout is the backstop). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

const labelled: OrderEventInput[] = [
  { type: 'buyer.requestCancellation', at: placedAt + 35 * MINUTE, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
];
const cancel: OrderEventInput = { type: 'seller.cancel', at: placedAt + 55 * MINUTE, reason: 'BuyerCanceled' };

/** An order as a back end saved it with `serializeOrder`, after `events`. */
function saved(input: OrderInput, events: OrderEventInput[]): string {
  let snapshot = createOrder(input).snapshot;
  for (const event of events) snapshot = applyEvent(snapshot, event).snapshot;
  return serializeOrder(snapshot);
}

/** The verdict as the timeline words it. */
const verdictText = (verdict: { accepted: boolean; code?: string }) =>
  verdict.accepted ? '✓ accepted' : `✗ refused · ${verdict.code ?? ''}`;

describe('an order’s history in the inspector page, in headless Chromium', () => {
  let browser: Browser | undefined;
  let inspector: Inspector;
  const pageErrors: string[] = [];
  const cleanups: Array<() => unknown> = [];

  beforeAll(async () => {
    if (!hasChromium) return;
    browser = await launchChromium();
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(pageErrors.splice(0)).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
  });

  /** A fresh inspector with nothing in it, so every order the page lists comes from the test. */
  async function fresh(): Promise<Inspector> {
    inspector = await startInspector({ port: 0, log: (message) => pageErrors.push(`server: ${message}`) });
    cleanups.push(() => inspector.close());
    return inspector;
  }

  /** The inspector page at `hash`, in its own browser context that allows only 127.0.0.1. */
  async function open(hash = ''): Promise<Page> {
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Asia/Shanghai',
      locale: 'en-US',
      acceptDownloads: true,
    });
    context.setDefaultTimeout(0);
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    cleanups.push(() => context.close());
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(`${inspector.url}${hash}`);
    await page.locator('#connection.connected').waitFor();
    return page;
  }

  const step = (page: Page, index: number) => page.locator(`#timeline [data-testid="step"][data-index="${index}"]`);
  const verdicts = (page: Page) =>
    page.locator('#timeline [data-testid="verdict"]').evaluateAll((nodes) => nodes.map((node) => node.textContent));
  /** The computed fill of a state in the chart, as drawn. */
  const fill = (page: Page, state: string) =>
    page
      .locator(`#chart #state-${state} path`)
      .first()
      .evaluate((node) => getComputedStyle(node).fill);

  it('should start a restored order in its restored state, saying when it was restored, and export it to a file that replays to the verdicts on the page', async (context) => {
    needsChromium(context);
    await fresh();
    const input = orderInput({ orderId: '113-0000000-0002401' });
    const connection = connectInspector(inspector.socketUrl);
    cleanups.push(() => connection.stop());
    // A back end restores the saved order at 10:50 (the instant connectInspector stamps on the actor's first
    // messages) and sends it a cancel: refused, a label exists.
    const restoredAt = placedAt + 50 * MINUTE;
    const now = vi.spyOn(Date, 'now').mockReturnValue(restoredAt);
    const actor = createOrderActor(restoreOrder(saved(input, labelled)), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    now.mockRestore();
    cleanups.push(() => actor.stop());
    expect(actor.send(cancel).code).toBe('LABEL_GENERATED');

    const page = await open(`#order=${input.orderId}`);
    // The page's clock (countdowns) a minute after the cancel, as the developer debugging it would see it.
    await page.clock.setFixedTime(placedAt + 56 * MINUTE);
    await page.locator('.order.selected', { hasText: input.orderId }).waitFor();
    await step(page, 1).locator('[data-testid="verdict"]', { hasText: 'LABEL_GENERATED' }).waitFor();
    await page.locator('[data-testid="first"]').click();
    await page.locator('[data-testid="position"]', { hasText: 'Step 0 of 1' }).waitFor();

    // Its first step is the restore, in label-generated, not an order created in buyer-cancellable.
    const first = (await step(page, 0).innerText()).replace(/\s+/g, ' ');
    expect(first).toMatch(/^#0 order restored ✓ accepted label-generated /);
    expect(first).toMatch(/Restored at .+ from a saved snapshot, already label-generated;/);
    expect(first).not.toContain('order created');
    expect(first).not.toContain('order.restored');
    expect(first).toContain('Restored at 2026-11-26 10:50:00 GMT+8 from a saved snapshot');
    expect(await page.locator('#current-state').textContent()).toBe('label-generated');
    // The chart paints label-generated as the state of step 0, not buyer-cancellable.
    expect(await fill(page, 'labelGenerated')).not.toBe(await fill(page, 'buyerCancellable'));
    expect(await fill(page, 'buyerCancellable')).toBe(await fill(page, 'shipped'));
    await page.locator('#deadlines', { hasText: '26 min ago' }).waitFor();
    await screenshot(page, 'inspector-restored');

    // In Chinese the restore is worded too, not named by its event type.
    await page.locator('[data-testid="lang-zh"]').click();
    await step(page, 0).locator('[data-testid="message"][lang="zh-CN"]').waitFor();
    expect(await step(page, 0).locator('.step-event').textContent()).toBe(zhCNInspector['inspector.restored']);
    expect(await step(page, 0).locator('[data-testid="message"]').textContent()).toMatch(
      /^于 2026-11-26 10:50:00 GMT\+8 从保存的快照恢复，当时已是/,
    );
    await page.locator('[data-testid="lang-en"]').click();
    await step(page, 0).locator('[data-testid="message"][lang="en"]').waitFor();

    // The export starts from the restored snapshot: replayed, it reaches the verdicts the page shows.
    const exporter = page.locator('#export');
    expect(await exporter.isEnabled()).toBe(true);
    const [download] = await Promise.all([page.waitForEvent('download'), exporter.click()]);
    const path = (await download.path())!;
    const recording = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(recording).sort()).toEqual(['events', 'restoredAt', 'snapshot']);
    const replayed = replayRecording(recording);
    expect(replayed.map((each) => verdictText(each.verdict))).toEqual(await verdicts(page));
    expect(replayed[1]!.verdict.code).toBe('LABEL_GENERATED');

    // Opened again in the page, the file starts restored too.
    await page.locator('#file').setInputFiles({
      name: download.suggestedFilename(),
      mimeType: 'application/json',
      buffer: readFileSync(path),
    });
    await page.locator('.order.selected', { hasText: 'recording' }).waitFor();
    expect((await step(page, 0).innerText()).replace(/\s+/g, ' ')).toMatch(
      /^#0 order restored ✓ accepted label-generated /,
    );
    expect(await verdicts(page)).toEqual(replayed.map((each) => verdictText(each.verdict)));
  });

  it('should keep one entry per order however often the app restarts, restores and reconnects, and open it by its link with its whole history', async (context) => {
    needsChromium(context);
    await fresh();
    // The seller console's way: orders kept as serializeOrder text, restored into new actors on every start.
    const ids = ['113-0000000-0002411', '113-0000000-0002412', '113-0000000-0002413', '113-0000000-0002414'];
    const storage = new Map(ids.map((orderId) => [orderId, saved(orderInput({ orderId }), [])]));
    const busy = ids[1]!;
    const sent: OrderEventInput[] = [];
    const seen = (steps: number) => () =>
      inspector.orders().length === ids.length &&
      inspector.orders().every((order) => !order.disconnected && !order.steps.some((each) => each.pending)) &&
      inspector.orders().find((order) => order.orderId === busy)!.steps.length === steps;
    // Three visits (a new page, a new WebSocket each), each restarting every actor three times ("New order", "Reset").
    for (const visit of [0, 1, 2]) {
      const stately = createWebSocketInspector({ url: inspector.socketUrl });
      for (const restart of [0, 1, 2]) {
        const actors = ids.map((orderId) => {
          const actor = createOrderActor(restoreOrder(storage.get(orderId)!), {
            inspect: stately.inspect,
            clock: new SimulatedClock(),
          });
          actor.subscribe((snapshot) => storage.set(orderId, serializeOrder(snapshot)));
          return actor;
        });
        // The busy order gets one event on a different start of each visit.
        const event = visit === restart ? [...labelled, cancel][visit] : undefined;
        if (event) {
          actors[1]!.send(event);
          sent.push(event);
        }
        await until(seen(sent.length + 1));
        for (const actor of actors) actor.stop();
      }
      stately.stop();
      await until(() => inspector.orders().every((order) => order.disconnected));
    }

    const page = await open(`#order=${busy}`);
    await page.locator('.order.selected', { hasText: busy }).waitFor();
    // One entry per order in the list, and the link's order opens with every step since its first restore.
    const listed = await page
      .locator('[data-testid="order"] .order-id')
      .evaluateAll((nodes) => nodes.map((node) => node.textContent));
    expect(listed.sort()).toEqual(ids);
    expect(await page.locator('[data-testid="position"]').textContent()).toBe(`Step ${sent.length} of ${sent.length}`);
    expect(await page.locator('#timeline [data-testid="step"]').count()).toBe(sent.length + 1);
    expect(await page.locator('#timeline [data-testid="step"] .step-event').allTextContents()).toEqual([
      enInspector['inspector.restored'],
      ...sent.map((event) => event.type),
    ]);
    expect(await verdicts(page)).toEqual(['✓ accepted', '✓ accepted', '✓ accepted', '✗ refused · LABEL_GENERATED']);
    expect(await page.locator('#current-state').textContent()).toBe('label-generated');
  });

  it('should refuse to export an order whose history has a step the inspector did not see, and say why', async (context) => {
    needsChromium(context);
    await fresh();
    const input = orderInput({ orderId: '113-0000000-0002421' });
    const connection = connectInspector(inspector.socketUrl);
    cleanups.push(() => connection.stop());
    createOrderActor(input, { inspect: connection.inspect, clock: new SimulatedClock() }).stop();
    // Meanwhile another process bought the label, without the inspector; then the order is restored here.
    const actor = createOrderActor(restoreOrder(saved(input, labelled)), {
      inspect: connection.inspect,
      clock: new SimulatedClock(),
    });
    cleanups.push(() => actor.stop());

    const page = await open(`#order=${input.orderId}`);
    await page.locator('[data-testid="position"]', { hasText: 'Step 1 of 1' }).waitFor();
    expect(await page.locator('#timeline [data-testid="step"] .step-event').allTextContents()).toEqual([
      enInspector['inspector.created'],
      enInspector['inspector.restored'],
    ]);
    expect(await page.locator('[data-testid="order"]').count()).toBe(1);
    const exporter = page.locator('#export');
    expect(await exporter.isVisible()).toBe(true);
    expect(await exporter.isDisabled()).toBe(true);
    expect(await exporter.getAttribute('title')).toBe(enInspector['inspector.exportJoined']);
  });

  it('should show a burst sent through connectInspector whole and in order, though the sends returned before anything was sent', async (context) => {
    needsChromium(context);
    await fresh();
    const input = orderInput({ orderId: '113-0000000-0002431' });
    const page = await open(`#order=${input.orderId}`);
    const connection = connectInspector(inspector.socketUrl);
    cleanups.push(() => connection.stop());
    await until(() => connection.connected);
    const frames: string[] = [];
    const { default: WebSocket } = await import('ws');
    const send = WebSocket.prototype.send;
    WebSocket.prototype.send = function (this: InstanceType<typeof WebSocket>, ...args: Parameters<typeof send>) {
      frames.push(String(args[0]));
      return send.apply(this, args);
    } as typeof send;
    cleanups.push(() => (WebSocket.prototype.send = send));
    const burst = Array.from({ length: 300 }, (_, i): OrderEventInput => {
      const at = placedAt + 31 * MINUTE + i * MINUTE;
      return i % 2
        ? { type: 'clock.tick', at, eventId: `tick-${i}` }
        : { type: 'buyer.requestCancellation', at, source: 'order-flag', orderItemIds: ['A'], eventId: `ask-${i}` };
    });
    const actor = createOrderActor(input, { inspect: connection.inspect, clock: new SimulatedClock() });
    cleanups.push(() => actor.stop());
    for (const event of burst) actor.send(event);
    // Nothing was serialized or written while the app was sending.
    expect(frames).toEqual([]);

    await page.locator('[data-testid="position"]', { hasText: `Step ${burst.length} of ${burst.length}` }).waitFor();
    await page.locator(`#timeline [data-testid="step"][data-index="${burst.length}"]:not(:has(.pending))`).waitFor();
    expect(await page.locator('#timeline .pending').count()).toBe(0);
    // Following a live order, the timeline draws its newest entries: they are the burst's last events, in order.
    const shown = await page.locator('#timeline [data-testid="step"] .step-event').allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown).toEqual([enInspector['inspector.created'], ...burst.map((event) => event.type)].slice(-shown.length));
    expect(frames.length).toBeGreaterThan(burst.length);
  });
});
