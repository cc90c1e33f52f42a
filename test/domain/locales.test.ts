import { describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import { locales, render } from '../../src/domain/messages.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
// CJK ideographs, kana and full-width forms: the characters after which Chinese punctuation is full-width.
const cjk = '\\u3000-\\u303F\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uF900-\\uFAFF\\uFF00-\\uFFEF';

describe('the locales', () => {
  it('should have exactly the same keys in every locale, in every table', () => {
    for (const locale of Object.values(locales)) {
      for (const table of Object.keys(locales.en) as Array<keyof typeof locales.en>)
        expect(Object.keys(locale[table]).sort()).toEqual(Object.keys(locales.en[table]).sort());
      expect(Object.keys(locale).sort()).toEqual(Object.keys(locales.en).sort());
    }
  });

  it('should fill in Chinese every placeholder the English text of the same key fills', () => {
    for (const [key, text] of Object.entries(locales.en.texts)) {
      const chinese = locales['zh-CN'].texts[key as keyof typeof locales.en.texts];
      expect({ key, placeholders: [...new Set(placeholders(chinese))] }).toEqual({
        key,
        placeholders: [...new Set(placeholders(text))],
      });
    }
  });

  it('should write Chinese with full-width punctuation: no ASCII , : ( ) ; right after a Chinese character', () => {
    const texts = Object.values(locales['zh-CN']).flatMap((table) => Object.values(table).flat() as string[]);
    expect(texts.length).toBeGreaterThan(200);
    expect(texts.filter((text) => new RegExp(`[${cjk}][,:();]`).test(text))).toEqual([]);
  });

  it('should render the command line’s words in both languages from the same keys', () => {
    expect(render('en', 'cli.sweep.applied', { orders: '2 due orders' })).toBe(
      'applied:   2 due orders moved on by a clock.tick at its deadline',
    );
    expect(render('zh-CN', 'cli.inARow', { sku: 'TEA-RED', count: 4 })).toBe('TEA-RED：连续 4 次');
    expect(render('zh-CN', 'inspector.ago', { duration: '5 min' })).toBe('5 min前');
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
