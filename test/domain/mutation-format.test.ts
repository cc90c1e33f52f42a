import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  DAY,
  MAX_INSTANT,
  MINUTE,
  formatDateTime,
  formatDuration,
  formatInstant,
} from '../../src/domain/instant-format.js';
import {
  fillText,
  locales,
  message,
  reasonNames,
  refusalMessage,
  render,
  statusNames,
} from '../../src/domain/messages.js';
import { controlCharacterAt, hidePassword, loneSurrogateAt, preview, textProblem } from '../../src/domain/text.js';

// Tests that pin the formatting of instants and durations, the filling of messages and the checks and previews of
// text, written where StrykerJS showed mutants of instant-format.ts, messages.ts and text.ts surviving. Each one is
// cheap: StrykerJS runs it again for every mutant it covers.

const HOUR = 60 * MINUTE;
/** 2026-11-26 02:30:05 UTC. */
const at = Date.UTC(2026, 10, 26, 2, 30, 5);

describe('formatInstant at the edges of a Date and of an offset', () => {
  it("should write the instants at both ends of a Date's range, and as epoch ms one past them", () => {
    expect(formatInstant(MAX_INSTANT)).toBe('+275760-09-13T00:00:00.000Z');
    expect(formatInstant(-MAX_INSTANT)).toBe('-271821-04-20T00:00:00.000Z');
    expect(formatInstant(MAX_INSTANT + 1)).toBe(`${MAX_INSTANT + 1} ms`);
    expect(formatInstant(-MAX_INSTANT - 1)).toBe(`${-MAX_INSTANT - 1} ms`);
  });

  it('should judge the range on the instant shifted by the offset', () => {
    // One minute before the end, shown one minute ahead of UTC, is the last instant a Date can hold.
    expect(formatInstant(MAX_INSTANT - MINUTE, 1)).toBe('+275760-09-13T00:00:00.000+00:01');
    expect(formatInstant(MAX_INSTANT - MINUTE, 2)).toBe(`${MAX_INSTANT - MINUTE} ms`);
  });

  it('should write the offset as a sign, two-digit hours and two-digit minutes', () => {
    expect(formatInstant(0, -330)).toBe('1969-12-31T18:30:00.000-05:30');
    expect(formatInstant(0, 5)).toBe('1970-01-01T00:05:00.000+00:05');
    expect(formatInstant(0, 600)).toBe('1970-01-01T10:00:00.000+10:00');
    expect(formatInstant(at, 0)).toBe('2026-11-26T02:30:05.000Z');
  });
});

describe('formatDateTime for people', () => {
  it('should write a fixed offset as GMT with hours and, when there are any, two-digit minutes', () => {
    expect(formatDateTime(0, { offsetMinutes: 330 })).toBe('1970-01-01 05:30:00 GMT+5:30');
    expect(formatDateTime(0, { offsetMinutes: 5 })).toBe('1970-01-01 00:05:00 GMT+0:05');
    expect(formatDateTime(0, { offsetMinutes: -570 })).toBe('1969-12-31 14:30:00 GMT-9:30');
    expect(formatDateTime(0, { offsetMinutes: 600 })).toBe('1970-01-01 10:00:00 GMT+10');
  });

  it('should write the same instant differently in each zone and at each offset, whatever was written before', () => {
    // Written one after another, so that a result remembered for one zone or offset cannot be served for another.
    expect(formatDateTime(at, { timeZone: 'Asia/Shanghai' })).toBe('2026-11-26 10:30:05 GMT+8');
    expect(formatDateTime(at, { timeZone: 'Asia/Kolkata' })).toBe('2026-11-26 08:00:05 GMT+5:30');
    expect(formatDateTime(at, { timeZone: 'America/New_York' })).toBe('2026-11-25 21:30:05 GMT-5');
    expect(formatDateTime(at, { offsetMinutes: 480 })).toBe('2026-11-26 10:30:05 GMT+8');
    expect(formatDateTime(at, { offsetMinutes: -300 })).toBe('2026-11-25 21:30:05 GMT-5');
    expect(formatDateTime(at, { offsetMinutes: 0 })).toBe('2026-11-26 02:30:05 GMT+0');
    expect(formatDateTime(at + 1_000, { offsetMinutes: 0 })).toBe('2026-11-26 02:30:06 GMT+0');
    // Asked again, each gives the same text.
    expect(formatDateTime(at, { timeZone: 'Asia/Kolkata' })).toBe('2026-11-26 08:00:05 GMT+5:30');
    expect(formatDateTime(at, { offsetMinutes: 480 })).toBe('2026-11-26 10:30:05 GMT+8');
  });

  it("should write the last instants a Date can hold, and what is not a Date's instant as epoch ms", () => {
    expect(formatDateTime(MAX_INSTANT, { offsetMinutes: 0 })).toBe('275760-09-13 00:00:00 GMT+0');
    expect(formatDateTime(MAX_INSTANT - MINUTE, { offsetMinutes: 1 })).toBe('275760-09-13 00:00:00 GMT+0:01');
    expect(formatDateTime(MAX_INSTANT - MINUTE, { offsetMinutes: 2 })).toBe(`${MAX_INSTANT - MINUTE} ms`);
    expect(formatDateTime(MAX_INSTANT + 1, { timeZone: 'UTC' })).toBe(`${MAX_INSTANT + 1} ms`);
    expect(formatDateTime(Number.NaN)).toBe('NaN ms');
    expect(formatDateTime(Number.NaN, { offsetMinutes: 60 })).toBe('NaN ms');
    expect(formatDateTime(Number.POSITIVE_INFINITY)).toBe('Infinity ms');
  });
});

describe('formatDateTime in the zone it is given', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it("should write in the runtime's own zone when given none", () => {
    const runtimeZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(formatDateTime(at + 21_000)).toBe(formatDateTime(at + 21_000, { timeZone: runtimeZone }));
  });

  it('should write at the fixed offset when given both a zone and an offset', () => {
    expect(formatDateTime(at, { timeZone: 'Asia/Shanghai', offsetMinutes: -300 })).toBe('2026-11-25 21:30:05 GMT-5');
  });

  it('should write GMT+0 where Intl writes a zone without an offset as GMT alone (as some browsers do)', () => {
    const formatToParts = Intl.DateTimeFormat.prototype.formatToParts;
    vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts').mockImplementation(function (
      this: Intl.DateTimeFormat,
      date?: Date | number,
    ) {
      return formatToParts
        .call(this, date)
        .map((part) =>
          part.type === 'timeZoneName' ? { ...part, value: part.value.replace(/^GMT\+0$/, 'GMT') } : part,
        );
    });
    expect(formatDateTime(at + 22_000, { timeZone: 'Europe/London' })).toBe('2026-11-26 02:30:27 GMT+0');
  });

  it("should refuse the zone '' as Intl does, whether or not the runtime's zone was written before (a bug fixed)", () => {
    // The zone '' and no zone were remembered under one key: once an instant had been written in the runtime's zone,
    // the zone '' wrote the runtime's zone instead of being refused.
    expect(() => formatDateTime(at + 23_000, { timeZone: '' })).toThrow(RangeError);
    formatDateTime(at + 23_000);
    expect(() => formatDateTime(at + 23_000, { timeZone: '' })).toThrow(RangeError);
    expect(() => formatDateTime(at + 24_000, { timeZone: '' })).toThrow(RangeError);
    expect(() => formatDateTime(at + 23_000, { timeZone: 'undefined' })).toThrow(RangeError);
  });
});

describe('formatDuration at the edges', () => {
  it('should write a second as a second, and less than one in whole milliseconds', () => {
    expect(formatDuration(1_000, 'en')).toBe('1 sec');
    expect(formatDuration(1_000, 'zh-CN')).toBe('1秒');
    expect(formatDuration(999, 'en')).toBe('999 ms');
    expect(formatDuration(1.6, 'en')).toBe('2 ms');
    expect(formatDuration(-1.6, 'en')).toBe('2 ms');
  });

  it('should write what is not a finite duration as the number itself', () => {
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(formatDuration(Number.NEGATIVE_INFINITY)).toBe('-Infinity');
    expect(formatDuration(Number.NaN)).toBe('NaN');
  });

  it('should write in English and at most three units unless told otherwise', () => {
    const all = DAY + 2 * HOUR + 3 * MINUTE + 4_000;
    expect(formatDuration(all)).toBe('1 day 2 hr 3 min');
    expect(formatDuration(all, 'en', 4)).toBe('1 day 2 hr 3 min 4 sec');
    expect(formatDuration(all, 'zh-CN', 4)).toBe('1天2小时3分钟4秒');
    expect(formatDuration(all, 'zh-CN', 1)).toBe('1天');
    // A gap counts as one of the units shown: an hour and four seconds is an hour and four seconds, not more.
    expect(formatDuration(HOUR + 4_000, 'en')).toBe('1 hr 4 sec');
    expect(formatDuration(HOUR + 4_000, 'en', 2)).toBe('1 hr');
    // Written one after another in each language and unit, so that no unit or language is served for another.
    expect(formatDuration(2 * HOUR, 'zh-CN')).toBe('2小时');
    expect(formatDuration(2 * HOUR, 'en')).toBe('2 hr');
    expect(formatDuration(2 * MINUTE, 'en')).toBe('2 min');
  });
});

describe('filling the messages', () => {
  it('should name every status and cancel reason in both languages', () => {
    expect(statusNames['label-generated']).toEqual({ en: 'label-generated', 'zh-CN': '【已生成货件标签】' });
    expect(statusNames['unshipped']).toEqual({ en: 'unshipped', 'zh-CN': '【未发货】' });
    expect(Object.keys(statusNames)).toEqual(Object.keys(locales.en.statuses));
    expect(reasonNames['NoInventory']).toEqual({ en: 'No Inventory', 'zh-CN': '【无库存】' });
    expect(Object.keys(reasonNames)).toEqual(Object.keys(locales.en.reasons));
  });

  it('should write a policy duration in the largest unit that divides it, one or many', () => {
    const window = (windowMs: number, lang: 'en' | 'zh-CN' = 'en') => fillText(lang, '{window}', { windowMs });
    expect(window(2 * DAY)).toBe('2 days');
    expect(window(DAY)).toBe('1 day');
    expect(window(HOUR)).toBe('1 hour');
    expect(window(90 * MINUTE)).toBe('90 minutes');
    expect(window(MINUTE)).toBe('1 minute');
    expect(window(61_000)).toBe('61 seconds');
    expect(window(1_000)).toBe('1 second');
    expect(window(1_500)).toBe('1500 ms');
    expect(window(1)).toBe('1 ms');
    expect(window(5 * MINUTE, 'zh-CN')).toBe('5 分钟');
    expect(window(2 * DAY, 'zh-CN')).toBe('2 天');
    expect(fillText('en', '{autoCancel}', { autoCancelMs: 3 * HOUR })).toBe('3 hours');
  });

  it("should fall back to the default policy's durations when none is given as a number", () => {
    expect(fillText('en', '{window} / {autoCancel}')).toBe('30 minutes / 7 days');
    expect(fillText('zh-CN', '{window} / {autoCancel}', { windowMs: '5', autoCancelMs: '1' })).toBe('30 分钟 / 7 天');
  });

  it("should write instants at the order's offset, or in UTC when the offset is not a number", () => {
    expect(fillText('en', '{at} {placedAt} {until}', { at, placedAt: at, until: at, offset: 480 })).toBe(
      '2026-11-26 10:30:05 GMT+8 '.repeat(3).trim(),
    );
    expect(fillText('en', '{at}', { at, offset: '480' })).toBe('2026-11-26 02:30:05 GMT+0');
    expect(fillText('en', '{at}', { at })).toBe('2026-11-26 02:30:05 GMT+0');
    // An instant given as text is shown as it is, and other numbers are not instants.
    expect(fillText('en', '{at}', { at: 'yesterday' })).toBe('yesterday');
    expect(fillText('en', '{orderId}', { orderId: at })).toBe(String(at));
  });

  it('should name reasons, statuses, parties and readiness in the language, and show unknown names as given', () => {
    const params = { reason: 'NoInventory', status: 'shipped', by: 'amazon', reported: 'pending' };
    const template = '{reason}|{status}|{by}|{reported}';
    expect(fillText('en', template, params)).toBe('No Inventory|shipped|marketplace|Pending');
    expect(fillText('zh-CN', template, params)).toBe('【无库存】|【已发货】|亚马逊|【等待中】');
    expect(fillText('en', '{reason}|{status}', { reason: 'Unheard', status: 'lost' })).toBe('Unheard|lost');
    expect(fillText('en', '{orderId} {missing}', { orderId: '111-1' })).toBe('111-1 {missing}');
  });

  it('should render a text of the locales, and a key no locale has as the key itself', () => {
    expect(render('zh-CN', 'UNKNOWN_ITEM', { orderItemId: 'A', orderId: '111-1' })).toBe('商品 A 不属于订单 111-1。');
    expect(render('en', 'nothing-like-this' as never)).toBe('nothing-like-this');
    expect(message('EVENT_BEFORE_PLACEMENT', { at, placedAt: at + HOUR, offset: -300 })).toEqual({
      en: 'The event at 2026-11-25 21:30:05 GMT-5 happened before the order was placed at 2026-11-25 22:30:05 GMT-5, so it was refused.',
      'zh-CN': '该事件发生于 2026-11-25 21:30:05 GMT-5，早于订单下单时间 2026-11-25 22:30:05 GMT-5，因此被拒绝。',
    });
  });

  it("should pick a situation's wording when the locales have it, and the code's own otherwise", () => {
    expect(refusalMessage('ORDER_PENDING', {}, 'marketplace')).toEqual(message('ORDER_PENDING:marketplace'));
    expect(refusalMessage('ORDER_PENDING', {}, 'marketplace').en).not.toBe(message('ORDER_PENDING').en);
    expect(refusalMessage('ORDER_PENDING', {}, 'no-such-situation')).toEqual(message('ORDER_PENDING'));
    expect(refusalMessage('ORDER_PENDING')).toEqual(message('ORDER_PENDING'));
  });
});

describe('finding lone surrogates and control characters at the edges of their ranges', () => {
  it.each([
    ['\uD7FF', -1],
    ['\uE000', -1],
    ['\uDBFF\uDC00', -1],
    ['\uD800\uDFFF', -1],
    ['\uDBFF', 0],
    ['\uDFFF', 0],
    ['\uDC00\uDC00', 0],
    ['\uD800\uD800\uDC00', 0],
    ['\uD800\uE000', 0],
    ['\uD800\uDBFF', 0],
  ])('should find the first lone surrogate of %j at %i', (text, index) => {
    expect(loneSurrogateAt(text)).toBe(index);
  });

  it.each([
    ['\u001f', false, 0],
    ['\u0020~', false, -1],
    ['\u007e\u007f', false, 1],
    ['\u009f', false, 0],
    ['\u00a0', false, -1],
    ['\u0080', false, 0],
    ['\t', true, -1],
    ['\n', true, -1],
    ['\r', true, -1],
    ['\n', false, 0],
    ['\r', false, 0],
    ['\u000b', true, 0],
    ['\u000c', true, 0],
    ['\u0000', true, 0],
  ])('should find the first control character of %j (line breaks allowed: %s) at %i', (text, lineBreaks, index) => {
    expect(controlCharacterAt(text, { lineBreaks })).toBe(index);
  });

  it('should refuse line breaks unless they are allowed', () => {
    expect(controlCharacterAt('a\tb')).toBe(1);
    expect(controlCharacterAt('a\tb', {})).toBe(1);
  });

  it('should accept text exactly as long as allowed, and name the control character without the line-break note', () => {
    expect(textProblem('abcd', { max: 4 })).toBeUndefined();
    expect(textProblem('ab\u001f', { max: 4 })).toBe('must not contain control characters: U+001F at index 2');
    expect(textProblem('a\n', { max: 4 })).toBe('must not contain control characters: U+000A at index 1');
    expect(textProblem('a\n', { max: 4, lineBreaks: true })).toBeUndefined();
    expect(textProblem('\uDFFFa', { max: 4 })).toBe('must be well-formed Unicode: a lone surrogate U+DFFF at index 0');
    expect(textProblem('\u0000a', { max: 4 })).toBe('must not contain control characters: U+0000 at index 0');
  });
});

describe('previews of values at the edges', () => {
  it('should show a text of exactly the limit whole, and cut one character longer', () => {
    const exact = 'x'.repeat(78);
    expect(preview(exact)).toBe(`"${exact}"`);
    expect(preview(`${exact}y`)).toBe(`"${'x'.repeat(76)}...`);
    expect(preview('abcdef', 8)).toBe('"abcdef"');
    expect(preview('abcdefg', 8)).toBe('"abcd...');
    expect(preview('abc', 2)).toBe('...');
  });

  it('should show what JSON has no text for by name at the top, and as null inside an array', () => {
    expect(preview(undefined)).toBe('undefined');
    expect(preview(Symbol('s'))).toBe('Symbol(s)');
    expect(preview(null)).toBe('null');
    expect(preview(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(preview(false)).toBe('false');
    expect(preview([Number.POSITIVE_INFINITY, Symbol('x'), () => 1, undefined, null, 1, true])).toBe(
      '[null,null,null,null,null,1,true]',
    );
  });

  it("should skip what an object does not own or JSON would drop, and use a value's toJSON only when it is a function", () => {
    const inherited = Object.create({ inherited: 1 }) as Record<string, unknown>;
    inherited['own'] = 2;
    expect(preview(inherited)).toBe('{"own":2}');
    expect(preview({ a: Symbol('x'), b: undefined, c: null, d: 'x' })).toBe('{"c":null,"d":"x"}');
    expect(preview({ toJSON: 5 })).toBe('{"toJSON":5}');
    expect(preview({ toJSON: (key: string) => `key [${key}]` })).toBe('"key []"');
    expect(preview({ 'say "hi"': 1 })).toBe('{"say \\"hi\\"":1}');
    expect(preview({})).toBe('{}');
    expect(preview([])).toBe('[]');
  });

  it('should show a Date, valid or not, by what it holds', () => {
    expect(preview(new Date(0))).toBe('Date(1970-01-01T00:00:00.000Z)');
    expect(preview(new Date(Number.NaN))).toBe('Date(Invalid Date)');
  });

  it('should never end a cut preview with half of a character', () => {
    // The cut keeps 7 code units: a high surrogate 7th (a quote and five letters before it) goes with its pair.
    expect(preview('abcde\uD800\uDC00zzz', 10)).toBe('"abcde...');
    expect(preview('abcde\uDBFF\uDFFFzzz', 10)).toBe('"abcde...');
    expect(preview('abcde\uD7FFzzzz', 10)).toBe('"abcde\uD7FF...');
    // A lone low surrogate is written escaped, and the cut falls inside its escape.
    expect(preview('abcde\uDC00zzzz', 10)).toBe('"abcde\\...');
  });
});

describe('hidePassword', () => {
  it('should hide only a password there is, and leave what is not a URL as it is', () => {
    expect(hidePassword('postgres://app:secret@db:5432/orders')).toBe('postgres://app:***@db:5432/orders');
    expect(hidePassword('postgres://app@db:5432/orders')).toBe('postgres://app@db:5432/orders');
    expect(hidePassword('postgres://db:5432/orders')).toBe('postgres://db:5432/orders');
    expect(hidePassword('not a url')).toBe('not a url');
  });
});

describe('what the formatters remember, so that a page writing the same instants again does not pay Intl again', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('should build one Intl date format per zone and one unit and list format per language and unit', () => {
    const formatToParts = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    formatDateTime(at + 11_000, { timeZone: 'Asia/Tokyo' });
    formatDateTime(at + 12_000, { timeZone: 'Asia/Tokyo' });
    formatDateTime(at + 13_000, { timeZone: 'Europe/Paris' });
    const [tokyo, tokyoAgain, paris] = formatToParts.mock.contexts;
    expect(tokyoAgain).toBe(tokyo);
    expect(paris).not.toBe(tokyo);
    const format = vi.spyOn(
      // Intl.NumberFormat's format is a getter (it returns a bound function), though its type says method.
      Intl.NumberFormat.prototype as unknown as { readonly format: unknown },
      'format',
      'get',
    );
    const list = vi.spyOn(Intl.ListFormat.prototype, 'format');
    formatDuration(5 * DAY, 'zh-CN');
    formatDuration(6 * DAY, 'zh-CN');
    expect(format.mock.contexts[1]).toBe(format.mock.contexts[0]);
    expect(list.mock.contexts[1]).toBe(list.mock.contexts[0]);
  });

  it('should remember the last 5,000 instants it wrote, and no more', () => {
    const formatToParts = vi.spyOn(Intl.DateTimeFormat.prototype, 'formatToParts');
    const known = { offsetMinutes: 0 };
    const asksIntl = () => {
      const before = formatToParts.mock.calls.length;
      if (formatDateTime(at, known) !== '2026-11-26 02:30:05 GMT+0') throw new Error('The known instant was misread.');
      return formatToParts.mock.calls.length > before;
    };
    asksIntl();
    expect(asksIntl()).toBe(false);
    // Instants beyond a Date's range are remembered too, and cost Intl nothing: they fill what is remembered until
    // it is forgotten all at once, which the known instant shows by asking Intl again.
    let beyond = MAX_INSTANT;
    let forgotten = false;
    for (let written = 0; written <= 5_000 && !forgotten; written++) {
      formatDateTime(++beyond);
      forgotten = asksIntl();
    }
    expect(forgotten).toBe(true);
    // Now the instant that was forgotten last and the known one are remembered: 4,998 more make 5,000.
    for (let written = 0; written < 4_998; written++) formatDateTime(++beyond);
    expect(asksIntl()).toBe(false);
    formatDateTime(++beyond);
    expect(asksIntl()).toBe(true);
  });
});
