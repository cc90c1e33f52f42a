import { describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import { locales, render } from '../../src/domain/messages.js';
import { enCli } from '../../src/domain/locales/en-cli.js';
import { zhCNCli } from '../../src/domain/locales/zh-CN-cli.js';
import { enInspector } from '../../src/domain/locales/en-inspector.js';
import { zhCNInspector } from '../../src/domain/locales/zh-CN-inspector.js';
import { renderCli } from '../../src/domain/locales/cli.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
// CJK ideographs, kana and full-width forms: the characters after which Chinese punctuation is full-width.
const cjk = '\\u3000-\\u303F\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF';

/** The texts of every table in English and in Chinese: the package's, the command line's and the inspector page's. */
const texts: Record<string, { en: Record<string, string>; zh: Record<string, string> }> = {
  package: { en: locales.en.texts, zh: locales['zh-CN'].texts },
  cli: { en: enCli, zh: zhCNCli },
  inspector: { en: enInspector, zh: zhCNInspector },
};

describe('the locales', () => {
  it('should have exactly the same keys in every locale, in every table', () => {
    for (const locale of Object.values(locales)) {
      for (const table of Object.keys(locales.en) as Array<keyof typeof locales.en>)
        expect(Object.keys(locale[table]).sort()).toEqual(Object.keys(locales.en[table]).sort());
      expect(Object.keys(locale).sort()).toEqual(Object.keys(locales.en).sort());
    }
    for (const [name, { en, zh }] of Object.entries(texts))
      expect({ name, keys: Object.keys(zh).sort() }).toEqual({ name, keys: Object.keys(en).sort() });
    expect(Object.keys(enCli).every((key) => key.startsWith('cli.'))).toBe(true);
    expect(Object.keys(enInspector).every((key) => key.startsWith('inspector.'))).toBe(true);
  });

  it('should fill in Chinese every placeholder the English text of the same key fills, in every table', () => {
    for (const { en, zh } of Object.values(texts))
      for (const [key, text] of Object.entries(en)) {
        expect({ key, placeholders: [...new Set(placeholders(zh[key]!))] }).toEqual({
          key,
          placeholders: [...new Set(placeholders(text))],
        });
      }
  });

  it('should write Chinese with full-width punctuation: no ASCII , : ( ) ; right after a Chinese character', () => {
    const chinese = [
      ...Object.values(locales['zh-CN']).flatMap((table) => Object.values(table).flat() as string[]),
      ...Object.values(zhCNCli),
      ...Object.values(zhCNInspector),
    ];
    expect(chinese.length).toBeGreaterThan(250);
    expect(chinese.filter((text) => new RegExp(`[${cjk}][,:();]`).test(text))).toEqual([]);
  });

  it('should render the command line’s words in both languages from the same keys, with the verdicts’ filler', () => {
    expect(renderCli('en', 'cli.sweep.applied', { orders: '2 due orders' })).toBe(
      'applied:   2 due orders moved on by a clock.tick at its deadline',
    );
    expect(renderCli('zh-CN', 'cli.inARow', { sku: 'TEA-RED', count: 4 })).toBe('TEA-RED：连续 4 次');
    expect(renderCli('zh-CN', 'cli.status.due', { status: 'unshipped', time: 'x' })).toContain('【未发货】');
    expect(render('en', 'NO_LABEL')).toBe('There is no shipping label to void.');
  });

  it('should leave the command line’s and the inspector page’s words out of the root entry’s bundle', async () => {
    const result = await esbuild.build({
      stdin: {
        contents: "export { createOrder, applyEvent, orderStatus, nextDeadline } from './src/index.ts';",
        resolveDir: process.cwd(),
        loader: 'ts',
      },
      bundle: true,
      write: false,
      metafile: true,
      minify: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
    });
    const locales = Object.keys(result.metafile.inputs).filter((input) => input.startsWith('src/domain/locales/'));
    expect(locales).toContain('src/domain/locales/en.ts');
    expect(locales.filter((input) => /-(cli|inspector)\.ts$/.test(input))).toEqual([]);
  });

  it('should render without zod: the messages and the locales bundle with no dependency', async () => {
    const result = await esbuild.build({
      entryPoints: ['src/domain/messages.ts'],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain('src/domain/locales/zh-CN.ts');
    expect(inputs.filter((input) => !input.startsWith('src/domain/'))).toEqual([]);
    expect(inputs).not.toContain('src/domain/time.ts');
    expect(inputs).not.toContain('src/domain/policy.ts');
  });
});
