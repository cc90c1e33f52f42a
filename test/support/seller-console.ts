import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import type { TestContext } from 'vitest';
import { chromiumHint, hasChromium } from './chromium.js';

/** The repository, the seller console inside it, and the console's own Vite. */
export const root = resolve(import.meta.dirname, '../..');
export const example = join(root, 'examples/seller-console');
export const vite = join(example, 'node_modules/.bin/vite');
export const installHint = `The seller console's dependencies are not installed: run \`npm ci\` in examples/seller-console (after \`npm ci\` at the root, which builds dist/).`;

/** What the seller console's browser tests lack on this machine (Chromium, the console's packages, dist/), if anything. */
export const missing = !hasChromium
  ? chromiumHint
  : !existsSync(vite)
    ? installHint
    : !existsSync(join(root, 'dist/src/index.js'))
      ? 'dist/ is missing: run `npm run build` at the root.'
      : null;

/** Skips a seller console test outside CI when something is missing; in CI (`CI` set) the test fails instead. */
export function needsBrowser(context: TestContext): void {
  if (!missing) return;
  if (process.env['CI']) throw new Error(`${missing} CI must run the seller console test.`);
  context.skip(missing);
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}
