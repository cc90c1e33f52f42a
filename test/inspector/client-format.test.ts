import { describe, expect, it } from 'vitest';
import { countdown, duration, formatAt, isInstant, preview } from '../../src/inspector/client/format.js';
import { text } from '../../src/inspector/client/i18n.js';
import { MINUTE, placedAt } from '../support/orders.js';

describe("the inspector page's words and formats", () => {
  it('should have every word in every language', () => {
    expect(Object.keys(text['zh-CN']).sort()).toEqual(Object.keys(text.en).sort());
    for (const words of Object.values(text)) expect(Object.values(words).filter((word) => !word)).toEqual([]);
  });

  it('should write Chinese with full-width punctuation, leaving code as it is typed', () => {
    const prose = Object.values(text['zh-CN']).map((word) => word.replace(/createOrderActor\(.*\)(?=，)/, 'CODE'));
    expect(prose.filter((word) => /[:,;()]/.test(word))).toEqual([]);
  });

  it('should write durations in their largest three units and deadlines as in or ago', () => {
    expect(duration(((9 * 24 + 12) * 60 + 3) * 60_000 + 5_000)).toBe('9 d 12 h 3 min');
    expect(duration(0)).toBe('0 s');
    expect(countdown(placedAt + 5 * MINUTE, 'en', placedAt)).toBe('in 5 min');
    expect(countdown(placedAt - 5 * MINUTE, 'en', placedAt)).toBe('5 min ago');
    expect(countdown(placedAt - 5 * MINUTE, 'zh-CN', placedAt)).toBe('5 min前');
  });

  it('should tell instants from other numbers by their key, and say how long after purchase a step came', () => {
    expect(isInstant('placedAt', placedAt)).toBe(true);
    expect(isInstant('quantity', placedAt)).toBe(false);
    expect(isInstant('clock', 5)).toBe(false);
    expect(formatAt(placedAt + 45 * MINUTE, placedAt, 'en')).toMatch(/ · \+45 min after purchase$/);
    expect(formatAt(placedAt + 3 * 24 * 60 * MINUTE, placedAt, 'zh-CN')).toMatch(/ · \+3\.0 d 下单后$/);
    expect(formatAt(null, placedAt, 'en')).toBe('');
  });

  it('should preview a long value in one short line', () => {
    expect(preview([{ orderItemId: 'A', quantity: 1 }])).toBe('[1] {"orderItemId":"A","quantity":1}');
    expect(preview({ text: 'x'.repeat(200) })).toHaveLength(80);
    expect(preview([])).toBe('[]');
  });
});
