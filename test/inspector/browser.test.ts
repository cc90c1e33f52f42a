import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWebSocketInspector } from '@statelyai/inspect';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { applyEvent, createOrder, createOrderActor, type OrderEventInput } from '../../src/index.js';
import { startInspector, type Inspector } from '../../src/inspector/index.js';
import { chromiumHint as missing, hasChromium, launchChromium } from '../support/chromium.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The screenshot in docs/ changes only on request; every run leaves one in reports/ to look at.
const screenshotPath = process.env['UPDATE_SCREENSHOT'] ? join(root, 'docs', 'inspector.png') : join(root, 'reports', 'inspector.png');

const input = orderInput();
const events: OrderEventInput[] = [
  { type: 'clock.tick', at: placedAt + 30 * MINUTE },
  { type: 'buyer.requestCancellation', at: placedAt + 35 * MINUTE, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
  { type: 'seller.cancel', at: placedAt + 55 * MINUTE, reason: 'BuyerCanceled' },
];

/** The verdict this package gives the refused cancel, to compare the page with. */
function expectedRefusal() {
  let snapshot = createOrder(input).snapshot;
  for (const event of events.slice(0, -1)) snapshot = applyEvent(snapshot, event).snapshot;
  return applyEvent(snapshot, events.at(-1)!).verdict;
}

describe('inspector page in headless Chromium', () => {
  let inspector: Inspector;
  let browser: Browser | undefined;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];
  const logged: string[] = [];

  beforeAll(async () => {
    if (!hasChromium) {
      return;
    }
    inspector = await startInspector({ port: 0, log: (message) => logged.push(message), open: join(root, 'test/inspector/fixtures/buyer-asks-after-label.json') });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, deviceScaleFactor: 1 });
    // Conditions, not clocks: every wait below ends when its condition holds (vitest's timeout is the backstop).
    context.setDefaultTimeout(0);
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (new URL(url).hostname === '127.0.0.1') await route.continue();
      else await route.abort();
    });
    page = await context.newPage();
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await inspector?.close();
  });

  it('should show a live order in labelGenerated with its refused cancel, in English and Chinese', async (context) => {
    if (!hasChromium) {
      if (process.env['CI']) throw new Error(`${missing}; CI must run it.`);
      context.skip(missing);
    }
    await page.goto(inspector.url);
    await page.locator('#connection.connected').waitFor();

    const stately = createWebSocketInspector({ url: inspector.socketUrl });
    const actor = createOrderActor(input, { inspect: stately.inspect, clock: new SimulatedClock() });
    for (const event of events) actor.send(event);

    const order = page.locator('[data-testid="order"]', { hasText: input.orderId });
    await order.click();
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    await page.locator('#chart g.node#state-labelGenerated.active').waitFor();
    const active = await page.locator('#chart g.state.active').evaluateAll((nodes) => nodes.map((node) => node.id).sort());
    expect(active).toEqual(['state-labelGenerated', 'state-placed']);

    const refusal = expectedRefusal();
    expect(refusal.code).toBe('LABEL_GENERATED');
    const refused = page.locator('[data-testid="step"][data-code="LABEL_GENERATED"]');
    await refused.waitFor();
    expect(await refused.getAttribute('data-event')).toBe('seller.cancel');
    expect(await refused.getAttribute('data-accepted')).toBe('false');
    expect(await refused.locator('[data-testid="verdict"]').textContent()).toContain('LABEL_GENERATED');
    expect(await refused.locator('[data-testid="message"]').textContent()).toBe(refusal.message.en);

    await page.locator('[data-testid="lang-zh"]').click();
    await refused.locator('[data-testid="message"][lang="zh-CN"]').waitFor();
    expect(await refused.locator('[data-testid="message"]').textContent()).toBe(refusal.message['zh-CN']);
    await page.locator('[data-testid="lang-en"]').click();
    await refused.locator('[data-testid="message"][lang="en"]').waitFor();

    mkdirSync(dirname(screenshotPath), { recursive: true });
    await page.screenshot({ path: screenshotPath, fullPage: true });
    actor.stop();
    stately.stop();
    await page.locator(`[data-testid="order"]:has-text("${input.orderId}") .badge.disconnected`).waitFor();

    expect(pageErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(0);
    expect(requests.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
    expect(logged).toEqual([]);
  });

  it('should replay a recorded order step by step, forwards and backwards', async (context) => {
    if (!hasChromium) {
      if (process.env['CI']) throw new Error(`${missing}; CI must run it.`);
      context.skip(missing);
    }
    await page.locator('[data-testid="order"]', { hasText: '249-7654321-7654321' }).click();
    const state = page.locator('#current-state');
    await page.locator('#current-state[data-state="buyerCancellable"]').waitFor();
    expect(await page.locator('[data-testid="position"]').textContent()).toBe('Step 0 of 5');

    await page.locator('[data-testid="next"]').click();
    await page.locator('#current-state[data-state="unshipped"]').waitFor();
    await page.locator('#chart g.edge.taken').waitFor();
    expect(await page.locator('[data-testid="step"].current').getAttribute('data-code')).toBe('BUYER_WINDOW_CLOSED');

    await page.locator('[data-testid="last"]').click();
    await page.locator('#current-state[data-state="shipped"]').waitFor();
    await page.keyboard.press('ArrowLeft');
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    expect(await page.locator('[data-testid="step"].current').getAttribute('data-code')).toBe('LABEL_GENERATED');
    await page.locator('[data-testid="previous"]').click();
    await page.locator('#current-state[data-state="labelGenerated"]').waitFor();
    expect(await page.locator('[data-testid="position"]').textContent()).toBe('Step 3 of 5');
    await page.locator('[data-testid="first"]').click();
    expect(await state.getAttribute('data-state')).toBe('buyerCancellable');
    expect(pageErrors).toEqual([]);
  });
});
