import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDuration, formatInstant } from '../../src/domain/instant-format.js';

const at = Date.parse('2026-11-26T02:30:05Z');

describe('the one formatter of instants and durations', () => {
  it('writes an instant in a time zone or at an offset (the same digits in every language: it takes none)', () => {
    expect(formatDateTime(at, { timeZone: 'Asia/Shanghai' })).toBe('2026-11-26 10:30:05 GMT+8');
    expect(formatDateTime(at, { timeZone: 'Asia/Kolkata' })).toBe('2026-11-26 08:00:05 GMT+5:30');
    expect(formatDateTime(at, { offsetMinutes: -300 })).toBe('2026-11-25 21:30:05 GMT-5');
    expect(formatDateTime(at, { offsetMinutes: 0 })).toBe('2026-11-26 02:30:05 GMT+0');
    expect(formatDateTime(at, { timeZone: 'UTC' })).toBe('2026-11-26 02:30:05 GMT+0');
    expect(formatDateTime(8.7e15)).toBe('8700000000000000 ms');
    // The ISO form stays for what machines read.
    expect(formatInstant(at, 480)).toBe('2026-11-26T10:30:05.000+08:00');
  });

  it('writes a duration in its largest units, in the language (Intl), seconds and milliseconds included', () => {
    expect(formatDuration(5_000, 'en')).toBe('5 sec');
    expect(formatDuration(5_000, 'zh-CN')).toBe('5秒');
    expect(formatDuration(0, 'en')).toBe('0 sec');
    expect(formatDuration(250, 'zh-CN')).toBe('250毫秒');
    expect(formatDuration(30 * 60_000, 'en')).toBe('30 min');
    expect(formatDuration(7 * 86_400_000, 'en')).toBe('7 days');
    expect(formatDuration(7 * 86_400_000, 'zh-CN')).toBe('7天');
    expect(formatDuration((47 * 60 + 1) * 60_000, 'en')).toBe('1 day 23 hr 1 min');
    expect(formatDuration((47 * 60 + 1) * 60_000, 'zh-CN')).toBe('1天23小时1分钟');
    expect(formatDuration((47 * 60 + 1) * 60_000, 'en', 2)).toBe('1 day 23 hr');
    // The units after the largest ones are dropped, not rounded, and a gap counts as a unit.
    expect(formatDuration(86_400_000 + 5_000, 'en')).toBe('1 day');
    expect(formatDuration(-90_000, 'en')).toBe('1 min 30 sec');
  });
});
