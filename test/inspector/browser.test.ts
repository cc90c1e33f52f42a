import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebSocketInspector } from '@statelyai/inspect';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { SimulatedClock } from 'xstate';
import {
  applyEvent,
  createOrder,
  createOrderActor,
  replayRecording,
  type OrderEventInput,
  type OrderInput,
} from '../../src/index.js';
import {
  connectInspector,
  startInspector,
  type Inspector,
  type InspectorConnection,
} from '../../src/inspector/index.js';
import type { OrderService } from '../../src/service/index.js';
import { chromiumHint as missing, hasChromium, launchChromium } from '../support/chromium.js';
import { inspectorOnStore } from '../support/inspector-page.js';
import { autoCancelAt, DAY, MINUTE, orderInput, placedAt } from '../support/orders.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = join(root, 'test/inspector/fixtures/buyer-asks-after-label.json');
// Every run leaves its screenshots in reports/ to look at. The two that docs/inspector.md shows change only on request,
// UPDATE_SCREENSHOT=1, and are then reduced to 256 colours with pngquant when it is installed (`apt-get install -y
// pngquant`): a third of the bytes, the same to the eye, and docs/ ships in the package.
const shots = join(root, 'reports');
const docsShots = new Set(['inspector-1280', 'inspector-800']);
async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(shots, `${name}.png`) });
  if (!process.env['UPDATE_SCREENSHOT'] || !docsShots.has(name)) return;
  const file = join(root, 'docs', `${name}.png`);
  await page.screenshot({ path: file });
  try {
    execFileSync('pngquant', ['--quality', '60-85', '--force', '--ext', '.png', file]);
  } catch {
    console.warn(`${file} is kept at full size: install pngquant (apt-get install -y pngquant) to reduce it.`);
  }
}

const input = orderInput();
const events: OrderEventInput[] = [
  { type: 'clock.tick', at: placedAt + 30 * MINUTE },
  { type: 'buyer.requestCancellation', at: placedAt + 35 * MINUTE, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
  { type: 'seller.cancel', at: placedAt + 55 * MINUTE, reason: 'BuyerCanceled' },
];

/** A subject longer than 90 characters, to check that diffs show values in full. */
const longSubject =
  'Order cancellation request from Amazon customer Zhang Wei (order 113-1234567-1234567), please cancel the red mug';

/** A recorded order with `count` events: buyer messages with long subjects, refused cancels, ticks. */
function longRecording(
  count: number,
  orderId = '250-0000000-0000040',
  withIds = false,
): { input: OrderInput; events: OrderEventInput[] } {
  return {
    input: { ...orderInput(), orderId },
    events: Array.from({ length: count }, (_, i): OrderEventInput => {
      const at = placedAt + 31 * MINUTE + i * MINUTE;
      // An order remembers the ids of the events that changed it: with ids, its context grows with every step.
      const id = withIds ? { eventId: `event-${i}-${'x'.repeat(40)}` } : {};
      if (i % 3 === 0)
        return { type: 'buyer.requestCancellation', at, source: 'message', subject: `${longSubject} #${i}`, ...id };
      if (i % 3 === 1) return { type: 'buyer.cancel', at, ...id };
      return { type: 'clock.tick', at, ...id };
    }),
  };
}

/** The verdict this package gives the refused cancel, to compare the page with. */
function expectedRefusal() {
  let snapshot = createOrder(input).snapshot;
  for (const event of events.slice(0, -1)) snapshot = applyEvent(snapshot, event).snapshot;
  return applyEvent(snapshot, events.at(-1)!).verdict;
}

/** Skips outside CI when Chromium is missing; in CI (`CI` set) the test fails instead. */
function needsChromium(context: TestContext): void {
  if (hasChromium) return;
  if (process.env['CI']) throw new Error(`${missing}; CI must run it.`);
  context.skip(missing);
}

describe('inspector page in headless Chromium', () => {
  let inspector: Inspector;
  let browser: Browser | undefined;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const logged: string[] = [];
  const cleanups: Array<() => unknown> = [];

  /** A fresh page (its own browser context) that records every request and error, and aborts any outside 127.0.0.1. */
  async function open(
    options: { width?: number; height?: number; timezoneId?: string; url?: string } = {},
  ): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser!.newContext({
      viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
      deviceScaleFactor: 1,
      timezoneId: options.timezoneId ?? 'Asia/Shanghai',
      locale: 'en-US',
      acceptDownloads: true,
    });
    // Conditions, not clocks: every wait below ends when its condition holds (vitest's timeout is the backstop).
    context.setDefaultTimeout(0);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (new URL(url).hostname === '127.0.0.1') await route.continue();
      else await route.abort();
    });
    const page = await context.newPage();
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // A refused WebSocket while the server restarts is the browser's own log line, not a page error.
      if (message.type() === 'error' && !/WebSocket connection to .* failed/.test(message.text()))
        pageErrors.push(message.text());
    });
    cleanups.push(() => context.close());
    await page.goto(options.url ?? inspector.url);
    await page.locator('#connection.connected').waitFor();
    return { page, context };
  }

  /** A live order driven from this process through `connectInspector`. */
  function liveOrder(
    orderInputValue: OrderInput,
    sent: OrderEventInput[],
    url = inspector.socketUrl,
  ): { connection: InspectorConnection; actor: ReturnType<typeof createOrderActor> } {
    const connection = connectInspector(url, { minDelayMs: 50, maxDelayMs: 200 });
    const actor = createOrderActor(orderInputValue, { inspect: connection.inspect, clock: new SimulatedClock() });
    for (const event of sent) actor.send(event);
    cleanups.push(() => {
      actor.stop();
      connection.stop();
    });
    return { connection, actor };
  }

  const select = (page: Page, orderId: string) =>
    page.locator('[data-testid="order"]', { hasText: orderId }).first().click();

  beforeAll(async () => {
    if (!hasChromium) return;
    inspector = await startInspector({ port: 0, log: (message) => logged.push(message), open: fixture });
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(pageErrors.splice(0)).toEqual([]);
    expect(requests.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await inspector?.close();
  });

  it('should show a live order from createWebSocketInspector in labelGenerated with its refused cancel, in English and Chinese, named by its order id', async (context) => {
    needsChromium(context);
    const { page } = await open();
    const stately = createWebSocketInspector({ url: inspector.socketUrl });
    const actor = createOrderActor(input, { inspect: stately.inspect, clock: new SimulatedClock() });
    for (const event of events) actor.send(event);

    const order = page.locator('[data-testid="order"]', { hasText: input.orderId });
    await order.click();
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    // Named by the order id, not by the actor's session id (x:0).
    expect((await order.textContent())!).not.toMatch(/x:\d/);
    expect(await page.locator('#current-order').textContent()).toBe(`Order ${input.orderId}`);

    const refusal = expectedRefusal();
    expect(refusal.code).toBe('LABEL_GENERATED');
    const refused = page.locator('[data-testid="step"][data-code="LABEL_GENERATED"]');
    await refused.waitFor();
    expect(await refused.getAttribute('data-event')).toBe('seller.cancel');
    expect(await refused.locator('[data-testid="verdict"]').textContent()).toContain('LABEL_GENERATED');
    expect(await refused.locator('[data-testid="message"]').textContent()).toBe(refusal.message.en);

    await page.locator('[data-testid="lang-zh"]').click();
    await refused.locator('[data-testid="message"][lang="zh-CN"]').waitFor();
    expect(await refused.locator('[data-testid="message"]').textContent()).toBe(refusal.message['zh-CN']);
    await page.locator('#deadlines th', { hasText: '自动取消时间' }).waitFor();
    await screenshot(page, 'inspector-zh');
    await page.locator('[data-testid="lang-en"]').click();
    await refused.locator('[data-testid="message"][lang="en"]').waitFor();
    await page.locator('#deadlines th', { hasText: 'Auto-cancel at' }).waitFor();
    await screenshot(page, 'inspector');

    actor.stop();
    stately.stop();
    await page.locator(`[data-testid="order"]:has-text("${input.orderId}") .badge.disconnected`).first().waitFor();
    expect(logged).toEqual([]);
  });

  it('should draw Chinese text with a CJK font, not boxes', async (context) => {
    needsChromium(context);
    const { page } = await open();
    await select(page, '249-7654321-7654321');
    await page.locator('[data-testid="lang-zh"]').click();
    const message = page.locator('[data-testid="step"] [data-testid="message"][lang="zh-CN"]').first();
    await message.waitFor();
    // Ask Chromium which installed font it used for the message's glyphs.
    const cdp = await page.context().newCDPSession(page);
    const { root: documentNode } = await cdp.send('DOM.getDocument');
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: documentNode.nodeId,
      selector: '[data-testid="step"] [data-testid="message"][lang="zh-CN"]',
    });
    await cdp.send('CSS.enable');
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    const cjk = fonts.filter((font) => /CJK/.test(font.familyName));
    expect(cjk.length, `fonts used: ${JSON.stringify(fonts)}; install Debian's fonts-noto-cjk`).toBeGreaterThan(0);
    expect(cjk.reduce((sum, font) => sum + font.glyphCount, 0)).toBeGreaterThan(10);
    await page.locator('[data-testid="lang-en"]').click();
  });

  it('should list stored orders from --db, search them by id and state, and open one as a recording', async (context) => {
    needsChromium(context);
    let rows: Awaited<ReturnType<OrderService['history']>> = [];
    const own = await inspectorOnStore(cleanups, placedAt, async (service) => {
      await service.place({ ...input, orderId: '114-0000000-0000001' });
      await service.place({ ...input, orderId: '114-0000000-0000002' });
      for (const event of events) await service.apply('114-0000000-0000002', event);
      await service.place({ ...input, orderId: '205-0000000-0000003' });
      rows = await service.history('114-0000000-0000002');
    });
    const { page } = await open({ url: own.url });
    const listed = page.locator('[data-testid="stored-order"]');
    await listed.nth(2).waitFor();
    expect(await listed.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-stored-id')))).toEqual([
      '114-0000000-0000001',
      '114-0000000-0000002',
      '205-0000000-0000003',
    ]);
    await page.locator('#stored-id').fill('205');
    await page.locator('[data-testid="stored-order"][data-stored-id="205-0000000-0000003"]:only-child').waitFor();
    await page.locator('#stored-id').fill('');
    await page.locator('#stored-status').selectOption(rows.at(-1)!.statusAfter);
    await page.locator('[data-testid="stored-order"][data-stored-id="114-0000000-0000002"]:only-child').waitFor();
    await listed.first().click();
    await page.locator('#current-order', { hasText: '114-0000000-0000002' }).waitFor();
    await page.locator('[data-testid="position"]', { hasText: `Step 0 of ${rows.length - 1}` }).waitFor();
    await page.locator('[data-testid="last"]').click();
    const stateKey = rows.at(-1)!.statusAfter.replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
    await page.locator(`#current-state[data-state="${stateKey}"]`).waitFor();
    const steps = page.locator('[data-testid="step"]');
    expect(await steps.count()).toBe(rows.length);
    expect(await steps.evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-code')))).toEqual(
      rows.map((row) => row.verdict.code ?? null),
    );
  });

  it('should replay a recorded order step by step, forwards and backwards, without "Follow live"', async (context) => {
    needsChromium(context);
    const { page } = await open();
    await select(page, '249-7654321-7654321');
    const state = page.locator('#current-state');
    await page.locator('#current-state[data-state="buyerCancellable"]').waitFor();
    expect(await page.locator('[data-testid="position"]').textContent()).toBe('Step 0 of 5');
    expect(await page.locator('#follow').isVisible()).toBe(false);
    expect(await page.locator('#export').isVisible()).toBe(false);

    await page.locator('[data-testid="next"]').click();
    await page.locator('#current-state[data-state="unshipped"]').waitFor();
    await page.locator('#chart g.edge.taken').waitFor();
    expect(await page.locator('[data-testid="step"].current').getAttribute('data-code')).toBe('BUYER_WINDOW_CLOSED');

    await page.locator('[data-testid="last"]').click();
    await page.locator('#current-state[data-state="shipped"]').waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.locator('[data-testid="position"]', { hasText: 'Step 4 of 5' }).waitFor();
    expect(await page.locator('[data-testid="step"].current').getAttribute('data-code')).toBe('LABEL_GENERATED');
    await page.locator('[data-testid="previous"]').click();
    await page.locator('[data-testid="position"]', { hasText: 'Step 3 of 5' }).waitFor();
    expect(await page.locator('#current-state').getAttribute('data-state')).toBe('labelGenerated');
    await page.locator('[data-testid="first"]').click();
    await page.locator('#current-state[data-state="buyerCancellable"]').waitFor();
    expect(await state.getAttribute('data-state')).toBe('buyerCancellable');

    // A live order shows "Follow live".
    liveOrder({ ...input, orderId: '113-0000000-0000002' }, events.slice(0, 1));
    await select(page, '113-0000000-0000002');
    await page.locator('#follow').waitFor({ state: 'visible' });
    expect(await page.locator('#follow').isChecked()).toBe(true);
  });

  it('should paint the active state and the transition taken, not only mark them with classes', async (context) => {
    needsChromium(context);
    const { page } = await open();
    await select(page, '249-7654321-7654321');
    await page.locator('#chart svg').waitFor();
    // Step 3: seller.generateLabel took unshipped -> labelGenerated.
    for (let i = 0; i < 3; i += 1) await page.locator('[data-testid="next"]').click();
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    await page.locator('#chart g.edge.taken').waitFor();
    const painted = await page.evaluate(() => {
      const style = (selector: string) => {
        const element = document.querySelector(selector);
        if (!element) return null;
        const computed = getComputedStyle(element);
        return { fill: computed.fill, stroke: computed.stroke, strokeWidth: parseFloat(computed.strokeWidth) };
      };
      return {
        active: style('#state-labelGenerated path'),
        inactive: style('#state-unshipped path'),
        cluster: style('#state-placed > path'),
        taken: style('#chart g.edge.taken path'),
        takenId: document.querySelector('#chart g.edge.taken')?.id,
        other: style('[id="edge-labelGenerated-unshipped-seller.confirmShipment-0"] path'),
      };
    });
    expect(painted.takenId).toBe('edge-unshipped-labelGenerated-seller.generateLabel-0');
    expect(painted.active).toEqual({ fill: 'rgb(219, 232, 255)', stroke: 'rgb(29, 79, 176)', strokeWidth: 3.5 });
    expect(painted.inactive!.fill).toBe('rgb(255, 255, 255)');
    expect(painted.inactive!.stroke).not.toBe(painted.active!.stroke);
    // The compound state around it is outlined, not filled like the state itself.
    expect(painted.cluster!.fill).not.toBe(painted.active!.fill);
    expect(painted.cluster!.strokeWidth).toBeLessThan(painted.active!.strokeWidth);
    expect(painted.taken).toMatchObject({ stroke: 'rgb(29, 79, 176)', strokeWidth: 3 });
    expect(painted.other!.stroke).not.toBe(painted.taken!.stroke);

    // A self-loop shares one drawn loop with the state's other self-loops: the loop is painted.
    const partial = {
      input: orderInput({ orderId: '250-0000000-0000077' }),
      events: [
        { type: 'clock.tick', at: placedAt + 31 * MINUTE },
        {
          type: 'seller.cancel',
          at: placedAt + 40 * MINUTE,
          reason: 'NoInventory',
          items: [{ orderItemId: 'B', quantity: 1 }],
        },
      ],
    };
    inspector.loadRecording(partial, 'partial.json');
    await select(page, '250-0000000-0000077');
    await page.locator('[data-testid="last"]').click();
    await page.locator('#chart g.edge.taken').waitFor();
    const loop = await page.evaluate(() => {
      const edge = document.querySelector('#chart g.edge.taken')!;
      return { id: edge.id, stroke: getComputedStyle(edge.querySelector('path')!).stroke, text: edge.textContent };
    });
    expect(loop.id).toMatch(/^edge-unshipped-unshipped-/);
    expect(loop.text).toContain('seller.cancel');
    expect(loop.stroke).toBe('rgb(29, 79, 176)');
  });

  for (const [width, height] of [
    [1280, 800],
    [800, 800],
  ] as const) {
    it(`should keep the toolbar in place and scroll the chart, timeline and context panes on their own at ${width}x${height}`, async (context) => {
      needsChromium(context);
      inspector.loadRecording(longRecording(60, `250-0000000-00${width}`), `long-${width}.json`);
      const { page } = await open({ width, height });
      await select(page, `250-0000000-00${width}`);
      await page.locator('[data-testid="last"]').click();
      await page.locator('[data-testid="position"]', { hasText: 'Step 60 of 60' }).waitFor();
      await page.locator('#chart svg').waitFor();
      const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
      // The page itself does not scroll.
      expect(await page.evaluate(() => document.scrollingElement!.scrollHeight <= window.innerHeight)).toBe(true);
      const toolbar = await box('#toolbar');
      const panes = {
        chart: await box('#chart'),
        timeline: await box('#timeline-pane'),
        side: await box('#side-pane'),
      };
      for (const [name, pane] of Object.entries({ toolbar, ...panes })) {
        expect(pane.y, name).toBeGreaterThanOrEqual(0);
        expect(pane.y + pane.height, name).toBeLessThanOrEqual(height + 0.5);
        expect(pane.height, name).toBeGreaterThan(name === 'toolbar' ? 20 : 100);
      }
      await screenshot(page, `inspector-${width}`);
      // The whole chart fits its pane at the default zoom (at 1280x800): zoomed in, it scrolls.
      await page.locator('#zoom-in').click();
      await page.locator('#zoom-in').click();
      // Each pane scrolls on its own: scrolling one moves neither the toolbar nor the others.
      for (const id of ['timeline-pane', 'side-pane', 'chart']) {
        const scrolled = await page.evaluate((paneId) => {
          const pane = document.getElementById(paneId)!;
          const others = ['timeline-pane', 'side-pane', 'chart']
            .filter((other) => other !== paneId)
            .map((other) => document.getElementById(other)!.scrollTop);
          const before = pane.scrollTop;
          pane.scrollTop = before === 0 ? 200 : 0;
          return {
            scrollable: pane.scrollHeight > pane.clientHeight,
            moved: pane.scrollTop !== before,
            others,
            after: ['timeline-pane', 'side-pane', 'chart']
              .filter((other) => other !== paneId)
              .map((other) => document.getElementById(other)!.scrollTop),
          };
        }, id);
        expect(scrolled.scrollable, id).toBe(true);
        expect(scrolled.moved, id).toBe(true);
        expect(scrolled.after, id).toEqual(scrolled.others);
        expect(await box('#toolbar'), id).toEqual(toolbar);
      }
    });
  }

  it('should list deadlines with local dates and a live countdown, and show instants as dates in the context and diffs', async (context) => {
    needsChromium(context);
    const { page } = await open({ timezoneId: 'Asia/Shanghai' });
    // 2 d 3 h 4 min before the auto-cancel instant.
    await page.clock.setFixedTime(autoCancelAt - (2 * DAY + 3 * 60 * MINUTE + 4 * MINUTE));
    await select(page, '249-7654321-7654321');
    await page.locator('[data-testid="next"]').click();
    await page.locator('[data-testid="position"]', { hasText: 'Step 1 of 5' }).waitFor();
    const row = page.locator('#deadlines [data-deadline="autoCancelAt"]');
    await row.waitFor();
    // latestShipDate 2026-11-28T23:59:59+08:00 plus the 7-day policy, in the page's zone (Asia/Shanghai).
    expect(await row.locator('time').textContent()).toBe('2026-12-05 23:59:59 GMT+8');
    expect(await page.locator('#deadlines [data-deadline="buyerCancelUntil"] time').textContent()).toBe(
      '2026-11-26 10:30:00 GMT+8',
    );
    await row.locator('.countdown', { hasText: 'in 2 days 3 hr 4 min' }).waitFor();
    await page.clock.setFixedTime(autoCancelAt - (2 * DAY + 3 * 60 * MINUTE + 3 * MINUTE));
    await row.locator('.countdown', { hasText: 'in 2 days 3 hr 3 min' }).waitFor();
    await page.clock.setFixedTime(autoCancelAt + 90 * MINUTE);
    await row.locator('.countdown', { hasText: '1 hr 30 min ago' }).waitFor();
    // At step 1 (minute 45) the buyer window has passed, the auto-cancel has not.
    expect(await page.locator('#deadlines [data-deadline="buyerCancelUntil"]').getAttribute('data-passed')).toBe(
      'true',
    );
    expect(await row.getAttribute('data-passed')).toBe('false');

    // The context shows instants as dates, with the ISO instant in the title.
    const contextDate = page.locator('#context li[data-key="autoCancelAt"] time');
    expect(await contextDate.textContent()).toBe('2026-12-05 23:59:59 GMT+8');
    expect(await contextDate.getAttribute('datetime')).toBe(new Date(autoCancelAt).toISOString());
    // And so do the diffs: step 3 sets labelGeneratedAt (14:00 in Shanghai).
    await page.locator('[data-testid="step"][data-index="3"]').click();
    const diff = page.locator('[data-testid="step"][data-index="3"] tr[data-path="labelGeneratedAt"]');
    expect(await diff.locator('td.before').textContent()).toBe('null');
    expect(await diff.locator('td.after').textContent()).toBe('2026-11-26 14:00:00 GMT+8');
  });

  it('should show a bad recording error on screen until dismissed, and clear it when a recording loads', async (context) => {
    needsChromium(context);
    const { page } = await open({ width: 1280, height: 800 });
    await page
      .locator('#file')
      .setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from('{ "input": ') });
    const banner = page.locator('#notice');
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toContain('Recorded order "broken.json" is not valid JSON');
    const where = (await banner.boundingBox())!;
    expect(where.y).toBeGreaterThanOrEqual(0);
    expect(where.y + where.height).toBeLessThanOrEqual(800);
    await page.locator('#notice-close').click();
    await banner.waitFor({ state: 'hidden' });

    await page.locator('#file').setInputFiles({
      name: 'bad-field.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify({ input: { orderId: '' }, events: [] })),
    });
    await banner.waitFor({ state: 'visible' });
    expect(await banner.textContent()).toContain('bad-field.json');
    await page
      .locator('#file')
      .setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: readFileSync(fixture) });
    await banner.waitFor({ state: 'hidden' });
    await page.locator('.order.selected', { hasText: 'good.json' }).waitFor();
  });

  it('should draw readable labels that do not overlap, and zoom and pan the chart', async (context) => {
    needsChromium(context);
    const { page } = await open({ width: 1280, height: 800 });
    await select(page, '249-7654321-7654321');
    await page.locator('#chart svg').waitFor();
    const labels = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#chart g.edge text')).map((text) => {
        const box = text.getBoundingClientRect();
        const size = parseFloat(text.getAttribute('font-size') ?? '0');
        // On-screen size: the font size in SVG units times the SVG's scale on screen.
        const scale = (text as SVGGraphicsElement).getScreenCTM()!.a;
        return {
          edge: text.closest('g.edge')!.id,
          text: text.textContent!,
          px: size * scale,
          box: { x: box.x, y: box.y, w: box.width, h: box.height },
        };
      }),
    );
    expect(labels.length).toBeGreaterThan(10);
    for (const label of labels)
      expect(label.px, label.text).toBeGreaterThanOrEqual(label.text.startsWith('[') ? 10.9 : 11.9);
    const overlaps: string[] = [];
    labels.forEach((a, i) =>
      labels.slice(i + 1).forEach((b) => {
        // The lines of one label touch by design (line height); labels of different edges must not.
        if (a.edge === b.edge) return;
        const overlapX = Math.min(a.box.x + a.box.w, b.box.x + b.box.w) - Math.max(a.box.x, b.box.x);
        const overlapY = Math.min(a.box.y + a.box.h, b.box.y + b.box.h) - Math.max(a.box.y, b.box.y);
        if (overlapX > 1 && overlapY > 1) overlaps.push(`${a.text} / ${b.text}`);
      }),
    );
    expect(overlaps).toEqual([]);

    const width = async () => (await page.locator('#chart svg').boundingBox())!.width;
    const before = await width();
    await page.locator('#zoom-in').click();
    expect((await width()) / before).toBeCloseTo(1.25, 1);
    await page.locator('#zoom-out').click();
    await page.locator('#zoom-out').click();
    expect((await width()) / before).toBeCloseTo(0.8, 1);
    await page.locator('#zoom-in').click();
    await page.locator('#zoom-in').click();
    await page.locator('#zoom-in').click();
    // Drag to pan.
    const chart = (await page.locator('#chart').boundingBox())!;
    const scroll = () =>
      page.locator('#chart').evaluate((element) => ({ left: element.scrollLeft, top: element.scrollTop }));
    const start = await scroll();
    await page.mouse.move(chart.x + chart.width / 2, chart.y + chart.height / 2);
    await page.mouse.down();
    await page.mouse.move(chart.x + chart.width / 2 - 150, chart.y + chart.height / 2 - 60, { steps: 5 });
    await page.mouse.up();
    const panned = await scroll();
    expect(panned.left - start.left).toBeGreaterThan(100);
    expect(panned.top - start.top).toBeGreaterThan(30);
    await page.locator('#zoom-reset').click();
    expect(await width()).toBeCloseTo(before, 0);
    // Fit shows the whole chart in its pane.
    await page.locator('#zoom-fit').click();
    const pane = (await page.locator('#chart').boundingBox())!;
    const svg = (await page.locator('#chart svg').boundingBox())!;
    expect(svg.width).toBeLessThanOrEqual(pane.width);
    expect(svg.height).toBeLessThanOrEqual(pane.height);
    await page.locator('#zoom-reset').click();
  });

  it('should show long diff values in full, and expand the context tree and diff values', async (context) => {
    needsChromium(context);
    inspector.loadRecording(longRecording(4, '250-0000000-0000004'), 'long-4.json');
    const { page } = await open();
    await select(page, '250-0000000-0000004');
    // Step 1 records the buyer's message: requests.0 is an object whose text is longer than 90 characters.
    await page.locator('[data-testid="step"][data-index="1"]').click();
    const change = page.locator('[data-testid="step"][data-index="1"] tr[data-path="requests.0"] td.after');
    await change.locator('summary').click();
    const subject = change.locator('li[data-key="subject"]');
    await subject.waitFor();
    expect(await subject.locator('.value').textContent()).toBe(JSON.stringify(`${longSubject} #0`));
    expect(await change.locator('li[data-key="at"] time').textContent()).toBe('2026-11-26 10:31:00 GMT+8');

    // The context tree: policy opens to its fields, and stays open when another step is shown.
    const policy = page.locator('#context li[data-key="policy"] > details');
    expect(await policy.evaluate((element) => (element as HTMLDetailsElement).open)).toBe(false);
    await policy.locator('summary').first().click();
    await page
      .locator('#context li[data-key="policy"] li[data-key="buyerCancelWindowMs"]', { hasText: '1800000' })
      .waitFor();
    await page.locator('[data-testid="next"]').click();
    await page.locator('#context li[data-key="policy"] li[data-key="autoCancelAfterMs"]').waitFor();
    expect(await page.locator('#context li[data-key="requests"] > details > summary').textContent()).toMatch(/^\[1\] /);
  });

  it('should mark duplicate events in the timeline', async (context) => {
    needsChromium(context);
    const at = placedAt + 40 * MINUTE;
    inspector.loadRecording(
      {
        input: orderInput({ orderId: '302-0000000-0000001' }),
        events: [
          { type: 'seller.generateLabel', at, eventId: 'label-1' },
          { type: 'seller.generateLabel', at: at + MINUTE, eventId: 'label-1' },
        ],
      },
      'duplicate.json',
    );
    const { page } = await open();
    await select(page, '302-0000000-0000001');
    await page.locator('[data-testid="last"]').click();
    await page.locator('[data-testid="step"][data-index="2"] .badge[data-flag="duplicate"]').waitFor();
    expect(await page.locator('[data-testid="step"][data-index="1"] .badge.flag').count()).toBe(0);
  });

  it('should filter orders by id, by state and to those with refusals, and the timeline to refused steps', async (context) => {
    needsChromium(context);
    inspector.loadRecording(
      {
        input: orderInput({ orderId: '301-0000000-0000001' }),
        events: [{ type: 'seller.generateLabel', at: placedAt + 40 * MINUTE }],
      },
      'clean.json',
    );
    inspector.loadRecording(longRecording(6, '301-0000000-0000002'), 'refusals.json');
    const { page } = await open();
    const visible = () => page.locator('[data-testid="order"]:visible .order-id').allTextContents();
    await page.locator('[data-testid="order"]', { hasText: '301-0000000-0000002' }).waitFor();

    await page.locator('#filter-id').fill('301-');
    await expect.poll(visible).toEqual(['301-0000000-0000001', '301-0000000-0000002']);
    await page.locator('#filter-state').selectOption('labelGenerated');
    await expect.poll(visible).toEqual(['301-0000000-0000001']);
    await page.locator('#filter-state').selectOption('');
    await page.locator('#filter-refused').check();
    await expect.poll(visible).toEqual(['301-0000000-0000002']);
    await select(page, '301-0000000-0000002');
    await page.locator('[data-testid="last"]').click();
    const steps = page.locator('#timeline [data-testid="step"]:visible');
    await expect
      .poll(() => steps.evaluateAll((elements) => elements.map((element) => element.getAttribute('data-accepted'))))
      .toEqual(['false', 'false']);
    await page.locator('#filter-refused').uncheck();
    await expect.poll(() => steps.count()).toBe(7);
    await page.locator('#filter-id').fill('');
  });

  it('should select the order named by #order= when the page opens or when it arrives later, and keep the address on the selected order', async (context) => {
    needsChromium(context);
    const present = { ...input, orderId: '113-0000000-0000031' };
    liveOrder(present, events.slice(0, 2));
    await expect.poll(() => inspector.orders().some((order) => order.orderId === present.orderId)).toBe(true);
    const hash = (page: Page) => page.evaluate(() => location.hash);

    // Already there: selected at once, though the list starts with the recorded fixture.
    const first = await open({ url: `${inspector.url}#order=${encodeURIComponent(present.orderId)}` });
    expect(await first.page.locator('[data-testid="order"] .order-id').first().textContent()).not.toBe(present.orderId);
    await first.page.locator('.order.selected', { hasText: present.orderId }).waitFor();
    expect(await first.page.locator('#current-order').textContent()).toBe(`Order ${present.orderId}`);
    await first.page.locator('#current-state[data-state="unshipped"]').waitFor();

    // Not there yet: another order is shown meanwhile, the address keeps naming the awaited one, which is selected on arrival.
    const later = { ...input, orderId: '113-0000000-0000032' };
    const { page } = await open({ url: `${inspector.url}#order=${later.orderId}` });
    await page.locator('.order.selected').waitFor();
    expect(await page.locator('.order.selected .order-id').textContent()).not.toBe(later.orderId);
    expect(await hash(page)).toBe(`#order=${later.orderId}`);
    liveOrder(later, events.slice(0, 3));
    await page.locator('.order.selected', { hasText: later.orderId }).waitFor();
    expect(await page.locator('#current-order').textContent()).toBe(`Order ${later.orderId}`);
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();

    // The address follows the user's choice, without adding history entries, and a reload comes back to it.
    const entries = await page.evaluate(() => history.length);
    await select(page, present.orderId);
    await expect.poll(() => hash(page)).toBe(`#order=${present.orderId}`);
    expect(await page.evaluate(() => history.length)).toBe(entries);
    await page.reload();
    await page.locator('#connection.connected').waitFor();
    await page.locator('.order.selected', { hasText: present.orderId }).waitFor();

    // Another order typed into the address bar is shown too.
    await page.evaluate((orderId) => (location.hash = `#order=${orderId}`), later.orderId);
    await page.locator('.order.selected', { hasText: later.orderId }).waitFor();
    expect(await page.locator('.order.selected').count()).toBe(1);
  });

  it('should export a live order as a recording that replays to the same states', async (context) => {
    needsChromium(context);
    const { page } = await open();
    const live = { ...input, orderId: '113-0000000-0000003' };
    liveOrder(live, events);
    await select(page, live.orderId);
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    await page.locator('[data-testid="step"][data-index="4"]:not(:has(.pending))').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()]);
    expect(download.suggestedFilename()).toBe(`${live.orderId}.json`);
    const recording = JSON.parse(readFileSync((await download.path())!, 'utf8')) as unknown;
    const replayed = replayRecording(recording);
    const shown = await page
      .locator('[data-testid="step"]')
      .evaluateAll((elements) =>
        elements.map((element) => [element.getAttribute('data-event'), element.getAttribute('data-code')]),
      );
    expect(
      replayed.map((step) => [step.event === null ? 'created' : String(step.event['type']), step.verdict.code ?? null]),
    ).toEqual(shown);
    expect(replayed.at(-1)!.snapshot.value).toEqual({ placed: 'labelGenerated' });
  });

  it('should list dropped app connections and ignored messages in the page', async (context) => {
    needsChromium(context);
    const { page } = await open();
    const { default: WebSocket } = await import('ws');
    const socket = new WebSocket(inspector.socketUrl);
    await new Promise((resolve) => socket.once('open', resolve));
    socket.send('not json at all');
    socket.send(JSON.stringify({ type: '@xstate.event', sessionId: 'x:7', event: { type: 'seller.cancel', at: 1 } }));
    const stately = createWebSocketInspector({ url: inspector.socketUrl });
    const actor = createOrderActor(
      { ...input, orderId: '113-0000000-0000004' },
      { inspect: stately.inspect, clock: new SimulatedClock() },
    );
    await page.locator('[data-testid="order"]', { hasText: '113-0000000-0000004' }).waitFor();
    actor.stop();
    stately.stop();
    socket.close();
    await page
      .locator('[data-testid="order"]', { hasText: '113-0000000-0000004' })
      .locator('.badge.disconnected')
      .waitFor();

    await page.locator('#activity-toggle').click();
    const entries = page.locator('#activity-list .activity-entry');
    await page
      .locator('#activity-list .activity-entry.ignored', { hasText: 'that is not JSON: "not json at all"' })
      .waitFor();
    await page.locator('#activity-list .activity-entry.ignored', { hasText: 'arrived before the order' }).waitFor();
    await page
      .locator('#activity-list .activity-entry.dropped', {
        hasText: 'live orders 113-0000000-0000004 are marked disconnected',
      })
      .waitFor();
    expect(await entries.count()).toBeGreaterThanOrEqual(4);
    await page.locator('#activity-close').click();
    await page.locator('#activity').waitFor({ state: 'hidden' });
    logged.splice(0);
  });

  it('should send each step to the page once, in messages that do not grow with the order', async (context) => {
    needsChromium(context);
    const { page } = await open();
    const frames: string[] = [];
    page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
    await page.reload();
    await page.locator('#connection.connected').waitFor();
    const grown = longRecording(150, '113-0000000-0000150', true);
    liveOrder(grown.input, grown.events);
    await select(page, '113-0000000-0000150');
    await page.locator('[data-testid="position"]', { hasText: 'Step 150 of 150' }).waitFor();
    await page.locator('#timeline [data-testid="step"][data-index="150"]:not(:has(.pending))').waitFor();

    const messages = frames.flatMap(
      (frame) =>
        JSON.parse(frame) as Array<{
          type: string;
          id?: string;
          order?: { id: string; steps: unknown[] };
          step?: { index: number };
          index?: number;
        }>,
    );
    const id = messages.find(
      (message) =>
        message.type === 'order' && (message.order as { orderId?: string }).orderId === '113-0000000-0000150',
    )!.order!.id;
    const mine = messages.filter((message) => (message.id ?? message.order?.id) === id);
    // The order arrives whole once (with its first step); then each step once, and a confirmation per step.
    expect(mine.filter((message) => message.type === 'order')).toHaveLength(1);
    const stepIndexes = mine.filter((message) => message.type === 'step').map((message) => message.step!.index);
    expect(stepIndexes).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(mine.filter((message) => message.type === 'confirm')).toHaveLength(151);
    // The context grows with every event id it remembers; the step messages do not.
    const sizes = mine.filter((message) => message.type === 'step').map((message) => JSON.stringify(message).length);
    expect(Math.max(...sizes.slice(-30))).toBeLessThan(1.5 * Math.max(...sizes.slice(0, 30)));
  });

  it('should reconnect to a restarted inspector and show each live order again with its current state', async (context) => {
    needsChromium(context);
    const own = await startInspector({ port: 0, log: () => {} });
    const port = own.port;
    const { page } = await open({ url: own.url });
    const live = { ...input, orderId: '113-0000000-0000005' };
    const { actor, connection } = liveOrder(live, events.slice(0, 2), own.socketUrl);
    await select(page, live.orderId);
    await page.locator('#current-state[data-state="unshipped"]').waitFor();

    await own.close();
    await page.locator('#connection.lost').waitFor();
    actor.send(events[2]!); // while the inspector is away
    const again = await startInspector({ port, log: () => {} });
    cleanups.push(() => again.close());
    await page.locator('#connection.connected').waitFor();
    await select(page, live.orderId);
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    expect(connection.reconnects).toBe(1);
    const order = again.orders().find((each) => each.orderId === live.orderId)!;
    expect(order.steps.map((step) => [step.kind, step.state])).toEqual([['joined', 'labelGenerated']]);
    await page.locator('#activity-toggle').click();
    await page
      .locator('#activity-list .activity-entry.dropped', { hasText: 'Lost the connection to the inspector server' })
      .waitFor();
  });
});
