import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { describe, expect, it } from 'vitest';
import { digest, eventIdOf } from '../../src/amazon/events.js';

const root = resolve(import.meta.dirname, '../..');
const nodeDigest = (text: string, length: number) => createHash('sha256').update(text).digest('hex').slice(0, length);

describe('order-lifecycle/amazon outside Node', () => {
  it('should give the same digests as node:crypto, so event ids stored by earlier versions stay the same', () => {
    for (const text of ['', 'order:111-1:A', '订单：取消（买家）', 'emoji 📦 and ß', 'x'.repeat(10_000)]) {
      expect(digest(text, 40)).toBe(nodeDigest(text, 40));
    }
    const long = ['notification', '902-3159896-1390916', 'A'.repeat(200)];
    expect(eventIdOf(...(long as [string, ...string[]]))).toBe(`notification:${nodeDigest(long.join(':'), 40)}`);
  });

  it('should bundle for the browser with no node: module', async () => {
    const result = await esbuild.build({
      entryPoints: [resolve(root, 'src/amazon/index.ts')],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(result.outputFiles[0]!.text).not.toMatch(/from\s*["']node:/);
  });
});
