import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEventInput } from '../../src/index.js';
import { startInspector, type Inspector } from '../../src/inspector/index.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import {
  checkedPages,
  inspectorOnStore,
  needsChromium,
  openInspectorPage,
  screenshot,
  selectOrder,
} from '../support/inspector-page.js';
import { DAY, MINUTE, orderInput, placedAt } from '../support/orders.js';

const orderId = '302-0000000-0000001';
const events: OrderEventInput[] = [
  { type: 'buyer.requestCancellation', at: placedAt + 5_000, source: 'order-flag', orderItemIds: ['A'] },
  { type: 'clock.tick', at: placedAt + 8_000 },
  { type: 'seller.generateLabel', at: placedAt + 40 * MINUTE },
  { type: 'buyer.cancel', at: placedAt + 45 * MINUTE },
];
/** An ISO-8601 instant as the server's messages carry it: the page must not show one. */
const ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** English units or words of time inside Chinese text. */
const ENGLISH_TIME = /\d\s*(?:d|h|min|s|sec|hr|days?|ms)\b|after purchase|\bago\b|\bin \d/;

describe("the inspector page's words and times", () => {
  let inspector: Inspector;
  let browser: Browser | undefined;
  const { record, cleanups } = checkedPages();

  beforeAll(async () => {
    inspector = await startInspector({ port: 0, log: () => {} });
    inspector.loadRecording({ input: orderInput({ orderId }), events }, 'seconds.json');
    if (hasChromium) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await inspector.close();
  });

  const timeline = (page: import('playwright-core').Page) =>
    page.locator('#timeline [data-testid="step"]').evaluateAll((steps) =>
      steps.map((step) => ({
        at: step.querySelector('.step-at')!.textContent!,
        message: step.querySelector('[data-testid="message"]')!.textContent!,
      })),
    );

  it('says how long after purchase each step came, to the second, with dates instead of ISO instants in messages', async (context) => {
    needsChromium(context);
    const { page, context: browserContext } = await openInspectorPage(browser!, inspector.url, record);
    cleanups.push(() => browserContext.close());
    await page.clock.setFixedTime(placedAt + DAY);
    await selectOrder(page, orderId);
    await page.locator('#timeline [data-testid="step"]').nth(4).waitFor();
    const steps = await timeline(page);
    expect(steps.map((step) => step.at)).toEqual([
      '2026-11-26 10:00:00 GMT+8 · at purchase',
      '2026-11-26 10:00:05 GMT+8 · 5 sec after purchase',
      '2026-11-26 10:00:08 GMT+8 · 8 sec after purchase',
      '2026-11-26 10:40:00 GMT+8 · 40 min after purchase',
      '2026-11-26 10:45:00 GMT+8 · 45 min after purchase',
    ]);
    for (const step of steps) expect(step.message).not.toMatch(ISO);
    // The order's placement names the end of the buyer's window as the page writes dates.
    expect(steps[0]!.message).toContain('until 2026-11-26 10:30:00 GMT+8');
    // Each date in a message is drawn on one line, however narrow the timeline ('2026-11-' and '26 10:30:00' apart
    // read as two things).
    for (const width of [1280, 800, 560]) {
      await page.setViewportSize({ width, height: 800 });
      const lines = await page
        .locator('#timeline [data-testid="message"] .date')
        .evaluateAll((dates) => dates.map((date) => [date.textContent, date.getClientRects().length]));
      expect(lines.length, `${width} px`).toBeGreaterThanOrEqual(2);
      for (const [date, boxes] of lines) expect(boxes, `${date} at ${width} px`).toBe(1);
    }
  });

  it('writes Chinese times in Chinese units and word order, in the timeline and the deadlines', async (context) => {
    needsChromium(context);
    const { page, context: browserContext } = await openInspectorPage(browser!, inspector.url, record);
    cleanups.push(() => browserContext.close());
    await page.clock.setFixedTime(placedAt + DAY + 23 * 60 * MINUTE);
    await page.locator('[data-testid="lang-zh"]').click();
    await selectOrder(page, orderId);
    await page.locator('#timeline [data-testid="step"]').nth(4).waitFor();
    await page.locator('[data-testid="next"]').click();
    const steps = await timeline(page);
    expect(steps.map((step) => step.at.split(' · ')[1])).toEqual([
      '下单时',
      '下单后 5秒',
      '下单后 8秒',
      '下单后 40分钟',
      '下单后 45分钟',
    ]);
    for (const step of steps) {
      expect(step.at).not.toMatch(ENGLISH_TIME);
      expect(step.message).not.toMatch(ISO);
    }
    const deadlines = await page.locator('#deadlines').textContent();
    expect(deadlines).not.toMatch(ENGLISH_TIME);
    // The page's clock is 2026-11-28 09:00 GMT+8: the latest ship date (23:59:59) is 14 h 59 min 59 s away.
    expect(await page.locator('#deadlines [data-deadline="latestShipDate"] .countdown').textContent()).toBe(
      '还有 14小时59分钟59秒',
    );
    expect(await page.locator('#deadlines [data-deadline="buyerCancelUntil"] .countdown').textContent()).toBe(
      '1天22小时30分钟前',
    );
    await screenshot(page, 'inspector-zh');
  });

  it('tells a --db page with nothing selected to pick a stored order', async (context) => {
    needsChromium(context);
    const own = await inspectorOnStore(cleanups, placedAt, async (service) => {
      await service.place(orderInput({ orderId: '303-0000000-0000001' }));
    });
    const { page, context: browserContext } = await openInspectorPage(browser!, own.url, record);
    cleanups.push(() => browserContext.close());
    const landing = page.getByTestId('landing');
    await landing.waitFor();
    expect(await landing.textContent()).toBe(
      'Choose an order under “Stored orders” on the left to open its history; live orders from apps appear under the filters as they connect.',
    );
    await page.locator('[data-testid="lang-zh"]').click();
    await landing.filter({ hasText: '已存储的订单' }).waitFor();
    await page.locator('[data-testid="stored-order"][data-stored-id="303-0000000-0000001"]').click();
    await page.locator('#current-order', { hasText: '303-0000000-0000001' }).waitFor();
    await landing.waitFor({ state: 'hidden' });
  });
});
