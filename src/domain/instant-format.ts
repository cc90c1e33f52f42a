/*
 * Instants without zod: the domain's time units, `formatInstant` for machines and `formatDateTime` for people. The
 * messages and the inspector page's bundle use them, so nothing here may import zod (time.ts, which parses instants
 * with zod, re-exports them). This is the one formatter of instants and durations for people: the verdicts' messages,
 * the inspector page, the seller console and the command line's words take theirs from here (Intl, per language).
 */
import type { Lang } from './messages.js';

/** The largest instant a JavaScript Date can represent (year 275760). */
export const MAX_INSTANT = 8_640_000_000_000_000;

export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/**
 * Formats epoch ms as ISO-8601 at the given UTC offset (the order's own, from its `placedAt`), for what programs read;
 * text for people writes instants with `formatDateTime`.
 * @example
 * formatInstant(Date.parse('2026-11-26T02:30:00Z'), 480); // '2026-11-26T10:30:00+08:00'
 */
export function formatInstant(ms: number, offsetMinutes = 0): string {
  // Deadlines derived from an instant near the end of Date's range can fall outside it.
  const shifted = ms + offsetMinutes * MINUTE;
  if (Math.abs(shifted) > MAX_INSTANT) return `${ms} ms`;
  const iso = new Date(shifted).toISOString();
  if (offsetMinutes === 0) return iso;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${iso.slice(0, -1)}${sign}${hh}:${mm}`;
}

/**
 * Where to show an instant: an IANA time zone (`Asia/Shanghai`), a fixed UTC offset in minutes (an order's own,
 * from its `placedAt`), or neither for the runtime's own zone (a browser's).
 */
export interface TimeZoneChoice {
  timeZone?: string;
  offsetMinutes?: number;
}

const dateFormats = new Map<string | undefined, Intl.DateTimeFormat>();
const unitFormats = new Map<string, Intl.NumberFormat>();
const listFormats = new Map<string, Intl.ListFormat>();

function dateFormat(timeZone: string | undefined): Intl.DateTimeFormat {
  // Keyed by the zone as given: no zone (the runtime's) is not the zone '', which Intl refuses as it refuses any other.
  let format = dateFormats.get(timeZone);
  if (!format) {
    // The parts are numbers and the zone's offset: the same in every language, so one format serves them all.
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
    });
    dateFormats.set(timeZone, format);
  }
  return format;
}

const offsetName = (minutes: number) => {
  const abs = Math.abs(minutes);
  return `GMT${minutes < 0 ? '-' : '+'}${Math.floor(abs / 60)}${abs % 60 ? `:${String(abs % 60).padStart(2, '0')}` : ''}`;
};

/**
 * An instant for people, the one way the package writes one (the verdicts' messages, the inspector, the seller
 * console, the command line's text): `2026-11-26 10:30:00 GMT+8`, in the runtime's time zone (a browser's), an IANA
 * zone, or a fixed offset (a message's: the order's own); `${ms} ms` beyond a Date's range. The digits are the same in
 * every language, so it takes none.
 * @example
 * formatDateTime(Date.parse('2026-11-26T02:30:00Z'), { timeZone: 'Asia/Shanghai' }); // '2026-11-26 10:30:00 GMT+8'
 * formatDateTime(Date.parse('2026-11-26T02:30:00Z'), { offsetMinutes: -300 }); // '2026-11-25 21:30:00 GMT-5'
 */
export function formatDateTime(ms: number, zone: TimeZoneChoice = {}): string {
  // A page writes the same instants again and again (a timeline, a context): Intl's formatToParts is not cheap.
  // The zone as JSON, so that no zone (the runtime's) and the zone '' or 'undefined' are remembered apart.
  const key = `${ms}/${zone.offsetMinutes}/${JSON.stringify(zone.timeZone)}`;
  const known = written.get(key);
  if (known !== undefined) return known;
  if (written.size >= 5000) written.clear();
  const text = writeDateTime(ms, zone);
  written.set(key, text);
  return text;
}

const written = new Map<string, string>();

function writeDateTime(ms: number, zone: TimeZoneChoice): string {
  const offset = zone.offsetMinutes;
  const shifted = offset === undefined ? ms : ms + offset * MINUTE;
  if (!Number.isFinite(shifted) || Math.abs(shifted) > MAX_INSTANT) return `${ms} ms`;
  const parts: Record<string, string> = {};
  const timeZone = offset === undefined ? zone.timeZone : 'UTC';
  for (const part of dateFormat(timeZone).formatToParts(shifted)) parts[part.type] = part.value;
  const zoneName = offset === undefined ? (parts['timeZoneName'] ?? '') : offsetName(offset);
  // Stryker disable next-line Regex: equivalent, a zone's name is GMT or GMT and an offset, so only GMT itself ends with GMT
  return `${parts['year']}-${parts['month']}-${parts['day']} ${parts['hour']}:${parts['minute']}:${parts['second']} ${zoneName.replace(/^GMT$/, 'GMT+0')}`;
}

const UNITS = [
  ['day', DAY],
  ['hour', 60 * MINUTE],
  ['minute', MINUTE],
  ['second', 1000],
] as const;

function unitFormat(lang: Lang, unit: string): Intl.NumberFormat {
  const key = `${lang}/${unit}`;
  let format = unitFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short' });
    unitFormats.set(key, format);
  }
  return format;
}

/**
 * A duration for people in the language's own units (Intl): its `largest` biggest non-zero units, the rest dropped
 * (not rounded); under a second in milliseconds. The sign is ignored: the caller says "in" or "ago".
 * @example
 * formatDuration(((2 * 24 + 3) * 60 + 4) * 60_000, 'en'); // '2 days 3 hr 4 min'
 * formatDuration(((2 * 24 + 3) * 60 + 4) * 60_000, 'zh-CN'); // '2天3小时4分钟'
 * formatDuration(5_000, 'en'); // '5 sec'
 */
export function formatDuration(ms: number, lang: Lang = 'en', largest = 3): string {
  let rest = Math.abs(ms);
  if (!Number.isFinite(rest)) return String(ms);
  if (rest < 1000 && rest > 0) return unitFormat(lang, 'millisecond').format(Math.round(rest));
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (parts.length >= largest) break;
    if (count > 0 || (unit === 'second' && parts.length === 0)) parts.push(unitFormat(lang, unit).format(count));
    else if (parts.length > 0) parts.push('');
  }
  const shown = parts.filter((part) => part !== '');
  let list = listFormats.get(lang);
  if (!list) {
    list = new Intl.ListFormat(lang, { type: 'unit', style: 'narrow' });
    listFormats.set(lang, list);
  }
  return list.format(shown);
}
