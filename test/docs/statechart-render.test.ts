import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, skipBrowserTests } from '../support/chromium.js';

// Mermaid (about 125 MB installed) is not a dev dependency of the package: test/mermaid is its own small package,
// which .ci/run installs with `npm ci --prefix test/mermaid`.
const mermaidBundle = fileURLToPath(new URL('../mermaid/node_modules/mermaid/dist/mermaid.min.js', import.meta.url));
const mermaidHint = 'Mermaid is not installed: run `npm ci --prefix test/mermaid` to check docs/statechart.md in it.';
const hasMermaid = existsSync(mermaidBundle);
if (!hasMermaid && !process.env['CI']) console.warn(`[skipped] ${mermaidHint}`);
const diagram = /```mermaid\n([\s\S]*?)```/.exec(readFileSync(new URL('../../docs/statechart.md', import.meta.url), 'utf8'))![1]!;

describe.skipIf(skipBrowserTests || (!hasMermaid && !process.env['CI']))('docs/statechart.md in Mermaid 11', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('should render to an SVG that shows every state', async () => {
    if (!hasMermaid) throw new Error(`${mermaidHint} CI must run this test.`);
    const page = await browser.newPage();
    await page.setContent('<!doctype html><html><body></body></html>');
    await page.addScriptTag({ path: mermaidBundle });
    const svg = await page.evaluate(async (text) => {
      const mermaid = (window as unknown as { mermaid: { initialize(o: object): void; render(id: string, t: string): Promise<{ svg: string }> } }).mermaid;
      mermaid.initialize({ startOnLoad: false });
      return (await mermaid.render('chart', text)).svg;
    }, diagram);
    for (const name of ['buyer-cancellable', 'unshipped', 'label-generated', 'shipped', 'canceled', 'auto-canceled']) {
      expect(svg).toContain(name);
    }
    expect(svg).not.toContain('Syntax error');
    await page.close();
  });
});
