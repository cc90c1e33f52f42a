import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration } from '../../src/domain/instant-format.js';
import {
  countdown,
  formatAt,
  instantParts,
  isInstant,
  localizeInstants,
  preview,
} from '../../src/inspector/client/format.js';
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

  it('should write durations with the one formatter, in the language’s own units, and deadlines as in or ago', () => {
    expect(formatDuration(((9 * 24 + 12) * 60 + 3) * 60_000 + 5_000, 'en')).toBe('9 days 12 hr 3 min');
    expect(formatDuration(((9 * 24 + 12) * 60 + 3) * 60_000 + 5_000, 'zh-CN')).toBe('9天12小时3分钟');
    expect(countdown(placedAt + 5 * MINUTE, 'en', placedAt)).toBe('in 5 min');
    expect(countdown(placedAt - 5 * MINUTE, 'en', placedAt)).toBe('5 min ago');
    expect(countdown(placedAt - 5 * MINUTE, 'zh-CN', placedAt)).toBe('5分钟前');
    expect(countdown(placedAt + (47 * 60 + 1) * MINUTE, 'zh-CN', placedAt)).toBe('还有 1天23小时1分钟');
    // No English unit or word order in the Chinese words.
    expect(countdown(placedAt + (47 * 60 + 1) * MINUTE, 'zh-CN', placedAt)).not.toMatch(/[a-z]/);
  });

  it('should tell instants from other numbers by their key, and say how long after purchase a step came, to the second', () => {
    expect(isInstant('placedAt', placedAt)).toBe(true);
    expect(isInstant('quantity', placedAt)).toBe(false);
    expect(isInstant('clock', 5)).toBe(false);
    expect(formatAt(placedAt + 45 * MINUTE, placedAt, 'en')).toMatch(/ · 45 min after purchase$/);
    expect(formatAt(placedAt + 5_000, placedAt, 'en')).toMatch(/ · 5 sec after purchase$/);
    expect(formatAt(placedAt + 8_000, placedAt, 'en')).toMatch(/ · 8 sec after purchase$/);
    expect(formatAt(placedAt + 40 * MINUTE, placedAt, 'zh-CN')).toMatch(/ · 下单后 40分钟$/);
    expect(formatAt(placedAt + 3 * 24 * 60 * MINUTE, placedAt, 'zh-CN')).toMatch(/ · 下单后 3天$/);
    expect(formatAt(placedAt, placedAt, 'zh-CN')).toMatch(/ · 下单时$/);
    expect(formatAt(placedAt - 90_000, placedAt, 'en')).toMatch(/ · 1 min 30 sec before purchase$/);
    expect(formatAt(null, placedAt, 'en')).toBe('');
  });

  it('should write the instants inside a verdict message as the page writes every instant', () => {
    const text = localizeInstants('the buyer may cancel it until 2026-11-26T10:30:00.000+08:00.');
    expect(text).not.toMatch(/T10:30/);
    expect(text).toMatch(/^the buyer may cancel it until \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} GMT[+-]\d+(:\d{2})?\.$/);
    // In pieces, each date on its own (the page keeps it on one line).
    const parts = instantParts('from 2026-11-26T10:30:00.000+08:00 to 2026-11-26T02:40:00Z.');
    expect(parts).toHaveLength(5);
    expect(parts.filter((part) => typeof part !== 'string')).toHaveLength(2);
    expect(parts.map((part) => (typeof part === 'string' ? part : part.date)).join('')).toBe(
      localizeInstants('from 2026-11-26T10:30:00.000+08:00 to 2026-11-26T02:40:00Z.'),
    );
  });

  it("should find the instants the messages write at the order's offset, and write them in the page's time zone", () => {
    const at = Date.parse('2026-11-26T10:30:00+08:00');
    for (const offsetMinutes of [480, 0, -300, 330]) {
      const written = formatDateTime(at, { offsetMinutes });
      expect(instantParts(`until ${written}.`)).toEqual(['until ', { date: formatDateTime(at) }, '.']);
    }
    expect(localizeInstants('until 2026-11-26 10:30:00 GMT+8.')).toBe(
      localizeInstants('until 2026-11-26T10:30:00.000+08:00.'),
    );
    // A month that does not exist is left as it is written.
    expect(instantParts('on 2026-13-01 10:30:00 GMT+8')).toEqual(['on 2026-13-01 10:30:00 GMT+8']);
  });

  it('should preview a long value in one short line', () => {
    expect(preview([{ orderItemId: 'A', quantity: 1 }])).toBe('[1] {"orderItemId":"A","quantity":1}');
    expect(preview({ text: 'x'.repeat(200) })).toHaveLength(80);
    expect(preview([])).toBe('[]');
  });
});
