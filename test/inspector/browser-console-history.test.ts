/*
 * Issue 24 with the real seller console (examples/seller-console, built with its own Vite and served by `vite
 * preview`): its actors restart on every visit, on "New order" and "Reset demo", and reconnect to the inspector on
 * every reload; the inspector still lists each order once, and "Open in inspector" opens it with its whole history.
 * Checked on what the inspector page draws (its list, its position and timeline text).
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enInspector } from '../../src/domain/locales/en-inspector.js';
import { startInspector, type Inspector } from '../../src/inspector/index.js';
import { launchChromium } from '../support/chromium.js';
import { example, freePort, missing, needsBrowser, vite } from '../support/seller-console.js';

if (missing && !process.env['CI']) console.warn(`[skipped] ${missing}`);

/** The console's demo orders (examples/seller-console/src/store.ts). */
const DEMO = ['113-0000001-0000001', '113-0000002-0000002', '113-0000003-0000003', '113-0000004-0000004'];
const UNSHIPPED = DEMO[1]!;
const T0 = Date.parse('2026-11-26T10:00:00+08:00');
/** Polls until the condition holds; the shared machine may be slow, vitest's test timeout is the backstop. */
const POLL = { timeout: 60_000, interval: 20 };

const card = (page: Page, orderId: string): Locator => page.locator(`article[data-order-id="${orderId}"]`);

describe('the seller console and the inspector, in headless Chromium', () => {
  let browser: Browser | undefined;
  let server: ChildProcess | undefined;
  let outDir: string | undefined;
  let url = '';
  let inspector: Inspector | undefined;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (missing) return;
    outDir = mkdtempSync(join(tmpdir(), 'seller-console-history-'));
    execFileSync(vite, ['build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
      cwd: example,
      stdio: 'pipe',
    });
    const port = await freePort();
    server = spawn(
      vite,
      ['preview', '--outDir', outDir, '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
      { cwd: example, stdio: 'ignore' },
    );
    url = `http://127.0.0.1:${port}/`;
    for (let attempt = 0; ; attempt++) {
      try {
        if ((await fetch(url)).ok) break;
      } catch {
        if (attempt > 300) throw new Error(`vite preview did not answer at ${url}`);
        await new Promise((done) => setTimeout(done, 100));
      }
    }
    inspector = await startInspector({ port: 0, log: (message) => pageErrors.push(`inspector: ${message}`) });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await inspector?.close();
    server?.kill();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  it('should list each order once however often the console restarts its actors, and open it by its link with its whole history', async (testContext) => {
    needsBrowser(testContext);
    const context = await browser!.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    context.setDefaultTimeout(0); // every wait ends when its condition holds; vitest's timeout is the backstop
    await context.route('**/*', (route) =>
      new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort(),
    );
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.clock.install({ time: T0 });
    const consoleUrl = `${url}?inspector=${encodeURIComponent(`http://127.0.0.1:${inspector!.port}`)}`;
    const live = (orderId: string) => inspector!.orders().find((order) => order.orderId === orderId);
    const visit = async () => {
      await page.goto(consoleUrl);
      await card(page, UNSHIPPED).getByRole('link', { name: 'Open in inspector' }).waitFor();
      await expect.poll(() => DEMO.every((orderId) => live(orderId) && !live(orderId)!.disconnected), POLL).toBe(true);
    };

    await visit();
    await card(page, UNSHIPPED).getByRole('button', { name: 'Buy shipping label', exact: true }).click();
    await expect.poll(() => live(UNSHIPPED)?.steps.length, POLL).toBe(2);
    await page.getByRole('button', { name: 'New order' }).click();
    await expect.poll(() => inspector!.orders().length, POLL).toBe(DEMO.length + 1);
    await visit(); // a reload: every actor restored from storage, on a new WebSocket
    await visit();
    await page.getByRole('button', { name: 'Reset demo' }).click();
    await expect.poll(() => live(UNSHIPPED)?.steps.length, POLL).toBe(4);

    // "Open in inspector" opens the order's one entry, with every step since the console first showed it.
    const [inspectorPage] = await Promise.all([
      context.waitForEvent('page'),
      card(page, UNSHIPPED).getByRole('link', { name: 'Open in inspector' }).click(),
    ]);
    inspectorPage.on('pageerror', (error) => pageErrors.push(`inspector page: ${error.message}`));
    await inspectorPage.locator('#connection.connected').waitFor();
    await inspectorPage.locator('.order.selected', { hasText: UNSHIPPED }).waitFor();
    const listed = await inspectorPage
      .locator('[data-testid="order"] .order-id')
      .evaluateAll((nodes) => nodes.map((node) => node.textContent));
    expect(listed).toHaveLength(DEMO.length + 1);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(DEMO));
    expect(await inspectorPage.locator('[data-testid="position"]').textContent()).toBe('Step 3 of 3');
    // The reset stored a new demo order under the same id, placed 45 minutes ago: the entry shows it restored (still
    // buyer-cancellable as created) and the tick its actor sent itself for the window that closed, appended.
    expect(await inspectorPage.locator('#timeline [data-testid="step"] .step-event').allTextContents()).toEqual([
      enInspector['inspector.restored'],
      'seller.generateLabel',
      enInspector['inspector.restored'],
      'clock.tick',
    ]);
    expect(
      await inspectorPage
        .locator('#timeline [data-testid="step"] .status')
        .evaluateAll((nodes) => nodes.map((node) => node.textContent)),
    ).toEqual(['unshipped', 'label-generated', 'buyer-cancellable', 'unshipped']);
    await context.close();
    expect(pageErrors).toEqual([]);
  });
});
