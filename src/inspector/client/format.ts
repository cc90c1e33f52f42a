/*
 * How the page writes instants, durations and values: in the browser's time zone, relative to the order's
 * purchase, and short enough for a collapsed tree node.
 */
import { formatDateTime, formatDuration } from '../../domain/instant-format.js';
import { word, type Lang } from './i18n.js';

/**
 * An instant in the browser's time zone, as the package writes instants for people (`formatDateTime`).
 * @example
 * localDate(Date.UTC(2026, 11, 5, 15, 59, 59)); // '2026-12-05 23:59:59 GMT+8' in Asia/Shanghai
 */
export function localDate(ms: number): string {
  return formatDateTime(ms);
}

/**
 * How far a deadline is from `now`: `in 5 min`, `3 hr ago` (`还有 5分钟`, `3小时前` in Chinese).
 * @example
 * countdown(now + 300_000, 'en', now); // 'in 5 min'
 */
export function countdown(deadline: number, lang: Lang, now = Date.now()): string {
  const left = deadline - now;
  return word(lang, left > 0 ? 'in' : 'ago', { duration: formatDuration(left, lang) });
}

/**
 * Instants in a verdict's message: as `formatDateTime` writes them at the order's offset (`2026-11-26 10:30:00 GMT+8`,
 * the messages' own), or ISO-8601 with an offset (a message of an older server).
 */
const MESSAGE_INSTANT =
  /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})|(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) GMT([+-])(\d{1,2})(?::(\d{2}))?/g;

/** The epoch ms of one match of MESSAGE_INSTANT (NaN for a date that does not exist). */
function instantOf(match: RegExpMatchArray): number {
  const [text, day, time, sign, hours, minutes] = match;
  if (day === undefined) return Date.parse(text);
  return Date.parse(`${day}T${time}${sign}${hours!.padStart(2, '0')}:${minutes ?? '00'}`);
}

/**
 * A verdict's message with its instants written as the rest of the page writes them (in the browser's time zone).
 * @example
 * localizeInstants('until 2026-11-26 10:30:00 GMT+8.'); // 'until 2026-11-26 03:30:00 GMT+1.' in Europe/Paris
 */
export function localizeInstants(text: string): string {
  return instantParts(text)
    .map((part) => (typeof part === 'string' ? part : part.date))
    .join('');
}

/**
 * A verdict's message in pieces: its text, and each instant written as the page's date (`{ date }`), so the page can
 * keep a date on one line.
 * @example
 * instantParts('until 2026-11-26 10:30:00 GMT+8.'); // ['until ', { date: '2026-11-26 10:30:00 GMT+8' }, '.'] in Asia/Shanghai
 */
export function instantParts(text: string): Array<string | { date: string }> {
  const parts: Array<string | { date: string }> = [];
  let from = 0;
  for (const match of text.matchAll(MESSAGE_INSTANT)) {
    const ms = instantOf(match);
    if (Number.isNaN(ms)) continue;
    if (match.index > from) parts.push(text.slice(from, match.index));
    parts.push({ date: formatDateTime(ms) });
    from = match.index + match[0].length;
  }
  if (from < text.length) parts.push(text.slice(from));
  return parts;
}

/**
 * Whether a context value is an instant: an epoch-ms number under a key such as `placedAt`, `buyerCancelUntil`, `clock`.
 * @example
 * isInstant('placedAt', 1_764_122_400_000); // true
 */
export function isInstant(key: string | number | undefined, value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value > 946_684_800_000 &&
    value < 4_102_444_800_000 &&
    /(^at$|At$|Until$|Date$|^clock$)/.test(String(key ?? ''))
  );
}

/**
 * A step's instant, and how long after (or before) the purchase it came, to the second.
 * @example
 * formatAt(placedAt + 45 * 60_000, placedAt, 'en'); // '2026-11-26 10:45:00 GMT+8 · 45 min after purchase'
 * formatAt(placedAt + 5_000, placedAt, 'zh-CN'); // '2026-11-26 10:00:05 GMT+8 · 下单后 5秒'
 */
export function formatAt(at: number | null, placedAt: number, lang: Lang): string {
  if (at === null) return '';
  const since = at - placedAt;
  const relative =
    since === 0
      ? word(lang, 'atPurchase')
      : word(lang, since > 0 ? 'afterPurchase' : 'beforePurchase', { relative: formatDuration(since, lang, 2) });
  return `${localDate(at)} · ${relative}`;
}

/**
 * A short preview of a value for a collapsed tree node (opening it shows every field in full).
 * @example
 * preview([{ orderItemId: 'A', quantity: 1 }]); // '[1] {"orderItemId":"A","quantity":1}'
 */
export function preview(value: object): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const first =
      typeof value[0] === 'object' && value[0] !== null
        ? preview(value[0] as object)
        : (JSON.stringify(value[0]) ?? '');
    return `[${value.length}] ${first.length > 60 ? `${first.slice(0, 59)}…` : first}${value.length > 1 ? ', …' : ''}`;
  }
  const text =
    JSON.stringify(value, (name: string, inner: unknown) => (isInstant(name, inner) ? localDate(inner) : inner)) ?? '';
  return text.length <= 80 ? text : `${text.slice(0, 79)}…`;
}
