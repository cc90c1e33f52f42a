import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { createOrderActor, type OrderEventInput } from '../../src/index.js';
import { connectInspector, startInspector, type Inspector } from '../../src/inspector/index.js';
import { TIMELINE_FRAME_BUDGET, TIMELINE_MAX_ROWS } from '../../src/inspector/client/render.js';
import { hasChromium, launchChromium } from '../support/chromium.js';
import { needsChromium, openInspectorPage, checkedPages } from '../support/inspector-page.js';
import { MINUTE, orderInput, placedAt } from '../support/orders.js';

/** 1,000 events that keep the order open, each with an id the order remembers (so its context grows). */
const burst = (count: number): OrderEventInput[] =>
  Array.from({ length: count }, (_, i): OrderEventInput => {
    const at = placedAt + 31 * MINUTE + i * MINUTE;
    const eventId = `evt-${String(i).padStart(6, '0')}`;
    if (i % 3 === 0) return { type: 'clock.tick', at, eventId };
    if (i % 3 === 1)
      return { type: 'buyer.requestCancellation', at, source: 'order-flag', orderItemIds: ['A'], eventId };
    return { type: 'buyer.cancel', at, eventId };
  });

// Records the gap between animation frames inside the page (a string: the page's policy runs no eval, and the
// test runner's helpers must not leak into it).
const RECORD_GAPS = `(() => {
  window.__gaps = [];
  let last = 0;
  const frame = (time) => { if (last) window.__gaps.push(time - last); last = time; requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
})()`;

/**
 * Runs `action` in the page and resolves with the milliseconds until `drawn` holds and the next frame is painted
 * (a string, as RECORD_GAPS: the time runs inside the page, from the click to the frame that shows its result).
 */
const untilDrawn = (action: string, drawn: string) => `(async () => {
  const start = performance.now();
  ${action};
  while (!(${drawn})) await new Promise((resolve) => requestAnimationFrame(resolve));
  await new Promise((resolve) => requestAnimationFrame(resolve));
  return Math.round(performance.now() - start);
})()`;
const click = (testId: string) => `document.querySelector('[data-testid="${testId}"]').click()`;
const shows = (position: string, lang: string) =>
  `document.getElementById('position')?.textContent === '${position}' && ` +
  `document.querySelector('#timeline [data-testid="step"][data-index="0"].current [data-testid="message"][lang="${lang}"]')`;

describe('the inspector page under a burst of 1,000 live events', () => {
  let inspector: Inspector;
  let browser: Browser | undefined;
  const { record, cleanups } = checkedPages();

  beforeAll(async () => {
    inspector = await startInspector({ port: 0, log: () => {} });
    if (hasChromium) browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await inspector.close();
  });

  it('catches up building a bounded number of timeline entries a frame, and jumps and switches language the same way', async (context) => {
    needsChromium(context);
    const { page } = await openInspectorPage(browser!, inspector.url, record);
    const connection = connectInspector(inspector.socketUrl);
    await expect.poll(() => connection.connected).toBe(true);
    const input = orderInput({ orderId: '113-0000000-0001000' });
    const actor = createOrderActor(input, { inspect: connection.inspect, clock: new SimulatedClock() });
    cleanups.push(() => {
      actor.stop();
      connection.stop();
    });
    await page.locator('[data-testid="order"]', { hasText: input.orderId }).click();
    await page.evaluate(RECORD_GAPS);
    for (const event of burst(1000)) actor.send(event);
    await page.waitForFunction(
      (orderId) => {
        const button = document.querySelector(`[data-testid="order"][data-order-id*="${orderId}"]`);
        return (
          button?.getAttribute('data-steps') === '1001' &&
          document.querySelectorAll('#timeline .pending').length === 0 &&
          document.getElementById('position')?.textContent === 'Step 1000 of 1000'
        );
      },
      input.orderId,
      { polling: 100 },
    );
    const bounded = () =>
      page.evaluate(() => {
        const timeline = document.getElementById('timeline')!;
        return {
          rows: timeline.querySelectorAll('[data-testid="step"]').length,
          maxBuilt: Number(timeline.dataset['maxBuilt']),
          current: timeline.querySelector('[data-testid="step"].current')?.getAttribute('data-index'),
        };
      });
    const gaps = async () => {
      const measured = (await page.evaluate('window.__gaps.splice(0)')) as number[];
      return { frames: measured.length, max: Math.round(Math.max(0, ...measured)) };
    };
    // The work per frame is bounded, however many steps arrive: the timeline shows a window of the newest entries.
    const caughtUp = await bounded();
    expect(caughtUp.rows).toBeLessThanOrEqual(TIMELINE_MAX_ROWS);
    expect(caughtUp.maxBuilt).toBeLessThanOrEqual(TIMELINE_FRAME_BUDGET);
    expect(caughtUp.current).toBe('1000');
    const measured = { burst: await gaps() };

    // Step 0: a window around it, built in one frame; timed in the page from the click until it is drawn.
    const jump = (await page.evaluate(untilDrawn(click('first'), shows('Step 0 of 1000', 'en')))) as number;
    expect((await bounded()).rows).toBeLessThanOrEqual(TIMELINE_MAX_ROWS);
    const home = await gaps();

    // Chinese and back: the window is redrawn, not the 1,001 entries.
    const toChinese = (await page.evaluate(untilDrawn(click('lang-zh'), shows('步骤 0 / 1000', 'zh-CN')))) as number;
    const toEnglish = (await page.evaluate(untilDrawn(click('lang-en'), shows('Step 0 of 1000', 'en')))) as number;
    const languages = await gaps();
    const after = await bounded();
    expect(after.rows).toBeLessThanOrEqual(TIMELINE_MAX_ROWS);
    expect(after.maxBuilt).toBeLessThanOrEqual(TIMELINE_FRAME_BUDGET);

    // The entries past the window come when asked for, a chunk at a time.
    const later = page.locator('#timeline-later');
    expect(await later.textContent()).toMatch(/^⋯ \d+ later steps$/);
    const before = (await bounded()).rows;
    await later.click();
    await expect.poll(async () => (await bounded()).rows).toBeGreaterThan(before);
    expect((await bounded()).rows).toBeLessThanOrEqual(TIMELINE_MAX_ROWS);
    // Measured, not asserted (a shared machine's frame times say little): docs/inspector.md reports them.
    console.log(
      `[measured] frame gaps: burst max ${measured.burst.max} ms over ${measured.burst.frames} frames; Home max ${home.max} ms; EN/中文 max ${languages.max} ms. ` +
        `Until drawn: step 0 ${jump} ms, 中文 ${toChinese} ms, EN ${toEnglish} ms (issue 24's goal: each under 200 ms)`,
    );
  });
});
