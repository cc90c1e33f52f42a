import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium; playwright cannot download its own browsers here. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Whether browser tests can run; outside CI they skip with this hint, in CI (`CI` set) they fail instead. */
export const hasChromium = existsSync(CHROMIUM_PATH);
export const chromiumHint = `Chromium not found at ${CHROMIUM_PATH}: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH) to run the browser tests.`;

/** True when browser tests should be skipped: no Chromium and not in CI. */
export const skipBrowserTests = !hasChromium && !process.env['CI'];
if (skipBrowserTests) console.warn(`[skipped] ${chromiumHint}`);

/** Launches headless Chromium with the flags this sandbox needs; throws the install hint when it is missing. */
export async function launchChromium(): Promise<Browser> {
  if (!hasChromium) throw new Error(chromiumHint);
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}
