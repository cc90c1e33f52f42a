import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderEventInput } from '../../src/index.js';
import { startInspector, type Inspector } from '../../src/inspector/index.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { needsChromium, openInspectorPage, screenshot, selectOrder, checkedPages } from '../support/inspector-page.js';
import { DAY, MINUTE, orderInput, placedAt } from '../support/orders.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = JSON.parse(readFileSync(join(root, 'test/inspector/fixtures/buyer-asks-after-label.json'), 'utf8'));

const recording = (orderId: string, events: OrderEventInput[]) => ({ input: orderInput({ orderId }), events });

/** The on-screen boxes the chart tests compare. */
function chartGeometry(page: Page, state: string) {
  return page.evaluate((key) => {
    const box = (element: Element | null) => {
      if (!element) return null;
      const rect = element.getBoundingClientRect();
      return { left: rect.left, top: rect.top, right: rect.right, bottom: rect.bottom };
    };
    const holder = document.getElementById('chart')!;
    const pane = holder.getBoundingClientRect();
    // The part of the pane that shows the chart: without its scroll bars.
    const view = {
      left: pane.left,
      top: pane.top,
      right: pane.left + holder.clientWidth,
      bottom: pane.top + holder.clientHeight,
    };
    const texts = Array.from(holder.querySelectorAll('svg text')).map(
      (text) => parseFloat(text.getAttribute('font-size') ?? '0') * (text as SVGGraphicsElement).getScreenCTM()!.a,
    );
    return {
      view,
      svg: box(holder.querySelector('svg')),
      active: box(document.getElementById(`state-${key}`)),
      tools: box(document.querySelector('.chart-tools')),
      states: Array.from(holder.querySelectorAll('g.node.state')).map((node) => ({ id: node.id, ...box(node)! })),
      smallestText: Math.min(...texts),
      zoom: document.getElementById('zoom-level')!.textContent,
    };
  }, state);
}

type Box = { left: number; top: number; right: number; bottom: number };
const within = (inner: Box, outer: Box) =>
  inner.left >= outer.left - 0.5 &&
  inner.top >= outer.top - 0.5 &&
  inner.right <= outer.right + 0.5 &&
  inner.bottom <= outer.bottom + 0.5;
const overlap = (a: Box, b: Box) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

describe('the inspector chart in headless Chromium', () => {
  let inspector: Inspector;
  let browser: Browser | undefined;
  const { record, cleanups } = checkedPages();

  beforeAll(async () => {
    inspector = await startInspector({ port: 0, log: () => {} });
    inspector.loadRecording(fixture, 'buyer-asks-after-label.json');
    // Cancelled whole by the seller at minute 40 (the buyer window has closed: unshipped first).
    inspector.loadRecording(
      recording('301-0000000-0000001', [
        { type: 'clock.tick', at: placedAt + 31 * MINUTE },
        { type: 'seller.cancel', at: placedAt + 40 * MINUTE, reason: 'NoInventory' },
      ]),
      'seller-cancel.json',
    );
    // Never shipped: auto-cancelled 7 days after its latest ship date.
    inspector.loadRecording(
      recording('301-0000000-0000002', [{ type: 'clock.tick', at: placedAt + 10 * DAY }]),
      'auto-cancel.json',
    );
    if (hasChromium) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await inspector.close();
  });

  it('shows the whole chart at 1280x800 with labels of 12 px or more, the active state clear of the zoom bar', async (context) => {
    needsChromium(context);
    const { page, context: browserContext } = await openInspectorPage(browser!, inspector.url, record);
    cleanups.push(() => browserContext.close());
    await selectOrder(page, '249-7654321-7654321');
    await page.locator('#chart svg').waitFor();
    await page.locator('[data-testid="next"]').click();
    await page.locator('[data-testid="next"]').click();
    await page.locator('#current-state[data-state="unshipped"]').waitFor();
    const shown = await chartGeometry(page, 'unshipped');
    expect(shown.svg && within(shown.svg, shown.view), JSON.stringify(shown)).toBe(true);
    for (const state of shown.states) expect(within(state, shown.view), state.id).toBe(true);
    expect(shown.smallestText).toBeGreaterThanOrEqual(12);
    expect(within(shown.active!, shown.view)).toBe(true);
    expect(overlap(shown.active!, shown.tools!)).toBe(false);
    await screenshot(page, 'inspector-chart-1280');
  });

  it('brings the active state into view when another order is selected, even zoomed in', async (context) => {
    needsChromium(context);
    const { page, context: browserContext } = await openInspectorPage(browser!, inspector.url, record);
    cleanups.push(() => browserContext.close());
    await selectOrder(page, '249-7654321-7654321');
    await page.locator('#chart svg').waitFor();
    for (let i = 0; i < 4; i += 1) await page.locator('#zoom-in').click();
    const inView = async (state: string) => {
      const shown = await chartGeometry(page, state);
      return within(shown.active!, shown.view) && !overlap(shown.active!, shown.tools!);
    };
    // Panned to the far right: buyer-cancellable, on the left, is off screen.
    await page.locator('#chart').evaluate((holder) => holder.scrollTo(holder.scrollWidth, holder.scrollHeight));
    expect(await inView('buyerCancellable')).toBe(false);
    // A recording opens at its first step: selecting it brings buyer-cancellable into view.
    await selectOrder(page, '301-0000000-0000002');
    await page.locator('#current-state[data-state="buyerCancellable"]').waitFor();
    await expect.poll(() => inView('buyerCancellable')).toBe(true);
    // Its last step, auto-canceled, is at the far right of the chart: brought into view in turn.
    await page.locator('[data-testid="last"]').click();
    await page.locator('#current-state[data-state="autoCanceled"]').waitFor();
    await expect.poll(() => inView('autoCanceled')).toBe(true);
  });

  it("highlights a whole-order seller cancel's transitions: its loop and the always edge out of placed", async (context) => {
    needsChromium(context);
    const { page, context: browserContext } = await openInspectorPage(browser!, inspector.url, record);
    cleanups.push(() => browserContext.close());
    await selectOrder(page, '301-0000000-0000001');
    await page.locator('[data-testid="last"]').click();
    await page.locator('#current-state[data-state="canceled"]').waitFor();
    await page.locator('[id="edge-placed-canceled-always-0"].taken').waitFor();
    const taken = await page.evaluate(() =>
      Array.from(document.querySelectorAll('#chart g.edge.taken')).map((edge) => ({
        id: edge.id,
        stroke: getComputedStyle(edge.querySelector('path')!).stroke,
        text: edge.textContent,
      })),
    );
    expect(taken.map((edge) => edge.id).sort()).toEqual([
      'edge-placed-canceled-always-0',
      'edge-unshipped-unshipped-buyer.cancel-0',
    ]);
    expect(taken.find((edge) => edge.id.startsWith('edge-unshipped'))!.text).toContain('seller.cancel');
    for (const edge of taken) expect(edge.stroke).toBe('rgb(29, 79, 176)');
  });

  it('says the deadlines of an ended order no longer apply, instead of "open"', async (context) => {
    needsChromium(context);
    const { page, context: browserContext } = await openInspectorPage(browser!, inspector.url, record);
    cleanups.push(() => browserContext.close());
    await selectOrder(page, '249-7654321-7654321');
    // Step 1: open, with a countdown.
    await page.locator('[data-testid="next"]').click();
    const autoCancel = page.locator('#deadlines [data-deadline="autoCancelAt"]');
    await autoCancel.locator('.at-step', { hasText: 'at this step: open' }).waitFor();
    expect(await autoCancel.locator('.countdown').count()).toBe(1);
    // The last step: shipped.
    await page.locator('[data-testid="last"]').click();
    await page.locator('#current-state[data-state="shipped"]').waitFor();
    await page.locator('#deadlines [data-ended="true"]').first().waitFor();
    const rows = await page.locator('#deadlines tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        ended: tr.getAttribute('data-ended'),
        text: tr.textContent,
        countdowns: tr.querySelectorAll('.countdown').length,
      })),
    );
    expect(rows.length).toBe(3);
    for (const row of rows) {
      expect(row).toMatchObject({ ended: 'true', countdowns: 0 });
      expect(row.text).toContain('no longer applies: the order has ended');
      expect(row.text).not.toContain('open');
    }
    await page.locator('[data-testid="lang-zh"]').click();
    await page.locator('#deadlines .at-step', { hasText: '不再适用：订单已结束' }).first().waitFor();
  });
});
