import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEvent,
  createOrder,
  explain,
  type Message,
  type OrderEventInput,
  type OrderSnapshot,
} from '../../src/index.js';
import { startInspector, type Inspector } from '../../src/inspector/index.js';
import { launchChromium } from '../support/chromium.js';
import { example, freePort, missing, needsBrowser, root, vite } from '../support/seller-console.js';

if (missing && !process.env['CI']) console.warn(`[skipped] ${missing}`);
// Every run leaves its screenshots in reports/ to look at; the README's picture changes only on request.
const shots = process.env['UPDATE_SCREENSHOT'] ? join(example, 'docs') : join(root, 'reports', 'seller-console');

/** The demo orders the page stores on first visit, relative to the page's clock (examples/seller-console/src/store.ts). */
const WINDOW_OPEN = '113-0000001-0000001'; // placed 10 min ago: 20 minutes of buyer window left
const UNSHIPPED = '113-0000002-0000002'; // placed 45 min ago
const REQUESTED = '113-0000003-0000003'; // official buyer request for item A
const AUTO_CANCEL_SOON = '113-0000004-0000004'; // auto-cancels in 50 minutes
const T0 = Date.parse('2026-11-26T10:00:00+08:00');

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** What this package says about `event` for a demo-like order placed `minutesAgo` before T0 after `events`: the page must show the same. */
function machineSays(minutesAgo: number, events: OrderEventInput[], event: OrderEventInput): Message {
  const placedAt = T0 - minutesAgo * MINUTE;
  let snapshot: OrderSnapshot = createOrder({
    orderId: 'expected',
    placedAt,
    latestShipDate: placedAt + 2 * DAY,
    items: [
      { orderItemId: 'A', sku: 'MUG-RED', quantity: 2 },
      { orderItemId: 'B', sku: 'MUG-BLUE', quantity: 1 },
    ],
  }).snapshot;
  for (const earlier of events) snapshot = applyEvent(snapshot, earlier).snapshot;
  return explain(snapshot, event).message;
}

/** Polls until the preview server answers (bounded: 300 tries, 100 ms apart). */
async function waitForServer(url: string, server: ChildProcess, output: () => string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited with ${server.exitCode}: ${output()}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`vite preview did not answer at ${url}: ${output()}`);
}

const card = (page: Page, orderId: string): Locator => page.locator(`article[data-order-id="${orderId}"]`);
const button = (order: Locator, name: string): Locator => order.getByRole('button', { name, exact: true });
/** The refusal the page shows for a disabled button: its wrapper's tooltip text. */
const tooltip = (order: Locator, name: string) => button(order, name).locator('xpath=..').getAttribute('data-tip');

describe('the seller console example in headless Chromium', () => {
  let browser: Browser | undefined;
  let server: ChildProcess | undefined;
  let outDir: string | undefined;
  let url = '';
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (missing) return;
    outDir = mkdtempSync(join(tmpdir(), 'seller-console-'));
    // The example's own build: it typechecks against the built package, then bundles with Vite.
    execFileSync(join(example, 'node_modules/.bin/tsc'), ['--noEmit', '-p', '.'], { cwd: example, stdio: 'pipe' });
    execFileSync(vite, ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: example,
      stdio: 'pipe',
    });
    const port = await freePort();
    let output = '';
    server = spawn(
      vite,
      ['preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      { cwd: example, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout!.on('data', (chunk) => (output += chunk));
    server.stderr!.on('data', (chunk) => (output += chunk));
    url = `http://127.0.0.1:${port}/`;
    await waitForServer(url, server, () => output);
    browser = await launchChromium();
    mkdirSync(shots, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    server?.kill();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** A fresh browser context (empty localStorage) whose page clock starts at T0 and can be moved on. */
  async function openConsole(query = ''): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser!.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: 1,
      locale: 'en-US',
      timezoneId: 'Asia/Shanghai',
    });
    context.setDefaultTimeout(0); // every wait ends when its condition holds; vitest's timeout is the backstop
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      // The page probes the inspector at start; when it is not running, Chromium logs the refused fetch.
      if (message.type() === 'error' && !message.location().url.endsWith('/api/orders'))
        pageErrors.push(`${message.text()} (${message.location().url})`);
    });
    await page.clock.install({ time: T0 });
    await page.goto(url + query);
    await card(page, WINDOW_OPEN).waitFor();
    return { context, page };
  }

  it("should buy a label, then show the refused cancel with the machine's reason in English and Chinese, and keep it after a reload", async (testContext) => {
    needsBrowser(testContext);
    const { context, page } = await openConsole();
    const order = card(page, UNSHIPPED);
    await expect.poll(() => order.getAttribute('data-status')).toBe('unshipped');
    expect(await button(order, 'Cancel order').isEnabled()).toBe(true);
    // Every card's order id is drawn on one line, the long state badge of a pending order included.
    const idLines = await page.locator('.order header h2').evaluateAll((titles) =>
      titles.map((title) => {
        const range = document.createRange();
        range.selectNodeContents(title);
        return [title.textContent, range.getClientRects().length];
      }),
    );
    expect(idLines.length).toBeGreaterThanOrEqual(4);
    for (const [id, lines] of idLines) expect(lines, String(id)).toBe(1);

    await button(order, 'Buy shipping label').click();
    await expect.poll(() => order.getAttribute('data-status')).toBe('label-generated');
    expect(await order.getByTestId('status').textContent()).toBe('label-generated');
    const label: OrderEventInput = { type: 'seller.generateLabel', at: T0 };
    expect(await order.getByRole('status').textContent()).toBe(`Buy shipping label: ${machineSays(45, [], label).en}`);
    const refusal = machineSays(45, [label], { type: 'seller.cancel', at: T0 + MINUTE, reason: 'NoInventory' });
    expect(refusal.en).toMatch(/label/i);

    expect(await button(order, 'Cancel order').isDisabled()).toBe(true);
    expect(await tooltip(order, 'Cancel order')).toBe(refusal.en);
    expect(await button(order, 'Cancel order').getAttribute('title')).toBe(await tooltip(order, 'Cancel order'));
    // Clicking the disabled button does nothing: the order stays label-generated.
    await button(order, 'Cancel order').click({ force: true });
    expect(await order.getAttribute('data-status')).toBe('label-generated');
    await button(order, 'Cancel order').hover({ force: true });
    // The tooltip sits above the seller's row: it never covers the buyer's buttons under it.
    const covers = await button(order, 'Cancel order')
      .locator('xpath=..')
      .evaluate((wrapper) => {
        const row = wrapper.closest('.actions')!;
        const tip = getComputedStyle(wrapper, '::after');
        const top = row.getBoundingClientRect().top + parseFloat(tip.top);
        const bottom = top + parseFloat(tip.height);
        const buyer = row.nextElementSibling!.getBoundingClientRect();
        return { shown: tip.content !== 'none', overlaps: top < buyer.bottom && bottom > buyer.top };
      });
    expect(covers).toEqual({ shown: true, overlaps: false });
    await page.screenshot({ path: join(shots, 'refused-cancel.png') });

    await page.getByRole('button', { name: '中文' }).click();
    expect(await order.getByTestId('status').textContent()).toBe('【已生成货件标签】');
    expect(await tooltip(order, '取消订单')).toBe(refusal['zh-CN']);
    await button(order, '取消订单').hover({ force: true });
    await page.screenshot({ path: join(shots, 'refused-cancel-zh.png') });

    const stored = await page.evaluate((id) => localStorage.getItem(`seller-console/order/${id}`), UNSHIPPED);
    expect(JSON.parse(stored!)).toMatchObject({ format: 'order-lifecycle/snapshot', state: 'labelGenerated' });

    await page.reload();
    await card(page, UNSHIPPED).waitFor();
    expect(await card(page, UNSHIPPED).getAttribute('data-status')).toBe('label-generated');
    expect(await card(page, UNSHIPPED).getByTestId('status').textContent()).toBe('【已生成货件标签】');
    expect(await tooltip(card(page, UNSHIPPED), '取消订单')).toBe(refusal['zh-CN']);
    await context.close();
  });

  it('should close the buyer window and auto-cancel while the page is open, on a simulated clock', async (testContext) => {
    needsBrowser(testContext);
    const { context, page } = await openConsole();
    const order = card(page, WINDOW_OPEN);
    expect(await order.getAttribute('data-status')).toBe('buyer-cancellable');
    // Dates and countdowns come from the package's one formatter (the inspector writes the same). The page's clock
    // starts at T0 and runs, so on a loaded machine the demo orders are placed a few seconds after T0.
    await expect
      .poll(() => order.getByTestId('buyer-window').textContent())
      .toMatch(/^2026-11-26 10:20:0\d GMT\+8 · (20 min|19 min \d+ sec) left$/);
    expect(await button(order, 'Buyer cancels').isEnabled()).toBe(true);
    expect(await tooltip(order, 'Buy shipping label')).toBe(
      machineSays(10, [], { type: 'seller.generateLabel', at: T0 }).en,
    );
    const windowClosed = machineSays(10, [], { type: 'buyer.cancel', at: T0 + 21 * MINUTE }).en;
    await page.screenshot({ path: join(shots, 'console.png') });

    // Twenty minutes pass with the page open: the actor wakes at buyerCancelUntil and moves on by itself.
    await page.clock.fastForward('20:01');
    await expect.poll(() => order.getAttribute('data-status')).toBe('unshipped');
    expect(await button(order, 'Buyer cancels').isDisabled()).toBe(true);
    expect(await tooltip(order, 'Buyer cancels')).toBe(windowClosed);
    expect(await button(order, 'Buy shipping label').isEnabled()).toBe(true);
    expect(await order.getByTestId('buyer-window').count()).toBe(0);
    const stored = await page.evaluate(
      (id) => JSON.parse(localStorage.getItem(`seller-console/order/${id}`)!).state,
      WINDOW_OPEN,
    );
    expect(stored).toBe('unshipped');

    // Thirty more: the teapot was never shipped, so Amazon auto-cancels it (latest ship date + 7 days).
    const late = card(page, AUTO_CANCEL_SOON);
    expect(await late.getAttribute('data-status')).toBe('unshipped');
    await page.clock.fastForward('30:00');
    await expect.poll(() => late.getAttribute('data-status')).toBe('auto-canceled');
    expect(await late.getByRole('list', { name: 'Cancellations' }).textContent()).toMatch(
      /Amazon \(automatic\) · not shipped in time · A×1 · counts against Cancellation Rate/,
    );
    const afterAutoCancel = machineSays(10, [{ type: 'clock.tick', at: T0 + 10 * DAY }], {
      type: 'seller.confirmShipment',
      at: T0 + 10 * DAY,
    }).en;
    expect(await tooltip(late, 'Confirm shipment')).toBe(afterAutoCancel);
    await context.close();
  });

  it('should restore an order whose buyer window closed while the page was away, and move it on at once', async (testContext) => {
    needsBrowser(testContext);
    const { context, page } = await openConsole();
    expect(await card(page, WINDOW_OPEN).getAttribute('data-status')).toBe('buyer-cancellable');
    await page.goto('about:blank');
    await page.clock.setSystemTime(T0 + 25 * 60_000);
    await page.goto(url);
    const order = card(page, WINDOW_OPEN);
    await order.waitFor();
    await expect.poll(() => order.getAttribute('data-status')).toBe('unshipped');
    expect(await tooltip(order, 'Buyer cancels')).toBe(
      machineSays(10, [], { type: 'buyer.cancel', at: T0 + 25 * MINUTE }).en,
    );
    // The stored snapshot follows the actor's clock.tick.
    const stored = await page.evaluate(
      (id) => JSON.parse(localStorage.getItem(`seller-console/order/${id}`)!).state,
      WINDOW_OPEN,
    );
    expect(stored).toBe('unshipped');
    await context.close();
  });

  it('should show the official request with its advice and cancel by item without counting against the rate', async (testContext) => {
    needsBrowser(testContext);
    const { context, page } = await openConsole();
    const order = card(page, REQUESTED);
    const banner = order.getByTestId('request-banner');
    expect(await banner.textContent()).toContain('The buyer requested cancellation of A');
    const request: OrderEventInput = {
      type: 'buyer.requestCancellation',
      at: T0,
      source: 'order-flag',
      orderItemIds: ['A'],
    };
    // Advice on what to do, not the machine's verdict on the request arriving again ("the same request…").
    const repeated = machineSays(120, [{ ...request, at: T0 - 60 * MINUTE }], request).en;
    expect(await banner.textContent()).not.toContain(repeated);
    expect(await order.getByTestId('request-advice').textContent()).toBe(
      'Cancel the requested items with the reason Buyer Canceled: a cancellation the buyer officially requested does not count against your Cancellation Rate.',
    );

    // More than remains of item B: the machine refuses, so the button is disabled with its reason.
    await order.getByLabel('to cancel B').fill('5');
    const tooMany = machineSays(120, [], {
      type: 'seller.cancel',
      at: T0,
      reason: 'NoInventory',
      items: [{ orderItemId: 'B', quantity: 5 }],
    });
    expect(await tooltip(order, 'Cancel selected items')).toBe(tooMany.en);

    await button(order, 'Cancel requested items (Buyer Canceled)').click();
    await expect
      .poll(() => order.getByRole('list', { name: 'Cancellations' }).textContent())
      .toMatch(/seller · Buyer Canceled · A×2 · does not count/);
    expect(await banner.count()).toBe(0);
    expect(await order.getAttribute('data-status')).toBe('unshipped');

    await order.getByLabel('to cancel B').fill('1');
    await order.getByRole('combobox').selectOption('NoInventory');
    await button(order, 'Cancel selected items').click();
    await expect.poll(() => order.getAttribute('data-status')).toBe('canceled');
    expect(await order.getByRole('list', { name: 'Cancellations' }).textContent()).toMatch(
      /seller · No Inventory · B×1 · counts against Cancellation Rate/,
    );
    // The reasons are named, not coded; an ended card says so, and its inputs no longer take a value.
    expect(await order.getByRole('combobox').locator('option[value="NoInventory"]').textContent()).toBe('No Inventory');
    expect(await order.getByTestId('ended').textContent()).toBe(
      'This order has ended (canceled): nothing on it can change any more.',
    );
    expect(await order.getByRole('status').count()).toBe(1);
    expect(await order.getByLabel('to cancel B').isDisabled()).toBe(true);
    expect(await order.getByRole('combobox').isDisabled()).toBe(true);
    await context.close();
  });

  it('should link each order to the inspector when it is running, and stream the order to it', async (testContext) => {
    needsBrowser(testContext);
    let inspector: Inspector | undefined;
    try {
      inspector = await startInspector({ port: 0, log: () => {} });
      const { context, page } = await openConsole(
        `?inspector=${encodeURIComponent(`http://127.0.0.1:${inspector.port}`)}`,
      );
      const link = card(page, UNSHIPPED).getByRole('link', { name: 'Open in inspector' });
      await link.waitFor();
      expect(await link.getAttribute('href')).toBe(`http://127.0.0.1:${inspector.port}/#order=${UNSHIPPED}`);
      await button(card(page, UNSHIPPED), 'Buy shipping label').click();
      await expect
        .poll(async () => {
          const orders = (await (await fetch(`${inspector!.url}api/orders`)).json()) as Array<{
            orderId: string;
            state?: string;
            status?: string;
          }>;
          return orders.filter((o) => o.orderId === UNSHIPPED).length;
        })
        .toBeGreaterThan(0);
      // Following the link opens the inspector with this order selected, not the first one it lists.
      const [inspectorPage] = await Promise.all([context.waitForEvent('page'), link.click()]);
      inspectorPage.on('pageerror', (error) => pageErrors.push(`inspector: ${error.message}`));
      await inspectorPage.locator('#connection.connected').waitFor();
      await inspectorPage.locator('[data-testid="order"]', { hasText: WINDOW_OPEN }).waitFor();
      expect(await inspectorPage.locator('[data-testid="order"] .order-id').first().textContent()).not.toBe(UNSHIPPED);
      await inspectorPage.locator('.order.selected', { hasText: UNSHIPPED }).waitFor();
      expect(await inspectorPage.locator('.order.selected').count()).toBe(1);
      expect(await inspectorPage.locator('#current-order').textContent()).toBe(`Order ${UNSHIPPED}`);
      await inspectorPage.locator('#current-state[data-state="labelGenerated"]').waitFor();
      await context.close();

      const closedPort = await freePort();
      const without = await openConsole(`?inspector=${encodeURIComponent(`http://127.0.0.1:${closedPort}`)}`);
      await expect.poll(() => card(without.page, UNSHIPPED).getByText('Inspector not running').count()).toBe(1);
      expect(await card(without.page, UNSHIPPED).getByRole('link').count()).toBe(0);
      await without.context.close();
    } finally {
      await inspector?.close();
    }
  });

  it('should log no page errors', (testContext) => {
    needsBrowser(testContext);
    expect(pageErrors).toEqual([]);
  });
});
