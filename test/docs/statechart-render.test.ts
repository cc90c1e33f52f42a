import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchChromium, skipBrowserTests } from '../support/chromium.js';

const mermaidBundle = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const diagram = /```mermaid\n([\s\S]*?)```/.exec(readFileSync(new URL('../../docs/statechart.md', import.meta.url), 'utf8'))![1]!;

describe.skipIf(skipBrowserTests)('docs/statechart.md in Mermaid 11', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('should render to an SVG that shows every state', async () => {
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
