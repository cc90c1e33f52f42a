import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterEach, expect, type TestContext } from 'vitest';
import { openStoredOrders, startInspector, type Inspector } from '../../src/inspector/index.js';
import { createOrderService, type OrderService } from '../../src/service/index.js';
import { SqliteStore } from '../../src/store/index.js';
import { chromiumHint, hasChromium } from './chromium.js';

/** Skips outside CI when Chromium is missing; in CI (`CI` set) the test fails instead. */
export function needsChromium(context: TestContext): void {
  if (hasChromium) return;
  if (process.env['CI']) throw new Error(`${chromiumHint}; CI must run it.`);
  context.skip(chromiumHint);
}

/** What a page did that a test checks every time: its errors and every address it asked for. */
export interface PageRecord {
  errors: string[];
  requests: string[];
}

/**
 * The page record and the cleanups of a browser test file. After each test the cleanups run, last first, and the
 * page must have had no error and asked for nothing beyond 127.0.0.1.
 */
export function checkedPages(): { record: PageRecord; cleanups: Array<() => unknown> } {
  const record: PageRecord = { errors: [], requests: [] };
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    expect(record.errors).toEqual([]);
    expect(record.requests.filter((url) => new URL(url).hostname !== '127.0.0.1')).toEqual([]);
  });
  return { record, cleanups };
}

/**
 * A fresh page of the inspector at `url` (its own browser context, Asia/Shanghai, 1280x800 unless told), recording
 * every request and error and aborting any request that is not to 127.0.0.1; waits until its socket is connected.
 */
export async function openInspectorPage(
  browser: Browser,
  url: string,
  record: PageRecord,
  options: { width?: number; height?: number; timezoneId?: string } = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: { width: options.width ?? 1280, height: options.height ?? 800 },
    deviceScaleFactor: 1,
    timezoneId: options.timezoneId ?? 'Asia/Shanghai',
    locale: 'en-US',
  });
  context.setDefaultTimeout(0);
  await context.route('**/*', async (route) => {
    const address = route.request().url();
    record.requests.push(address);
    if (new URL(address).hostname === '127.0.0.1') await route.continue();
    else await route.abort();
  });
  const page = await context.newPage();
  page.on('pageerror', (error) => record.errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/WebSocket connection to .* failed/.test(message.text()))
      record.errors.push(message.text());
  });
  await page.goto(url);
  await page.locator('#connection.connected').waitFor();
  return { page, context };
}

/** Selects the order with this order id in the page's list. */
export async function selectOrder(page: Page, orderId: string): Promise<void> {
  await page.locator('[data-testid="order"]', { hasText: orderId }).first().click();
  await page.locator('#current-order', { hasText: orderId }).waitFor();
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Saves a screenshot to reports/ every run, and to docs/ with UPDATE_SCREENSHOT=1, reduced to 256 colours by
 * pngquant when it is installed (`apt-get install -y pngquant`).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(join(root, 'reports'), { recursive: true });
  await page.screenshot({ path: join(root, 'reports', `${name}.png`) });
  if (!process.env['UPDATE_SCREENSHOT']) return;
  const file = join(root, 'docs', `${name}.png`);
  await page.screenshot({ path: file });
  try {
    execFileSync('pngquant', ['--quality', '60-85', '--force', '--ext', '.png', file]);
  } catch {
    console.warn(`${file} is kept at full size: install pngquant to reduce it.`);
  }
}

/**
 * An inspector of its own on a fresh SQLite store (`inspect --db`) that `fill` has written orders to through the
 * order service (its clock at `now`); `cleanups` closes the inspector and the store and removes the file.
 */
export async function inspectorOnStore(
  cleanups: Array<() => unknown>,
  now: number,
  fill: (service: OrderService) => Promise<void>,
): Promise<Inspector> {
  const dir = mkdtempSync(join(tmpdir(), 'ol-inspect-store-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const filename = join(dir, 'orders.db');
  const service = await createOrderService({ store: new SqliteStore({ filename }), now: () => now });
  try {
    await fill(service);
  } finally {
    await service.close();
  }
  const stored = await openStoredOrders({ db: filename });
  const inspector = await startInspector({ port: 0, stored, log: () => {} });
  cleanups.push(async () => {
    await inspector.close();
    await stored.close();
  });
  return inspector;
}
